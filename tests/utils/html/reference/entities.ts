/**
 * Test-only reference: the XML character-reference decoding of `utils/feed/entities.ts` as it
 * was built on `entities` (commit e90a0ea), for the equivalence test of `utils/html/`. Not shipped.
 */
import { DecodingMode, decodeHTML } from 'entities';
import { replaceCodePoint } from 'entities/decode';
import { scanEscapedTag } from './sanitize';

/** Longest HTML entity name is 31 characters (`&CounterClockwiseContourIntegral;`). */
const MAX_NAME_LENGTH = 32;

/** Names decoded through the HTML table so far, with the text they stand for. */
const namedCache = new Map<string, string | null>();
const NAMED_CACHE_LIMIT = 4096;

const XHTML1_DIFFERENCES: ReadonlyMap<string, string> = new Map([
  ['lang', '\u2329'],
  ['rang', '\u232A'],
]);

/** Where the reference that `referenceAt` decoded ends (the index after its `;`). */
let referenceEnd = 0;

/**
 * Decodes `&…;` references in `raw` (text or an attribute value). References must end with
 * `;`; anything else — a bare `&`, `&nbsp` without `;`, an unknown name — stays as written.
 * `onBareAmpersand` is called when an `&` starts no reference syntax at all.
 */
export function decodeXmlText(raw: string, onBareAmpersand?: () => void): string {
  let amp = raw.indexOf('&');
  if (amp === -1) return raw;
  let out = '';
  let last = 0;
  while (amp !== -1) {
    const decoded = xmlEntityAt(raw, amp) ?? referenceAt(raw, amp);
    if (decoded === undefined) {
      amp = raw.indexOf('&', amp + 1);
      continue;
    }
    if (decoded === null) {
      onBareAmpersand?.();
      amp = raw.indexOf('&', amp + 1);
      continue;
    }
    // Two `+=`, not `+= a + b`: each then only links two strings, where `a + b` of short
    // strings copies them into a new one first (measured: a sixth less time).
    out += raw.slice(last, amp);
    out += decoded;
    last = referenceEnd;
    amp = raw.indexOf('&', last);
  }
  if (last === 0) return raw;
  out += raw.slice(last);
  // `+=` builds a rope (thousands of nodes for an escaped article). Flattened now, while its
  // nodes are young, it costs a third of what it costs once a whole feed's ropes have been
  // promoted to the old generation; a RegExp needs a flat subject, so this flattens it in V8.
  FLATTEN.test(out);
  return out;
}

const FLATTEN = /^/;

/** Decoded XML text, with what the sanitizer's fast path would say of it as HTML. */
export interface DecodedText {
  text: string;
  /**
   * The text, read as HTML, is already what `sanitizeHtml(text, base)` returns (so it may
   * skip its check). False means "not known", not "unsafe".
   */
  safeHtml: boolean;
}

/**
 * `decodeXmlText`, and in the same pass the sanitizer's fast-path check of the HTML the text
 * spells (`scanEscapedTag`), against `base`: the text of an element is decoded before anyone
 * knows whether it will be used as escaped HTML, and when it is, this spares a second pass
 * over a string as long as the article. Each tag (`&lt;a href="…"&gt;`) is checked on the
 * escaped text and copied in one piece. Only the five XML entities are handled here: at the
 * first other reference, a bare `&` or a tag the fast path does not accept, the rest is left
 * to `decodeXmlText` and the verdict is "not known".
 *
 * `raw` must hold no `<` (text as the scanner reports it, markup recovered as text excluded):
 * only then does every `<` of the decoded text come from a reference seen here.
 */
export function decodeXmlHtml(
  raw: string,
  base: string | undefined,
  onBareAmpersand?: () => void,
): DecodedText {
  let amp = raw.indexOf('&');
  if (amp === -1) return { text: raw, safeHtml: true };
  let out = '';
  let last = 0;
  let safeHtml = true;
  while (amp !== -1) {
    const decoded = xmlEntityAt(raw, amp);
    if (decoded === undefined) {
      safeHtml = false;
      break;
    }
    // Appended one piece at a time: each `+=` only links two strings (see `decodeXmlText`).
    out += raw.slice(last, amp);
    out += decoded;
    last = referenceEnd;
    if (decoded === '<') {
      const next = scanEscapedTag(raw, amp, base);
      if (next === -1) {
        safeHtml = false;
        break;
      }
      if (next > last) {
        // The tag as written, up to its `>` or `&gt;`.
        out += raw.slice(last, raw.charCodeAt(next - 1) === 0x3e ? next - 1 : next - 4);
        out += '>';
        last = next;
      }
    }
    amp = raw.indexOf('&', last);
  }
  if (last === 0) return { text: decodeXmlText(raw, onBareAmpersand), safeHtml };
  const rest = safeHtml ? raw.slice(last) : decodeXmlText(raw.slice(last), onBareAmpersand);
  return { text: flatten(out + rest), safeHtml };
}

/** `text` as one flat string (see `decodeXmlText`). */
function flatten(text: string): string {
  FLATTEN.test(text);
  return text;
}

/**
 * The five XML entities, read without slicing their names: escaped article HTML holds tens of
 * thousands of them per feed.
 */
function xmlEntityAt(raw: string, at: number): string | undefined {
  const first = raw.charCodeAt(at + 1);
  if (first === 0x6c /* l */ || first === 0x67 /* g */) {
    if (raw.charCodeAt(at + 2) !== 0x74 /* t */ || raw.charCodeAt(at + 3) !== 0x3b)
      return undefined;
    referenceEnd = at + 4;
    return first === 0x6c ? '<' : '>';
  }
  if (first === 0x61 /* a */) {
    if (raw.startsWith('amp;', at + 1)) {
      referenceEnd = at + 5;
      return '&';
    }
    if (raw.startsWith('apos;', at + 1)) {
      referenceEnd = at + 6;
      return "'";
    }
  } else if (first === 0x71 /* q */ && raw.startsWith('quot;', at + 1)) {
    referenceEnd = at + 6;
    return '"';
  }
  return undefined;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function hexValue(code: number): number {
  if (isDigit(code)) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

function isNameChar(code: number): boolean {
  const lower = code | 0x20;
  return (lower >= 0x61 && lower <= 0x7a) || isDigit(code);
}

/**
 * The text the reference at `at` stands for (setting `referenceEnd`); `undefined` for
 * reference syntax that decodes to nothing known (kept as written), `null` for a bare `&`.
 */
function referenceAt(raw: string, at: number): string | null | undefined {
  const first = raw.charCodeAt(at + 1);
  if (first === 0x23 /* # */) return numericReferenceAt(raw, at);
  if (!isNameChar(first) || isDigit(first)) return null;
  let end = at + 1;
  const limit = Math.min(raw.length, at + 1 + MAX_NAME_LENGTH);
  while (end < limit && isNameChar(raw.charCodeAt(end))) end += 1;
  if (raw.charCodeAt(end) !== 0x3b /* ; */) return null;
  referenceEnd = end + 1;
  return namedReference(raw.slice(at + 1, end)) ?? undefined;
}

function namedReference(name: string): string | null {
  const xhtml1 = XHTML1_DIFFERENCES.get(name);
  if (xhtml1 !== undefined) return xhtml1;
  const cached = namedCache.get(name);
  if (cached !== undefined) return cached;
  const reference = `&${name};`;
  const decoded = decodeHTML(reference, DecodingMode.Strict);
  const value = decoded === reference ? null : decoded;
  if (namedCache.size < NAMED_CACHE_LIMIT) namedCache.set(name, value);
  return value;
}

/** `&#NNN;` or `&#xHH;`, mapped as HTML maps them (`&#146;` is ’, `&#0;` is U+FFFD). */
function numericReferenceAt(raw: string, at: number): string | null | undefined {
  let index = at + 2;
  const hex = (raw.charCodeAt(index) | 0x20) === 0x78; /* x */
  if (hex) index += 1;
  const digitsStart = index;
  let value = 0;
  for (;;) {
    const code = raw.charCodeAt(index);
    const digit = hex ? hexValue(code) : isDigit(code) ? code - 0x30 : -1;
    if (digit === -1) break;
    // Past U+10FFFF it is replaced anyway; stop growing so huge digit runs stay exact.
    if (value <= 0x10ffff) value = value * (hex ? 16 : 10) + digit;
    index += 1;
  }
  if (index === digitsStart || raw.charCodeAt(index) !== 0x3b) return null;
  referenceEnd = index + 1;
  return String.fromCodePoint(replaceCodePoint(value));
}
