// Turns a reader's Markdown into HTML that is safe to put in any page: the parser never passes raw HTML
// through, and an allow-list sanitizer then keeps only the tags and URL schemes below.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false })
  // Headings, tables, rules and images do not belong in a comment; images would also let anyone track readers.
  .disable(['heading', 'lheading', 'table', 'hr', 'image']);

const LINK_REL = 'nofollow ugc noopener';

const policy: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: LINK_REL } }),
  },
};

export function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), policy).trim();
}
