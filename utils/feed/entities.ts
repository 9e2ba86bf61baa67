/**
 * Character references in feed XML, decoded once: numeric ones, and named ones from our HTML
 * table (`&eacute;` is not XML, but feeds are full of it; HOSTILE-INPUTS.md §26). Feeds were
 * written against XHTML 1.0's entity sets, which differ from HTML5's in two names: `&lang;`
 * and `&rang;` are U+2329/U+232A there, U+27E8/U+27E9 in HTML5.
 *
 * Hand-written because this runs over every text node of every feed, escaped article HTML
 * included: the five XML entities and numeric references take a fast path, other names are
 * looked up in the table (`utils/html/entities.ts`, whose doc says which names it has).
 */
import { scanEscapedTag } from '@/utils/feed/sanitize';
import * as chars from '@/utils/html/chars';
import { namedCharacter, numericEnd, numericReference } from '@/utils/html/entities';

/** Local bindings for the per-character loops (why: `utils/html/chars.ts`). */
const isDigit = chars.isDigit;
const isNameCharacter = chars.isNameCharacter;

/** Longest HTML entity name is 31 characters (`&CounterClockwiseContourIntegral;`). */
const MAX_NAME_LENGTH = 32;

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

/**
 * The text the reference at `at` stands for (setting `referenceEnd`); `undefined` for
 * reference syntax that decodes to nothing known (kept as written), `null` for a bare `&`.
 * XML wants the `;`, after numeric references (`&#146;` is ’ as in HTML) and names alike.
 */
function referenceAt(raw: string, at: number): string | null | undefined {
  const first = raw.charCodeAt(at + 1);
  if (first === 0x23 /* # */) {
    const character = numericReference(raw, at);
    if (character === undefined || raw.charCodeAt(numericEnd - 1) !== 0x3b) return null;
    referenceEnd = numericEnd;
    return character;
  }
  if (!isNameCharacter(first) || isDigit(first)) return null;
  let end = at + 1;
  const limit = Math.min(raw.length, at + 1 + MAX_NAME_LENGTH);
  while (end < limit && isNameCharacter(raw.charCodeAt(end))) end += 1;
  if (raw.charCodeAt(end) !== 0x3b /* ; */) return null;
  referenceEnd = end + 1;
  const name = raw.slice(at + 1, end);
  return XHTML1_DIFFERENCES.get(name) ?? namedCharacter(name);
}
