/**
 * Test-only reference: `htmlToText` as it was built on htmlparser2 and `entities` (commit
 * e90a0ea), for the equivalence test of `utils/html/`. Not shipped.
 */
import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';
import { collapseHtmlWhitespace, truncateText } from '@/utils/text';

/** Elements whose content is never readable text. */
const DROPPED_ELEMENTS = new Set([
  'iframe',
  'noembed',
  'noframes',
  'noscript',
  'script',
  'style',
  'template',
  'title',
]);

/** Elements that start a new line of text, so words on either side never run together. */
const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

const EDGE_SPACES = /^ | $/g;

/**
 * Builds collapsed text incrementally: runs of whitespace become one space, block boundaries
 * one newline, nothing leading or trailing. Tracks its length so long input can stop early.
 */
class TextCollector {
  private readonly parts: string[] = [];
  private pending: '' | ' ' | '\n' = '';
  length = 0;

  addText(raw: string): void {
    const collapsed = collapseHtmlWhitespace(raw);
    if (collapsed.length === 0) return;
    if (collapsed.startsWith(' ')) this.addBreak(' ');
    const word = collapsed.replace(EDGE_SPACES, '');
    if (word.length === 0) return;
    if (this.pending !== '' && this.parts.length > 0) {
      this.parts.push(this.pending);
      this.length += 1;
    }
    this.parts.push(word);
    this.length += word.length;
    this.pending = collapsed.endsWith(' ') ? ' ' : '';
  }

  addBreak(kind: ' ' | '\n'): void {
    if (kind === '\n' || this.pending === '') this.pending = kind;
  }

  toString(): string {
    return this.parts.join('').trim();
  }
}

/**
 * Reduces untrusted HTML to readable plain text: tags removed, the content of `script`,
 * `style`, `template` (and `noscript`, `iframe`, `title`) dropped, entities decoded once, block
 * elements turned into line breaks, other whitespace collapsed to single spaces (no-break
 * spaces kept), trimmed.
 *
 * With `maxLength`, the result has at most that many code points, the last being '…' when
 * the text was cut; a surrogate pair (emoji, rare CJK) is never split. Parsing stops early
 * once enough text is collected, so capping a huge post stays cheap.
 */
export function referenceHtmlToText(html: string, maxLength?: number): string {
  if (html.length === 0) return '';
  // No markup (most summaries): entities to decode as HTML text does, whitespace to collapse.
  if (!html.includes('<')) {
    const decoded = html.includes('&') ? decodeHTML(html) : html;
    const text = collapseHtmlWhitespace(decoded).trim();
    return maxLength === undefined ? text : truncateText(text, maxLength);
  }
  const collector = new TextCollector();
  // Code units >= code points, so this many units guarantees more than `maxLength` points.
  const stopAt = maxLength === undefined ? Infinity : 2 * maxLength + 2;
  let dropDepth = 0;
  let svgDepth = 0;
  // An SVG <title> is the graphic's text alternative, not a document title: it is kept.
  const isDropped = (name: string): boolean =>
    DROPPED_ELEMENTS.has(name) && !(name === 'title' && svgDepth > 0);
  const parser: Parser = new Parser(
    {
      onopentag(name) {
        if (name === 'svg') svgDepth += 1;
        if (isDropped(name)) dropDepth += 1;
        else if (BLOCK_ELEMENTS.has(name)) collector.addBreak('\n');
      },
      onclosetag(name) {
        if (isDropped(name)) dropDepth = Math.max(0, dropDepth - 1);
        else if (BLOCK_ELEMENTS.has(name)) collector.addBreak('\n');
        if (name === 'svg') svgDepth = Math.max(0, svgDepth - 1);
      },
      ontext(text) {
        if (dropDepth > 0) return;
        collector.addText(text);
        if (collector.length >= stopAt) parser.pause();
      },
    },
    // CDATA in HTML is a bogus comment to browsers, but feeds that escape their CDATA
    // (`&lt;![CDATA[…]]&gt;`) mean its content as text (feedparser #440).
    { decodeEntities: true, recognizeCDATA: true },
  );
  parser.write(html);
  parser.end();
  const text = collector.toString();
  return maxLength === undefined ? text : truncateText(text, maxLength);
}
