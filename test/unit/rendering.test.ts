import { it } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown } from '../../src/content/markdown.js';
import { html, trusted } from '../../src/pages/html.js';

it('renders Markdown and drops raw HTML, scripts and unsafe URLs', () => {
  const cases: Array<[string, RegExp]> = [
    ['**bold** and _em_', /<strong>bold<\/strong> and <em>em<\/em>/],
    ['> quoted', /<blockquote>/],
    ['- one\n- two', /<ul>\n<li>one<\/li>/],
  ];
  for (const [source, expected] of cases) assert.match(renderMarkdown(source), expected);
  const hostile = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click](data:text/html;base64,PHNjcmlwdD4=)',
    '<a href="javascript:alert(1)">x</a>',
    '<svg onload=alert(1)>',
    '<iframe src="https://evil.example"></iframe>',
    '![x](https://tracker.example/pixel.gif)',
  ];
  for (const source of hostile) {
    const out = renderMarkdown(source);
    assert.doesNotMatch(out, /<(script|img|svg|iframe)\b|<a [^>]*href="(javascript|data):/i, `${source} -> ${out}`);
  }
});

it('marks every link nofollow ugc noopener', () => {
  const out = renderMarkdown('[a](https://a.example) and https://b.example');
  assert.equal(out.match(/rel="nofollow ugc noopener"/g)?.length, 2);
});

it('escapes interpolated values in page templates, and passes trusted markup as is', () => {
  const name = '<b onmouseover="x">"Bob" & co\'s</b>';
  assert.equal(html`<p title="${name}">${name}</p>`.value, '<p title="&lt;b onmouseover=&quot;x&quot;&gt;&quot;Bob&quot; &amp; co&#39;s&lt;/b&gt;">&lt;b onmouseover=&quot;x&quot;&gt;&quot;Bob&quot; &amp; co&#39;s&lt;/b&gt;</p>');
  assert.equal(html`<div>${trusted('<em>ok</em>')}${[1, 2]}${null}${false}</div>`.value, '<div><em>ok</em>12</div>');
});
