/**
 * Plain-text helpers for untrusted feed HTML, without a DOM: the MV3 service worker has no
 * `DOMParser`, so HTML is read with our own parser (`utils/html/parser.ts`, which decodes
 * references and treats `<script>`/`<style>` as raw text like a browser does).
 */
import { decodeHtml } from '@/utils/html/entities';
import { parseHtml } from '@/utils/html/parser';

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

const ELLIPSIS = '…';

/**
 * Whitespace that HTML rendering collapses is ASCII only (`[ \t\n\f\r]+`): a no-break space
 * (`&nbsp;`) is meant to stay, so it does, except at the very ends of the text. These are the
 * runs of it that collapsing changes, all but a lone space: replacing them with one space
 * gives the same string as replacing every run, without a match (and a copy step) at every
 * word gap of ordinary text, where a summary's `replace` took 12 ns a character.
 */
const WHITESPACE_TO_COLLAPSE = / [ \t\n\f\r]+|[\t\n\f\r][ \t\n\f\r]*/g;
const EDGE_SPACES = /^ | $/g;

/** `text` with each run of ASCII whitespace (HTML's, and XML's plus form feed) as one space. */
export function collapseHtmlWhitespace(text: string): string {
  return text.replace(WHITESPACE_TO_COLLAPSE, ' ');
}

/**
 * Builds collapsed text incrementally: runs of whitespace become one space, block boundaries
 * one newline, nothing leading or trailing. Tracks its length so long input can stop early.
 */
class TextCollector {
  readonly #parts: string[] = [];
  #pending: '' | ' ' | '\n' = '';
  length = 0;

  addText(raw: string): void {
    const collapsed = collapseHtmlWhitespace(raw);
    if (collapsed.length === 0) return;
    if (collapsed.startsWith(' ')) this.addBreak(' ');
    const word = collapsed.replace(EDGE_SPACES, '');
    if (word.length === 0) return;
    if (this.#pending !== '' && this.#parts.length > 0) {
      this.#parts.push(this.#pending);
      this.length += 1;
    }
    this.#parts.push(word);
    this.length += word.length;
    this.#pending = collapsed.endsWith(' ') ? ' ' : '';
  }

  addBreak(kind: ' ' | '\n'): void {
    if (kind === '\n' || this.#pending === '') this.#pending = kind;
  }

  toString(): string {
    return this.#parts.join('').trim();
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
export function htmlToText(html: string, maxLength?: number): string {
  if (html.length === 0) return '';
  // No markup (most summaries): entities to decode as HTML text does, whitespace to collapse.
  if (!html.includes('<')) {
    const text = collapseHtmlWhitespace(decodeHtml(html)).trim();
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
  parseHtml(
    html,
    {
      open(name) {
        if (name === 'svg') svgDepth += 1;
        if (isDropped(name)) dropDepth += 1;
        else if (BLOCK_ELEMENTS.has(name)) collector.addBreak('\n');
      },
      close(name) {
        if (isDropped(name)) dropDepth = Math.max(0, dropDepth - 1);
        else if (BLOCK_ELEMENTS.has(name)) collector.addBreak('\n');
        if (name === 'svg') svgDepth = Math.max(0, svgDepth - 1);
      },
      text(text) {
        if (dropDepth > 0) return;
        collector.addText(text);
        if (collector.length >= stopAt) this.stopped = true;
      },
    },
    // CDATA in HTML is a bogus comment to browsers, but feeds that escape their CDATA
    // (`&lt;![CDATA[…]]&gt;`) mean its content as text (feedparser #440).
    { cdataAsText: true },
  );
  const text = collector.toString();
  return maxLength === undefined ? text : truncateText(text, maxLength);
}

/**
 * Code units segmented around a cut: a little after it, so the segmenter sees what follows
 * (combining marks, a joiner), and enough before it to find the cluster the cut falls in.
 * Segmenting only this window keeps a capped title or summary to ~0.1 ms; segmenting the whole
 * kept text cost 1.5 ms per 2,000 characters in V8, too much for a feed of a thousand items.
 */
export const TRUNCATE_SLACK = 64;
const CUT_LOOKBACK = 128;

/**
 * Segmenters are made on first use. `Intl.Segmenter` exists wherever Dispatch runs (Chrome
 * 87+, Firefox 125+; the manifest asks for Firefox 140), so there is no fallback without it.
 */
let graphemes: Intl.Segmenter | undefined;
let words: Intl.Segmenter | undefined;

/**
 * Cuts plain text to at most `max` code points, ending with "…" when cut. The cut never
 * splits a surrogate pair (counting code points) nor a grapheme cluster: an emoji ZWJ
 * sequence, a flag, a letter with its combining marks (mastodon#25148). Only a window around
 * the cut is segmented, so a megabyte title costs no more than a short one. A cluster longer than that window (Zalgo text, a run of flags
 * across the cut) is cut between code points rather than dropped: never garbage, at worst
 * an odd glyph.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  const cut = indexAfterCodePoints(text, max - 1);
  const end = cut === undefined ? undefined : indexAfterCodePoints(text, max, cut, max - 1);
  // At most `max` code points in all: nothing to cut.
  if (cut === undefined || end === undefined || end >= text.length) return text;
  return `${text.slice(0, graphemeBoundaryAtOrBefore(text, cut)).trimEnd()}${ELLIPSIS}`;
}

/**
 * The code-unit index after the first `count` code points of `text`, or `undefined` when the
 * text ends first. Resumes from `from` (an index already `counted` code points in).
 */
function indexAfterCodePoints(
  text: string,
  count: number,
  from = 0,
  counted = 0,
): number | undefined {
  let index = from;
  for (let seen = counted; seen < count; seen++) {
    if (index >= text.length) return undefined;
    const unit = text.charCodeAt(index);
    const isPair = unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1));
    index += isPair ? 2 : 1;
  }
  return index;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * The last grapheme-cluster boundary at or before `cut`, looking back at most
 * `CUT_LOOKBACK` code units; `cut` itself when there is none in reach.
 */
function graphemeBoundaryAtOrBefore(text: string, cut: number): number {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let start = Math.max(0, cut - CUT_LOOKBACK);
  // Never start the window on the second half of a surrogate pair.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start += 1;
  let boundary = start;
  for (const { index } of graphemes.segment(text.slice(start, cut + TRUNCATE_SLACK))) {
    if (start + index > cut) break;
    boundary = start + index;
  }
  // The window's own start is no evidence of a boundary (unless it is the text's start and
  // the cluster simply began there: then cutting before it would leave nothing).
  return boundary > start ? boundary : cut;
}

/** Han, kana and Hangul: scripts counted per character rather than per word. */
const CJK_CHARACTER = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/gu;

/** Scripts written without spaces between words: only a dictionary segmenter finds their words. */
const UNSPACED_SCRIPT = /[\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;

/**
 * A word in a space-separated script, as UAX #29 (and so `Intl.Segmenter`) sees it: letters,
 * digits and marks, held together by an apostrophe or a full stop between them ("don't", "3.14").
 */
const SPACED_WORD = /[\p{L}\p{N}\p{M}\p{Pc}]+(?:['\u2019.][\p{L}\p{N}\p{M}\p{Pc}]+)*/gu;

/** Segmenting long strings in one go is superlinear in V8 (100 KB took 2.6 s here). */
const SEGMENT_CHUNK = 2000;

function countToken(token: string): number {
  const cjk = token.match(CJK_CHARACTER)?.length ?? 0;
  return cjk > 0 ? cjk : 1;
}

/**
 * Counts words for reading-time estimates, as `Intl.Segmenter` word segments that are
 * word-like. Text in space-separated scripts takes an equivalent regular expression (about
 * 50 times faster: the poll cycle counts every post); Thai, Lao, Khmer and Burmese, which put
 * no spaces between words, go through the segmenter itself, in chunks cut at whitespace.
 *
 * CJK characters (Han, kana, Hangul) count one each, not one per "word", because reading speed
 * in those scripts is measured in characters per minute.
 */
export function countWords(text: string): number {
  if (text.length === 0) return 0;
  let cjk = 0;
  const rest = text.replace(CJK_CHARACTER, () => {
    cjk += 1;
    return ' ';
  });
  if (!UNSPACED_SCRIPT.test(rest)) return cjk + (rest.match(SPACED_WORD)?.length ?? 0);
  words ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  let count = cjk;
  for (const chunk of whitespaceChunks(rest, SEGMENT_CHUNK)) {
    for (const segment of words.segment(chunk)) {
      if (segment.isWordLike) count += countToken(segment.segment);
    }
  }
  return count;
}

/** Pieces of about `size` code units, cut after whitespace where there is some. */
function* whitespaceChunks(text: string, size: number): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    if (end < text.length) {
      const space = text.slice(start, end).search(/\s\S*$/);
      if (space > 0) end = start + space + 1;
      else if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end -= 1;
    }
    yield text.slice(start, end);
    start = end;
  }
}
