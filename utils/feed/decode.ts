/**
 * Feed bytes to text. `Response.text()` always decodes UTF-8, which turns feeds declared as
 * windows-1252, Shift_JIS or UTF-16 into mojibake, so the poll cycle hands us the raw bytes
 * and we pick the encoding the way RFC 7303 and the WHATWG Encoding Standard say:
 * BOM, then the HTTP charset, then the XML declaration, then UTF-8 (HOSTILE-INPUTS.md §B).
 */
import { FeedError } from '@/utils/feed/types';

/** A decoded body, with the encoding that was used and what had to be repaired. */
export interface DecodedFeed {
  /** The document as text: BOM removed, XML-illegal control characters removed. */
  text: string;
  /** The WHATWG name of the encoding used (`utf-8`, `windows-1252`, `utf-16le`…). */
  encoding: string;
  /** What was repaired or ignored, in words (unknown label, invalid bytes…). */
  warnings: string[];
}

/** C0 controls other than TAB, LF and CR: illegal in XML 1.0, and fatal to strict parsers. */
// oxlint-disable-next-line no-control-regex -- matching control characters is the point
const ILLEGAL_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

/** How far into the document the XML declaration may be looked for. */
const PROLOG_SCAN_BYTES = 1024;

/**
 * Decodes a fetched feed body. Order of authority: byte order mark, then the `charset` of
 * `contentType` (parsed leniently: quotes, spaces, `charset:x`, repeated parameters), then the
 * XML declaration's `encoding`, then UTF-8. UTF-16 without a BOM is recognised from how `<?`
 * is laid out. A label `TextDecoder` does not know falls through to the next source, with a
 * warning. Decoding is never fatal: invalid bytes become U+FFFD and are reported.
 *
 * @throws FeedError `unsupported-encoding` for UTF-32, which has no `TextDecoder`.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): DecodedFeed {
  const warnings: string[] = [];
  const decoder = chooseDecoder(bytes, contentType, warnings);
  const decoded = repairWindows1252(decoder.decode(bytes), decoder.encoding);
  if (decoded.includes('\uFFFD')) warnings.push('invalid bytes replaced');
  return { text: cleanDecodedText(decoded, warnings), encoding: decoder.encoding, warnings };
}

/**
 * Prepares text that did not come through `decodeFeedBytes` (a string body): drops a leading
 * BOM and the XML-illegal control characters, noting the latter in `warnings`.
 */
export function cleanDecodedText(text: string, warnings: string[]): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  ILLEGAL_CONTROLS.lastIndex = 0;
  if (!ILLEGAL_CONTROLS.test(withoutBom)) return withoutBom;
  warnings.push('illegal control characters removed');
  return withoutBom.replace(ILLEGAL_CONTROLS, '');
}

function chooseDecoder(
  bytes: Uint8Array,
  contentType: string | undefined,
  warnings: string[],
): TextDecoder {
  const sniffed = sniffByteLayout(bytes);
  if (sniffed === 'utf-32') {
    throw new FeedError(
      'unsupported-encoding',
      'The feed is encoded in UTF-32, which browsers cannot decode.',
    );
  }
  // The byte layout of a BOM or of `<?` in UTF-16 is evidence; a label is only a claim.
  if (sniffed) return new TextDecoder(sniffed.label);

  for (const [source, label] of [
    ['Content-Type charset', charsetFromContentType(contentType)],
    ['XML declaration encoding', encodingFromXmlDeclaration(bytes)],
  ] as const) {
    if (label === undefined) continue;
    const decoder = createDecoder(label);
    if (!decoder) {
      warnings.push(`unknown ${source} "${label}" ignored`);
    } else if (decoder.encoding.startsWith('utf-16')) {
      // UTF-16 bytes would have matched a layout above; these are ASCII-compatible, so the
      // label is wrong (WHATWG likewise reads a UTF-16 declaration there as UTF-8).
      warnings.push(`${source} "${label}" does not match the bytes and was ignored`);
    } else {
      return decoder;
    }
  }
  return new TextDecoder('utf-8');
}

/** What WHATWG windows-1252 maps bytes 0x80-0x9F to (the five undefined ones map to C1). */
const WINDOWS_1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/**
 * Node 20.18.3+ and 22.13+ decode windows-1252 (and so `iso-8859-1`, `us-ascii`) as Latin-1,
 * leaving 0x80-0x9F as C1 controls (nodejs/node#60888, #56542). Browsers are correct, where
 * this is a no-op: a correct decoder never emits the C1 characters this replaces.
 */
function repairWindows1252(text: string, encoding: string): string {
  if (encoding !== 'windows-1252') return text;
  return text.replace(
    /[\u0080-\u009F]/g,
    (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80] ?? char,
  );
}

type ByteLayout = { label: 'utf-8' | 'utf-16le' | 'utf-16be' } | 'utf-32';

/** BOMs, and the UTF-16/32 layouts of a leading `<` (`<\0?\0`, `\0<\0?`) without a BOM. */
function sniffByteLayout(bytes: Uint8Array): ByteLayout | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return 'utf-32';
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return 'utf-32';
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { label: 'utf-8' };
  if (b0 === 0xfe && b1 === 0xff) return { label: 'utf-16be' };
  if (b0 === 0xff && b1 === 0xfe) return { label: 'utf-16le' };
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x00 && b3 === 0x00) return 'utf-32';
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0x00 && b3 === 0x3c) return 'utf-32';
  if (b0 === 0x3c && b1 === 0x00 && b3 === 0x00) return { label: 'utf-16le' };
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00) return { label: 'utf-16be' };
  return undefined;
}

/** `new TextDecoder(label)` without the RangeError; UTF-32 labels count as unknown here. */
function createDecoder(label: string): TextDecoder | undefined {
  try {
    return new TextDecoder(label);
  } catch {
    return undefined;
  }
}

/**
 * The `charset` of a Content-Type, read the lenient way servers need: `charset="x"`,
 * `charset='x'`, `charset = x`, `charset:x`; with several, the first one `TextDecoder` knows.
 */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  let first: string | undefined;
  for (const match of contentType.matchAll(/charset\s*[=:]\s*["']?\s*([^"';,\s]+)/gi)) {
    const label = match[1];
    if (label === undefined) continue;
    if (createDecoder(label)) return label;
    first ??= label;
  }
  return first;
}

/** The `encoding` pseudo-attribute of a leading `<?xml …?>`, in single or double quotes. */
function encodingFromXmlDeclaration(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, PROLOG_SCAN_BYTES);
  let prolog = '';
  for (const byte of head) {
    if (byte === 0x3e) break;
    prolog += String.fromCharCode(byte);
  }
  const match = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*(["'])\s*([^"']*?)\s*\1/i.exec(prolog);
  return match?.[2] || undefined;
}
