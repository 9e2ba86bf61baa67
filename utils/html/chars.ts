/**
 * Character classes shared by the HTML tokenizer, the XML scanner, the sanitizer and the
 * reference decoders: one definition each, on UTF-16 code units.
 */

/** HTML's (and htmlparser2's XML mode's) whitespace: space, tab, LF, FF, CR. */
export function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0c || code === 0x0d;
}

/** Whitespace, `/` and `>` end a tag or attribute name. */
export function endsTagName(code: number): boolean {
  return isWhitespace(code) || code === 0x2f || code === 0x3e;
}

export function isAsciiAlpha(code: number): boolean {
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** ASCII letters and digits: what reference names (and allowlisted tag names) are made of. */
export function isNameCharacter(code: number): boolean {
  return isAsciiAlpha(code) || isDigit(code);
}
