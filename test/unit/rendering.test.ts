import { it } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown, renderMarkdownSanitized } from '../../src/content/markdown.js';
import { html, trusted } from '../../src/pages/html.js';
import { formatUtc } from '../../src/pages/story-page.js';

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

it('writes times on pages as Intl does (en-GB, medium date, short time, UTC), whatever the day and minute', () => {
  const intl = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const times = [0, 951_782_400_000, 1_767_225_599_999, 1_788_000_000_000, 253_402_300_799_999];
  // Every month, every hour and minute of some days, and random times from 1970 to 2100, each day twice.
  for (let i = 0; i < 5000; i++) times.push(Math.floor(Math.random() * 4_102_444_800_000));
  for (let m = 0; m < 24 * 60; m += 7) times.push(Date.UTC(2026, m % 12, 1 + (m % 28), Math.floor(m / 60), m % 60, 59, 999));
  for (const ms of times) {
    const iso = new Date(ms).toISOString();
    assert.equal(formatUtc(iso), intl.format(new Date(ms)), iso);
    assert.equal(formatUtc(iso), intl.format(new Date(ms)), `${iso}, again`);
  }
  // Not an ISO time of toISOString's shape: Intl's own answer.
  assert.equal(formatUtc('2026-09-05T03:04:05Z'), intl.format(new Date('2026-09-05T03:04:05Z')));
});

it('renders a comment of bare markup without the sanitizer exactly as through it', () => {
  const cases = [
    'plain words, "quoted" & <b>not bold</b> it\'s\nnext line\n\nnext paragraph',
    '**b** _e_ `c` ~~s~~ > not a quote',
    '> quote\n\n- a\n- b\n\n1. x\n2. y\n\n3. z',
    '```\ncode <b> & "q"\n```\n\n    indented',
    '```js\ncode\n```',
    'see example.com, http://x.example/y and [t](https://t.example "title")',
    '[x](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)>',
    '&copy; &quot; &amp;quot; &#0; &amp;lt; &lt;br&gt; \\<br>',
    'line  \nbreak\\\nagain',
    '* a\n\n  b\n* c',
  ];
  // And random texts of the characters Markdown gives meaning to.
  const alphabet = ['*', '_', '`', '~', '>', '<', '&', '"', "'", '[', ']', '(', ')', '!', '#', '-', '1.', ' ', '\n', '\n\n', 'a', 'b c', 'http://a.example', ';', 'quot', 'br'];
  let seed = 14;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 2000; i++) cases.push(Array.from({ length: 1 + (next() % 40) }, () => alphabet[next() % alphabet.length]).join(''));
  for (const source of cases) assert.equal(renderMarkdown(source), renderMarkdownSanitized(source), JSON.stringify(source));
});

it('renders a plain comment without the parser exactly as through it', () => {
  const cases = [
    'the council said on tuesday (12)......',
    'Line one\nline two\n\n\nA second paragraph... and "quotes", it\'s - fine?! (yes)',
    'ends with a dot. Then a capital',
    'no link in e.g. this, nor in example.com or a@b.example',
    'Ünïcödé à la carte, 東京 2²',
  ];
  // Random texts mostly of plain characters, with a few that Markdown or linkify acts on (at a line's start too).
  const alphabet = ['a', 'Z', 'é', 'ж', '1', ' ', ' ', ',', ';', "'", '?', '!', '(', ')', '"', '-', '.', '...', '. ', '\n', '\n\n', '\n1. ', '\n- ', '\n> ', '  ', '\t', '\u00a0', '\u0301', 'x.com', ':', '@', '*', '_', '&', '<', '#'];
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 3000; i++) cases.push('a' + Array.from({ length: next() % 40 }, () => alphabet[next() % (next() % 4 === 0 ? alphabet.length : 20)]).join(''));
  for (const source of cases.map((c) => c.trim())) assert.equal(renderMarkdown(source), renderMarkdownSanitized(source), JSON.stringify(source));
});
