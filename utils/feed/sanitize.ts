/**
 * Feed HTML → HTML that is safe to store and later render, without a DOM (the MV3 service
 * worker has none, so DOMPurify cannot run where feeds are parsed). An allowlist on our HTML
 * tokenizer (`utils/html/tokenizer.ts`): only known harmless elements and attributes survive,
 * URLs are made absolute and kept only for http(s) and mailto, text and attribute values
 * are re-escaped (HOSTILE-INPUTS.md §33, §34).
 *
 * This is the first line, not the only one: whatever renders `contentHtml` still sanitizes it
 * in its page (DOMPurify), because a stored record may predate a rule added here.
 */
import * as chars from '@/utils/html/chars';
import { decodeHtml } from '@/utils/html/entities';
import { VOID_ELEMENTS } from '@/utils/html/parser';
import { tokenizeHtml } from '@/utils/html/tokenizer';

/** Local bindings for the per-character loops (why: `utils/html/chars.ts`). */
const endsTagName = chars.endsTagName;
const isAsciiAlpha = chars.isAsciiAlpha;
const isNameCharacter = chars.isNameCharacter;
const isWhitespace = chars.isWhitespace;

/** Elements kept (lower case): text structure, links, tables, media. Others lose their tags. */
const ALLOWED_ELEMENTS: ReadonlySet<string> = new Set([
  'a',
  'abbr',
  'acronym',
  'address',
  'article',
  'aside',
  'audio',
  'b',
  'bdi',
  'bdo',
  'big',
  'blockquote',
  'br',
  'caption',
  'center',
  'cite',
  'code',
  'col',
  'colgroup',
  'data',
  'dd',
  'del',
  'details',
  'dfn',
  'div',
  'dl',
  'dt',
  'em',
  'figcaption',
  'figure',
  'font',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'main',
  'mark',
  'nav',
  'ol',
  'p',
  'picture',
  'pre',
  'q',
  'rp',
  'rt',
  'ruby',
  's',
  'samp',
  'section',
  'small',
  'source',
  'span',
  'strike',
  'strong',
  'sub',
  'summary',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'time',
  'tr',
  'track',
  'tt',
  'u',
  'ul',
  'var',
  'video',
  'wbr',
]);

/**
 * Elements removed together with everything inside them: script and style, raw-text and
 * RCDATA elements, embedded documents and plug-ins, foreign content (SVG and MathML parse by
 * other rules), and document-level elements whose content is no article text.
 */
const DROPPED_WITH_CONTENT: ReadonlySet<string> = new Set([
  'applet',
  'frameset',
  'head',
  'iframe',
  'math',
  'noembed',
  'noframes',
  'noscript',
  'object',
  'plaintext',
  'script',
  'select',
  'style',
  'svg',
  'template',
  'textarea',
  'title',
  'xmp',
]);

/** Foreign elements that may be self-closed in HTML (`<svg/>`), unlike HTML elements. */
const FOREIGN_ELEMENTS: ReadonlySet<string> = new Set(['math', 'svg']);

/**
 * Attributes kept on kept elements. No `on*` handlers, `style` (CSS can overlay the page or
 * load trackers), `id`/`name` (DOM clobbering), `srcset` (a URL list), `target`, `form*`.
 */
const ALLOWED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'abbr',
  'align',
  'alt',
  'border',
  'cellpadding',
  'cellspacing',
  'cite',
  'class',
  'color',
  'colspan',
  'controls',
  'datetime',
  'dir',
  'face',
  'headers',
  'height',
  'href',
  'hreflang',
  'kind',
  'label',
  'lang',
  'loop',
  'muted',
  'open',
  'poster',
  'reversed',
  'rowspan',
  'scope',
  'size',
  'span',
  'src',
  'srclang',
  'start',
  'summary',
  'title',
  'type',
  'valign',
  'value',
  'width',
]);

/** Attributes holding one URL: made absolute, kept only for a safe scheme. */
const URL_ATTRIBUTES: ReadonlySet<string> = new Set(['cite', 'href', 'poster', 'src']);

const SAFE_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/**
 * A relative reference that needs no decoding to be judged: no scheme, no entity, no
 * whitespace or control character (URL parsers drop tabs and newlines, so `java\nscript:`
 * is a scheme). Only safe as it is when there is no base to resolve it against.
 */
// oxlint-disable-next-line no-control-regex -- control characters are what makes a URL suspect
const PLAIN_RELATIVE_URL = /^(?:[^&:/?#\u0000-\u0020]*(?:[/?#][^&\u0000-\u0020]*)?)?$/;

/**
 * Returns `html` with only allowlisted elements and attributes, URLs in `href`, `src`,
 * `poster` and `cite` resolved against `base` and dropped unless http(s) or mailto (a
 * fragment `#id` is kept as written), comments and declarations removed, and the content of
 * `script`, `style`, `iframe`, `svg`… removed. Text and attribute values keep their meaning
 * (entities stay as written in text).
 *
 * HTML that already satisfies the allowlist and has no URL to resolve comes back unchanged
 * (the same string), after a scan that is cheaper than tokenizing. `verified` says that this
 * scan was already done, on the escaped text it was decoded from (`decodeXmlHtml`, with the
 * same `base`), and skips it.
 */
export function sanitizeHtml(html: string, base?: string, verified = false): string {
  if (html.length === 0 || verified || isAlreadySafe(html, base)) return html;
  return rewrite(html, base);
}

// ---------------------------------------------------------------------------------------------
// Fast path: a conservative scan that says "safe as it is" only when sure. It runs over every
// article of every feed, so it allocates nothing: names are matched through a hash of their
// lower-case form, then compared character by character.

const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const EXCLAMATION_MARK = 0x21;
const QUESTION_MARK = 0x3f;
const NUMBER_SIGN = 0x23;
const AMPERSAND = 0x26;

/** Step of the name hash over lower-cased ASCII letters and digits (`| 0x20` keeps digits). */
function hashStep(hash: number, code: number): number {
  return (Math.imul(hash, 31) + (code | 0x20)) | 0;
}

interface AllowedName {
  name: string;
  /** For attributes: the value is a URL. */
  isUrl: boolean;
}

/**
 * Allowed names by the hash of their lower-case form, in an open-addressed table with typed
 * slots (a `Map` lookup was a fifth of the check's own time). A `null` entry marks two allowed
 * names sharing a hash: such a name takes the slow path.
 */
interface NameTable {
  mask: number;
  hashes: Int32Array;
  entries: (AllowedName | null | undefined)[];
}

function hashTable(names: Iterable<string>): NameTable {
  const byHash = new Map<number, AllowedName | null>();
  for (const name of names) {
    let hash = 0;
    for (let index = 0; index < name.length; index += 1) {
      hash = hashStep(hash, name.charCodeAt(index));
    }
    byHash.set(hash, byHash.has(hash) ? null : { name, isUrl: URL_ATTRIBUTES.has(name) });
  }
  let size = 16;
  while (size < byHash.size * 4) size *= 2;
  const table: NameTable = {
    mask: size - 1,
    hashes: new Int32Array(size),
    entries: Array.from({ length: size }, () => undefined),
  };
  for (const [hash, entry] of byHash) {
    let slot = hash & table.mask;
    while (table.entries[slot] !== undefined) slot = (slot + 1) & table.mask;
    table.hashes[slot] = hash;
    table.entries[slot] = entry;
  }
  return table;
}

const ELEMENT_NAMES = hashTable(ALLOWED_ELEMENTS);
const ATTRIBUTE_NAMES = hashTable(ALLOWED_ATTRIBUTES);

/** The allowlisted name that `html[start, end)` spells in any case, else `undefined`. */
function allowedName(
  table: NameTable,
  hash: number,
  html: string,
  start: number,
  end: number,
): AllowedName | undefined {
  let slot = hash & table.mask;
  let allowed = table.entries[slot];
  while (allowed !== undefined && table.hashes[slot] !== hash) {
    slot = (slot + 1) & table.mask;
    allowed = table.entries[slot];
  }
  if (!allowed) return undefined;
  const { name } = allowed;
  if (name.length !== end - start) return undefined;
  for (let index = 0; index < name.length; index += 1) {
    if ((html.charCodeAt(start + index) | 0x20) !== name.charCodeAt(index)) return undefined;
  }
  return allowed;
}

/**
 * True when every tag is an allowlisted element written plainly (`<name attr="v">`,
 * `</name>`), with allowlisted attributes only and URLs that are absolute http(s)/mailto (or
 * plain relative ones when there is no base). Anything unusual — comments, `<!`, `<?`, odd
 * characters in names, unbalanced quotes — sends the HTML to the rewriter.
 */
function isAlreadySafe(html: string, base: string | undefined): boolean {
  let index = html.indexOf('<');
  while (index !== -1) {
    const next = scanTag(html, index + 1, base, false);
    if (next === -1) return false;
    index = html.indexOf('<', next);
  }
  return true;
}

/**
 * The fast path's check of one tag, whose `<` is just before `start` in `html`. Returns where
 * to go on after the tag, `start` itself when the `<` opens no tag (`a < b`, `<3`: text to
 * HTML), or -1 when the tag is not plainly safe.
 *
 * `escaped`: `html` is XML text that spells the HTML with references (`&lt;p&gt;`), the `<`
 * being the `&lt;` just before `start`. The tag may then also end with `&gt;`, and any other
 * `&` in it fails the check, since a reference there could change what the tag says; so could
 * one right after `&lt;`, and the end of the text (the next text node may go on). A tag that
 * passes therefore decodes to `<`, the characters from `start` to its end as written, `>`.
 */
function scanTag(html: string, start: number, base: string | undefined, escaped: boolean): number {
  let at = start;
  let code = html.charCodeAt(at);
  const closing = code === SLASH;
  if (closing) code = html.charCodeAt((at += 1));
  if (!isAsciiAlpha(code)) {
    // `</x` with no name, `<!` and `<?` open comments and declarations.
    if (closing || code === EXCLAMATION_MARK || code === QUESTION_MARK) return -1;
    if (escaped && (code === AMPERSAND || Number.isNaN(code))) return -1;
    return start;
  }
  const nameStart = at;
  let hash = 0;
  while (isNameCharacter(code)) {
    hash = hashStep(hash, code);
    code = html.charCodeAt((at += 1));
  }
  if (!allowedName(ELEMENT_NAMES, hash, html, nameStart, at)) return -1;
  const end = tagEndLength(html, at, escaped);
  if (end !== 0) return at + end;
  return closing ? scanEndTagRest(html, at, escaped) : scanAttributes(html, at, base, escaped);
}

/** 1 when `>` is at `index`, 4 for an escaped tag's `&gt;`, else 0. */
function tagEndLength(html: string, index: number, escaped: boolean): number {
  const code = html.charCodeAt(index);
  if (code === GT) return 1;
  return escaped && code === AMPERSAND && html.startsWith('gt;', index + 1) ? 4 : 0;
}

/**
 * For XML text that holds escaped HTML (`&lt;p&gt;…`, as Atom `type="html"` content and RSS
 * descriptions carry it): where the tag spelled from the `&lt;` at `at` ends, when the fast
 * path accepts it as written (see `scanTag`); `at + 4` when that `&lt;` starts no tag; -1
 * when the tag needs the whole check.
 */
export function scanEscapedTag(raw: string, at: number, base: string | undefined): number {
  return scanTag(raw, at + 4, base, true);
}

/** After an end tag's name: spaces, then `>`. */
function scanEndTagRest(html: string, start: number, escaped: boolean): number {
  let index = start;
  while (isWhitespace(html.charCodeAt(index))) index += 1;
  const end = tagEndLength(html, index, escaped);
  return end === 0 ? -1 : index + end;
}

/** After a start tag's name: plain allowlisted attributes, then `>` or `/>`; else -1. */
function scanAttributes(
  html: string,
  start: number,
  base: string | undefined,
  escaped: boolean,
): number {
  let index = start;
  for (;;) {
    const before = index;
    while (isWhitespace(html.charCodeAt(index))) index += 1;
    let code = html.charCodeAt(index);
    const end = tagEndLength(html, index, escaped);
    if (end !== 0) return index + end;
    if (code === SLASH) {
      const selfClosingEnd = tagEndLength(html, index + 1, escaped);
      return selfClosingEnd === 0 ? -1 : index + 1 + selfClosingEnd;
    }
    // Attributes must be separated by whitespace.
    if (index === before) return -1;
    const nameStart = index;
    let hash = 0;
    while (isNameCharacter(code)) {
      hash = hashStep(hash, code);
      code = html.charCodeAt((index += 1));
    }
    const allowed = allowedName(ATTRIBUTE_NAMES, hash, html, nameStart, index);
    if (allowed === undefined) return -1;
    let afterName = index;
    while (isWhitespace(html.charCodeAt(afterName))) afterName += 1;
    if (html.charCodeAt(afterName) !== EQUALS) {
      // A name followed by anything but space, `=`, `>` or `/` is no plain attribute.
      if (afterName === index && !endsTagName(code) && tagEndLength(html, index, escaped) === 0) {
        return -1;
      }
      continue;
    }
    index = afterName + 1;
    while (isWhitespace(html.charCodeAt(index))) index += 1;
    const quote = html.charCodeAt(index);
    let valueStart: number;
    let valueEnd: number;
    if (quote === DOUBLE_QUOTE || quote === SINGLE_QUOTE) {
      valueStart = index + 1;
      valueEnd = html.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", valueStart);
      if (valueEnd === -1) return -1;
      if (escaped) {
        const reference = html.indexOf('&', valueStart);
        if (reference !== -1 && reference < valueEnd) return -1;
      }
      index = valueEnd + 1;
    } else {
      valueStart = index;
      while (index < html.length && !isUnquotedValueEnd(html.charCodeAt(index))) {
        code = html.charCodeAt(index);
        if (escaped && code === AMPERSAND) {
          if (tagEndLength(html, index, true) !== 0) break;
          return -1;
        }
        if (isUnquotedValueBreaker(code)) return -1;
        index += 1;
      }
      valueEnd = index;
      if (valueEnd === valueStart) return -1;
    }
    if (allowed.isUrl && !isUrlAlreadySafe(html, valueStart, valueEnd, base)) return -1;
  }
}

function isUnquotedValueEnd(code: number): boolean {
  return isWhitespace(code) || code === GT;
}

/** Characters that make an unquoted value a parse error browsers recover from differently. */
function isUnquotedValueBreaker(code: number): boolean {
  return (
    code === DOUBLE_QUOTE ||
    code === SINGLE_QUOTE ||
    code === 0x3c ||
    code === EQUALS ||
    code === 0x60
  );
}

/**
 * A URL value that needs no rewriting: empty, a fragment (`#notes`, whatever follows), or
 * written as an absolute http(s)/mailto URL — entities or spaces after the scheme cannot
 * change it. With no base, a plain relative reference (no scheme, entity, space or control
 * character) is also kept as it is.
 */
function isUrlAlreadySafe(
  html: string,
  start: number,
  end: number,
  base: string | undefined,
): boolean {
  if (start === end || html.charCodeAt(start) === NUMBER_SIGN) return true;
  if (
    html.startsWith('https://', start) ||
    html.startsWith('http://', start) ||
    html.startsWith('mailto:', start)
  ) {
    return true;
  }
  return base === undefined && PLAIN_RELATIVE_URL.test(html.slice(start, end));
}

// ---------------------------------------------------------------------------------------------
// Slow path: tokenize and write out what the allowlist keeps

function escapeText(text: string): string {
  return text.replace(/[<>]/g, (char) => (char === '<' ? '&lt;' : '&gt;'));
}

function escapeAttribute(value: string): string {
  return value.replace(/[&"]/g, (char) => (char === '&' ? '&amp;' : '&quot;'));
}

/**
 * A URL attribute value (entities already decoded) made absolute against `base`, or
 * `undefined` when its scheme is not allowed. A fragment-only or empty value stays as it is.
 */
export function safeContentUrl(value: string, base: string | undefined): string | undefined {
  // URL parsers trim C0 controls and spaces from both ends.
  // oxlint-disable-next-line no-control-regex -- as the URL Standard does
  const trimmed = value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (trimmed === '' || trimmed.startsWith('#')) return trimmed;
  // What a URL parser sees: tabs and newlines anywhere are removed before the scheme is read.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed.replace(/[\t\n\r]/g, ''))?.[1];
  if (scheme !== undefined) {
    if (!SAFE_SCHEMES.has(`${scheme.toLowerCase()}:`)) return undefined;
    return parseUrl(trimmed)?.href;
  }
  if (base === undefined) return trimmed;
  const resolved = parseUrl(trimmed, base);
  return resolved && SAFE_SCHEMES.has(resolved.protocol) ? resolved.href : undefined;
}

function parseUrl(reference: string, base?: string): URL | undefined {
  try {
    return new URL(reference, base);
  } catch {
    return undefined;
  }
}

function rewrite(html: string, base: string | undefined): string {
  const out: string[] = [];
  /** Open elements whose content is being dropped, innermost last. */
  const dropped: string[] = [];
  let tagName = '';
  let keepTag = false;
  let keptAttributes: string[] = [];

  tokenizeHtml(html, {
    openTag(name) {
      tagName = name.toLowerCase();
      keepTag = dropped.length === 0 && ALLOWED_ELEMENTS.has(tagName);
      keptAttributes = [];
      if (keepTag) out.push('<', tagName);
    },
    attribute(rawName, raw) {
      const name = rawName.toLowerCase();
      if (!keepTag || !ALLOWED_ATTRIBUTES.has(name)) return;
      // Browsers keep the first of repeated attributes.
      if (keptAttributes.includes(name)) return;
      keptAttributes.push(name);
      let value: string | undefined = decodeHtml(raw, true);
      if (URL_ATTRIBUTES.has(name)) value = safeContentUrl(value, base);
      if (value === undefined) return;
      out.push(' ', name, '="', escapeAttribute(value), '"');
    },
    openTagEnd(selfClosing) {
      if (keepTag) {
        out.push('>');
      } else if (
        DROPPED_WITH_CONTENT.has(tagName) &&
        !(selfClosing && FOREIGN_ELEMENTS.has(tagName))
      ) {
        dropped.push(tagName);
      }
    },
    closeTag(rawName) {
      const name = rawName.toLowerCase();
      if (dropped.length > 0) {
        if (dropped.at(-1) === name) dropped.pop();
      } else if (ALLOWED_ELEMENTS.has(name) && !VOID_ELEMENTS.has(name)) {
        out.push('</', name, '>');
      }
    },
    text(text) {
      if (dropped.length === 0) out.push(escapeText(text));
    },
    cdata(text) {
      // Escaped CDATA in HTML (`&lt;![CDATA[…]]&gt;` in a feed) means its content as text.
      if (dropped.length === 0) out.push(escapeHtmlText(text));
    },
  });
  return out.join('');
}

/** Text → HTML text: `&`, `<` and `>` escaped. */
export function escapeHtmlText(text: string): string {
  return text.replace(/[&<>]/g, (char) =>
    char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;',
  );
}
