/**
 * Feed bytes to text. `Response.text()` always decodes UTF-8, which turns feeds declared as
 * windows-1252, Shift_JIS or UTF-16 into mojibake, so the poll cycle hands us the raw bytes
 * and we pick the encoding the way RFC 7303 and the WHATWG Encoding Standard say:
 * BOM, then the HTTP charset, then the XML declaration, then UTF-8 (HOSTILE-INPUTS.md §B).
 */

/** A decoded body, with the encoding that was used and what had to be repaired. */
export interface DecodedFeed {
  /** The document as text: BOM removed, XML-illegal control characters removed. */
  text: string;
  /**
   * The WHATWG name of the encoding used (`utf-8`, `windows-1252`, `utf-16le`…), or
   * `utf-32le`/`utf-32be`, which no `TextDecoder` knows and which are decoded by hand.
   */
  encoding: string;
  /** What was repaired or ignored, in words (unknown label, invalid bytes…). */
  warnings: string[];
}

/** C0 controls other than TAB, LF and CR: illegal in XML 1.0, and fatal to strict parsers. */
// oxlint-disable-next-line no-control-regex -- matching control characters is the point
const ILLEGAL_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

/** How far into the document the XML declaration may be looked for. */
const PROLOG_SCAN_BYTES = 1024;

/** Bytes decoded at a time by `FeedTextReader`. */
const PIECE_BYTES = 128 * 1024;

/** The first piece is small: it is what sniffing needs, and JSON is decoded again whole. */
const FIRST_PIECE_BYTES = 8 * 1024;

/**
 * Decodes a fetched feed body. Order of authority: byte order mark, then the `charset` of
 * `contentType` (parsed leniently: quotes, spaces, `charset:x`, repeated parameters), then the
 * XML declaration's `encoding`, then UTF-8. UTF-16 and UTF-32 without a BOM are recognised
 * from how a leading `<` is laid out. A label `TextDecoder` does not know falls through to
 * the next source, with a warning. Decoding is never fatal: invalid bytes become U+FFFD and
 * are reported.
 *
 * UTF-32 has no `TextDecoder` label (it is not in the WHATWG Encoding Standard), so it is
 * decoded here by hand; `encoding` is then `utf-32le` or `utf-32be`.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): DecodedFeed {
  const reader = new FeedTextReader(bytes, contentType, Infinity);
  const pieces: string[] = [];
  for (let piece = reader.next(); piece !== undefined; piece = reader.next()) pieces.push(piece);
  return { text: pieces.join(''), encoding: reader.encoding, warnings: reader.warnings };
}

/**
 * A body decoded as `decodeFeedBytes` does, but handed out in pieces of about
 * `pieceBytes`, so that a parser can let go of what it has read: the whole document never has
 * to exist as one string (a large feed's text takes twice its bytes in memory). Every piece is
 * cleaned (BOM and XML-illegal controls removed); each problem is reported once.
 */
export class FeedTextReader {
  /** The WHATWG name of the encoding used, as in `DecodedFeed.encoding`. */
  readonly encoding: string;
  /** What was repaired or ignored, in words; complete once `next()` has returned undefined. */
  readonly warnings: string[] = [];
  #decoder: TextDecoder | undefined;
  #position = 0;
  #started = false;
  #finished = false;
  #sawInvalidBytes = false;
  #sawControls = false;
  /**
   * False when the bytes prove the text has no illegal control character, so no piece needs
   * the search for one (a pass over every character, a tenth of a parse).
   */
  readonly #mayHaveControls: boolean;

  readonly #bytes: Uint8Array;
  #pieceBytes: number;

  constructor(bytes: Uint8Array, contentType?: string, pieceBytes = PIECE_BYTES) {
    this.#bytes = bytes;
    this.#pieceBytes = pieceBytes;
    const sniffed = sniffByteLayout(bytes);
    if (sniffed === 'utf-32le' || sniffed === 'utf-32be') {
      this.encoding = sniffed;
    } else {
      this.encoding = sniffed ?? chooseDecoder(contentType, bytes, this.warnings).encoding;
      this.#decoder = this.#createDecoder();
    }
    // UTF-16 and UTF-32 spell every character with bytes below 0x20: their text is searched.
    const wide = this.encoding.startsWith('utf-16') || this.encoding.startsWith('utf-32');
    this.#mayHaveControls = wide || hasControlBytes(bytes);
  }

  /** BOMs are removed here, once, at the start: not by the decoder at the start of each piece. */
  #createDecoder(): TextDecoder {
    return new TextDecoder(this.encoding, { ignoreBOM: true });
  }

  /** The next piece of text (possibly empty), or `undefined` after the last one. */
  next(): string | undefined {
    const piece = this.#decodeNext();
    return piece === undefined ? undefined : this.#removeControls(piece);
  }

  /**
   * The whole text as one string, decoded again from the first byte (for a parser that needs
   * it whole after all, such as `JSON.parse`); `next()` is done afterwards. With
   * `keepControls`, illegal control characters are left in (and not reported).
   */
  readAll(keepControls = false): string {
    if (this.#decoder) this.#decoder = this.#createDecoder();
    this.#pieceBytes = Infinity;
    this.#position = 0;
    this.#started = false;
    this.#finished = false;
    const text = this.#decodeNext() ?? '';
    return keepControls ? text : this.#removeControls(text);
  }

  #decodeNext(): string | undefined {
    if (this.#finished) return undefined;
    let piece: string;
    const size =
      this.#started || this.#pieceBytes === Infinity ? this.#pieceBytes : FIRST_PIECE_BYTES;
    if (!this.#decoder) {
      const decoded = decodeUtf32(this.#bytes, this.encoding === 'utf-32le');
      if (decoded.invalid) this.#noteInvalidBytes();
      piece = decoded.text;
      this.#finished = true;
    } else if (this.#position === 0 && this.#bytes.length <= size) {
      piece = this.#decoder.decode(this.#bytes);
      this.#finished = true;
    } else if (this.#position < this.#bytes.length) {
      const end = Math.min(this.#position + size, this.#bytes.length);
      const aligned = alignToCharacter(this.#bytes, this.#position, end, this.encoding);
      // A piece cut between characters decodes on its own (and takes the decoders' fast
      // paths); other encodings keep their state across pieces in stream mode.
      piece =
        aligned === undefined
          ? this.#decoder.decode(this.#bytes.subarray(this.#position, end), { stream: true })
          : this.#decoder.decode(this.#bytes.subarray(this.#position, aligned));
      this.#position = aligned ?? end;
    } else {
      piece = this.#decoder.decode();
      this.#finished = true;
    }
    if (this.#decoder) {
      piece = repairWindows1252(piece, this.encoding);
      // U+FFFD is what the decoder puts for invalid bytes; a feed rarely contains it on purpose.
      if (!this.#sawInvalidBytes && piece.includes('\uFFFD')) this.#noteInvalidBytes();
    }
    if (!this.#started) {
      this.#started = true;
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
    }
    return piece;
  }

  #noteInvalidBytes(): void {
    this.#sawInvalidBytes = true;
    this.warnings.push('invalid bytes replaced');
  }

  #removeControls(piece: string): string {
    if (!this.#mayHaveControls) return piece;
    ILLEGAL_CONTROLS.lastIndex = 0;
    if (!ILLEGAL_CONTROLS.test(piece)) return piece;
    if (!this.#sawControls) this.warnings.push('illegal control characters removed');
    this.#sawControls = true;
    return piece.replace(ILLEGAL_CONTROLS, '');
  }
}

/** An XML-illegal C0 control: below U+0020, other than TAB, LF and CR. */
function isIllegalControl(code: number): boolean {
  return code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;
}

/**
 * Whether `bytes` hold a byte that is an XML-illegal C0 control (0x00-0x08, 0x0B, 0x0C,
 * 0x0E-0x1F). For every encoding but UTF-16 and UTF-32, no control character can be decoded
 * from anything else: UTF-8 and the legacy multi-byte encodings use only bytes from 0x80 (and
 * ASCII letters) after a lead byte, single-byte ones map 0x00-0x1F to C0 and nothing else
 * there, and ISO-2022-JP's escapes are 0x1B, which this reports. So `false` proves the
 * decoded text clean. Reads four bytes at a time: a word holds a byte below 0x20 exactly when
 * `(w - 0x20202020) & ~w & 0x80808080` is non-zero (line breaks and tabs hit too, and are then
 * told apart byte by byte); sixteen bytes are tested at once, as JIT-compiled code does this
 * at about twice the speed of the equivalent regular expression over the decoded text.
 */
export function hasControlBytes(bytes: Uint8Array): boolean {
  const length = bytes.length;
  // Bytes before the first 4-byte boundary; a view too short to reach one is read bytewise
  // (an `Int32Array` at an unaligned offset throws, even with no words in it).
  const head = Math.min(length, (4 - (bytes.byteOffset & 3)) & 3);
  if (length - head < 4) return bytes.some(isIllegalControl);
  for (let index = 0; index < head; index += 1) {
    if (isIllegalControl(bytes[index]!)) return true;
  }
  const wordCount = (length - head) >> 2;
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + head, wordCount);
  const unrolled = wordCount & ~3;
  for (let word = 0; word < unrolled; word += 4) {
    const a = words[word]!;
    const b = words[word + 1]!;
    const c = words[word + 2]!;
    const d = words[word + 3]!;
    const below =
      ((a - 0x20202020) & ~a) |
      ((b - 0x20202020) & ~b) |
      ((c - 0x20202020) & ~c) |
      ((d - 0x20202020) & ~d);
    // Line breaks and tabs set these bits too: only the words that set them are looked at.
    if ((below & 0x80808080) !== 0 && hasControlIn(bytes, words, head, word)) return true;
  }
  for (let index = head + unrolled * 4; index < length; index += 1) {
    if (isIllegalControl(bytes[index]!)) return true;
  }
  return false;
}

/** Whether one of the four words from `word` on holds an illegal control byte. */
function hasControlIn(bytes: Uint8Array, words: Int32Array, head: number, word: number): boolean {
  for (let each = word; each < word + 4; each += 1) {
    const value = words[each]!;
    if (((value - 0x20202020) & ~value & 0x80808080) === 0) continue;
    const start = head + each * 4;
    for (let index = start; index < start + 4; index += 1) {
      if (isIllegalControl(bytes[index]!)) return true;
    }
  }
  return false;
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

/**
 * The decoder named by the Content-Type charset, else the XML declaration, else UTF-8.
 *
 * `charset:x` is no parameter (`name=value`), so browsers and feedparser ignore it; servers
 * that send it still mean it. It is read as a hint only: after the XML declaration, and only
 * when the bytes are not UTF-8 (HOSTILE-INPUTS.md §23).
 */
function chooseDecoder(
  contentType: string | undefined,
  bytes: Uint8Array,
  warnings: string[],
): TextDecoder {
  const fromHeader = charsetFromContentType(contentType);
  const headerIsHint = fromHeader !== undefined && !/charset\s*=/i.test(contentType ?? '');
  const sources: (readonly [string, string | undefined])[] = [
    ['Content-Type charset', headerIsHint ? undefined : fromHeader],
    ['XML declaration encoding', encodingFromXmlDeclaration(bytes)],
  ];
  if (headerIsHint && !isUtf8(bytes)) sources.push(['Content-Type charset', fromHeader]);
  for (const [source, label] of sources) {
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

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where to end a piece of `bytes[start, end)` so that it ends between two characters: `end`
 * moved back over UTF-8 continuation bytes, or to an even offset not after a UTF-16 high
 * surrogate. `undefined` for other encodings (multi-byte legacy ones need the decoder's
 * state) and when no boundary is found. Single-byte encodings need no care but are rare.
 */
function alignToCharacter(
  bytes: Uint8Array,
  start: number,
  end: number,
  encoding: string,
): number | undefined {
  if (end >= bytes.length) return end;
  if (encoding === 'utf-8') {
    let cut = end;
    while (cut > start && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
    return cut > start ? cut : undefined;
  }
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    let cut = end - ((end - start) % 2);
    const high = encoding === 'utf-16le' ? bytes[cut - 1] : bytes[cut - 2];
    if (high !== undefined && high >= 0xd8 && high <= 0xdb) cut -= 2;
    return cut > start ? cut : undefined;
  }
  return undefined;
}

/**
 * UTF-32 by hand: each 4 bytes one code point. Surrogates, values above U+10FFFF and a
 * trailing partial unit become U+FFFD, as a non-fatal decoder would do.
 */
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): { text: string; invalid: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Code points go to `fromCodePoint` a chunk at a time, to keep its arguments few.
  const points: number[] = [];
  const chunks: string[] = [];
  let invalid = bytes.byteLength % 4 !== 0;
  for (let offset = 0; offset + 4 <= bytes.byteLength; offset += 4) {
    const point = view.getUint32(offset, littleEndian);
    const valid = point <= 0x10ffff && (point < 0xd800 || point > 0xdfff);
    if (!valid) invalid = true;
    points.push(valid ? point : 0xfffd);
    if (points.length === 8192) chunks.push(String.fromCodePoint(...points.splice(0)));
  }
  chunks.push(String.fromCodePoint(...points));
  if (bytes.byteLength % 4 !== 0) chunks.push('\uFFFD');
  return { text: chunks.join(''), invalid };
}

/**
 * What WHATWG windows-1252 maps bytes 0x80-0x9F to (the five undefined ones map to C1), and
 * so what HTML reads `&#128;`-`&#159;` as (`utils/html/entities.ts`).
 */
export const WINDOWS_1252_HIGH =
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

type ByteLayout = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/**
 * BOMs, and the UTF-16/32 layouts of a leading `<` without a BOM (`<\0\0\0`, `\0\0\0<`,
 * `<\0?\0`, `\0<\0?`). `FF FE 00 00` is read as the UTF-32LE BOM: a UTF-16 document never
 * starts with U+0000.
 */
function sniffByteLayout(bytes: Uint8Array): ByteLayout | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return 'utf-32be';
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return 'utf-32le';
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf-8';
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x00 && b3 === 0x00) return 'utf-32le';
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0x00 && b3 === 0x3c) return 'utf-32be';
  if (b0 === 0x3c && b1 === 0x00 && b3 === 0x00) return 'utf-16le';
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00) return 'utf-16be';
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
