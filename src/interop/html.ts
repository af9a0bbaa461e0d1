// Comments in Disqus and WordPress files are HTML. Parley stores what its readers write: Markdown, rendered
// through the one sanitizer (src/content). So imported HTML becomes Markdown with the same meaning —
// paragraphs, line breaks, links, emphasis, code, quotes and lists — and every other tag leaves its text.
import { Parser } from 'htmlparser2';

const SAFE_LINK = /^(https?:|mailto:)/i;

/** Inline tags and the Markdown that opens and closes them alike. */
const MARKS: Record<string, string> = { strong: '**', b: '**', em: '*', i: '*' };

/** Characters that Markdown would read as markup, when they were plain text in the HTML. */
const escapeText = (text: string) => text.replace(/([\\`*_[\]])/g, '\\$1');

export function htmlToMarkdown(html: string): string {
  let out = '';
  const links: Array<string | null> = [];
  const lists: Array<{ ordered: boolean; n: number }> = [];
  let quoteDepth = 0;
  let inPre = 0;
  const newline = (blank: boolean) => {
    out = out.replace(/[ \t]+$/, '');
    const prefix = '> '.repeat(quoteDepth);
    if (blank && !/\n\s*\n$/.test(out) && out) out += `\n${prefix.trimEnd()}\n${prefix}`;
    else if (!blank && out && !out.endsWith('\n')) out += `\n${prefix}`;
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        out += MARKS[name] ?? '';
        switch (name) {
          case 'p':
          case 'div':
            newline(true);
            break;
          case 'br':
            out += `\n${'> '.repeat(quoteDepth)}`;
            break;
          case 'code':
            if (!inPre) out += '`';
            break;
          case 'pre':
            inPre++;
            newline(true);
            out += '```\n';
            break;
          case 'blockquote':
            quoteDepth++;
            newline(true);
            if (!out) out = '> '.repeat(quoteDepth);
            break;
          case 'ul':
          case 'ol':
            lists.push({ ordered: name === 'ol', n: 0 });
            newline(true);
            break;
          case 'li': {
            const list = lists[lists.length - 1];
            newline(false);
            out += list?.ordered ? `${++list.n}. ` : '- ';
            break;
          }
          case 'a': {
            const href = attributes.href?.trim() ?? '';
            const safe = SAFE_LINK.test(href) ? href : null;
            links.push(safe);
            if (safe) out += '[';
            break;
          }
        }
      },
      ontext(text) {
        if (inPre) out += text;
        else out += escapeText(text.replace(/\s+/g, ' '));
      },
      onclosetag(name) {
        out += MARKS[name] ?? '';
        switch (name) {
          case 'p':
          case 'div':
            newline(true);
            break;
          case 'code':
            if (!inPre) out += '`';
            break;
          case 'pre':
            inPre--;
            out += '\n```';
            newline(true);
            break;
          case 'blockquote':
            quoteDepth--;
            newline(true);
            break;
          case 'ul':
          case 'ol':
            lists.pop();
            newline(true);
            break;
          case 'a': {
            const href = links.pop();
            if (href) out += `](${href.replace(/[()\s]/g, encodeURIComponent)})`;
            break;
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  // A plain line break stays a line break: the renderer runs markdown-it with breaks: true.
  return out
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
