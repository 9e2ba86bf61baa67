/**
 * Character classes shared by the HTML tokenizer, the XML scanner, the sanitizer and the
 * reference decoders: one definition each, on UTF-16 code units.
 *
 * Modules that call these per character (`xml-scanner.ts`, `sanitize.ts`, `tokenizer.ts`, the
 * entity decoders) import the namespace and bind each predicate to a module-local `const`
 * once. Under Vitest's module runner (which `npm run bench` and the tests use) every use of a
 * named import is a property read through a getter on the module's exports; in per-character
 * loops that cost parseFeed 20–30% and kept V8 from inlining the scanners. Bundled code is the
 * same either way.
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
