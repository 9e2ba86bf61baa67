/**
 * Character references as HTML reads them, without a DOM or an entity library: numeric ones
 * with HTML's repairs, and named ones from a table of the names feeds are written with.
 *
 * The table is XHTML 1.0's 253 names (every name in the conformance corpus, and the set feeds
 * were written against), HTML5's upper-case spellings of the legacy names (`&AMP`, `&COPY`…,
 * which HTML also reads without `;`) and `&ZeroWidthSpace;` (HOSTILE-INPUTS.md §38). HTML5
 * has about 1,860 more names (math symbols, rare letters, aliases such as `&colon;`): all of
 * them cost 7.1 KB gzip in a service worker budgeted at 60 KB, against 0.87 KB for this table,
 * so they are left as written (docs/decisions.md).
 */
import { WINDOWS_1252_HIGH } from '@/utils/feed/decode';
import * as chars from '@/utils/html/chars';

/** Local bindings for the per-character loops (why: `utils/html/chars.ts`). */
const isDigit = chars.isDigit;
const isNameCharacter = chars.isNameCharacter;

/**
 * The names, in code point order, as `delta name` tokens: a name stands for the code point
 * after the previous one, or that one plus `delta` when digits precede it (`0` for an alias).
 * The small letters of Latin-1 (U+00E0-U+00FE) and Greek (U+03B1-U+03C9) are not listed: each
 * is its capital's name in lower case, 32 code points on (`Eacute` É, `eacute` é); only
 * `divide`, `yuml` and `sigmaf`, which have no capital, are.
 */
const TABLE =
  '34QUOT 0quot 4AMP 0amp apos 21LT 0lt 2GT 0gt 98nbsp iexcl cent pound curren yen brvbar ' +
  'sect uml COPY 0copy ordf laquo not shy REG 0reg macr deg plusmn sup2 sup3 acute micro ' +
  'para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc ' +
  'Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH ' +
  'Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute ' +
  'THORN szlig 24divide 8yuml 83OElig oelig 13Scaron scaron 23Yuml 26fnof ' +
  '308circ 22tilde 181Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu ' +
  'Nu Xi Omicron Pi Rho 2Sigma Tau Upsilon Phi Chi Psi Omega 25sigmaf ' +
  '15thetasym upsih 4piv 7212ensp emsp 6thinsp 2ZeroWidthSpace ' +
  'zwnj zwj lrm rlm 4ndash mdash 4lsquo rsquo sbquo 2ldquo rdquo bdquo 2dagger Dagger ' +
  'bull 4hellip 10permil 2prime Prime 6lsaquo rsaquo 4oline 6frasl 104euro 101image ' +
  '7weierp 4real 6trade 19alefsym 91larr uarr rarr darr harr 33crarr 27lArr uArr rArr ' +
  'dArr hArr 44forall 2part exist 2empty 2nabla isin notin 2ni 4prod 2sum minus 5lowast ' +
  '3radic 3prop infin 2ang 7and or cap cup int 9there4 8sim 9cong 3asymp 24ne equiv 3le ' +
  'ge 29sub sup nsub 2sube supe 14oplus 2otimes 14perp 32sdot 67lceil rceil lfloor rfloor ' +
  '703loz 150spades 3clubs 2hearts diams 386lang rang';

let names: Map<string, string> | undefined;

function entityTable(): Map<string, string> {
  if (names === undefined) {
    names = new Map();
    let codePoint = 0;
    for (const token of TABLE.split(' ')) {
      const digits = /^\d*/.exec(token)![0];
      const name = token.slice(digits.length);
      codePoint += digits === '' ? 1 : Number(digits);
      names.set(name, String.fromCharCode(codePoint));
      // A capital of Latin-1 (U+00C0-U+00DF) or Greek (U+0380-U+03BF): its small letter too.
      if (/^[A-Z]/.test(name) && (codePoint >> 5 === 6 || codePoint >> 6 === 14)) {
        names.set(name.toLowerCase(), String.fromCharCode(codePoint + 32));
      }
    }
  }
  return names;
}

/** The names the table has. */
export function entityNames(): string[] {
  return [...entityTable().keys()];
}

/** The character `&name;` stands for, or `undefined` for a name not in the table. */
export function namedCharacter(name: string): string | undefined {
  return entityTable().get(name);
}

/**
 * Names HTML also reads without `;` (`&copy 2024`, `&amp`): the Latin-1 ones and `amp`, `lt`,
 * `gt`, `quot` in either case. In this table those are exactly the names of U+00A0-U+00FF and
 * of `&`, `<`, `>`, `"`.
 */
function isLegacy(character: string): boolean {
  return (character >= '\u00A0' && character <= '\u00FF') || '&<>"'.includes(character);
}

/**
 * The character a numeric reference stands for, as HTML maps it: NUL, surrogates and values
 * past U+10FFFF become U+FFFD, C1 controls the windows-1252 characters (`&#146;` is ’).
 */
export function numericCharacter(value: number): string {
  if (value === 0 || (value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return '\uFFFD';
  if (value >= 0x80 && value <= 0x9f) return WINDOWS_1252_HIGH[value - 0x80]!;
  return String.fromCodePoint(value);
}

/** Where the reference `numericReference` read last ends (after its `;`, when it has one). */
export let numericEnd = 0;

/**
 * The character of the numeric reference at `at` (its `&`, then `#`): `&#38;`, `&#x26;`, or
 * without `;`; `undefined` when no digit follows. Sets `numericEnd`.
 */
export function numericReference(text: string, at: number): string | undefined {
  let index = at + 2;
  const hex = (text.charCodeAt(index) | 0x20) === 0x78; /* x */
  if (hex) index += 1;
  const start = index;
  let value = 0;
  for (;;) {
    const code = text.charCodeAt(index);
    const lower = code | 0x20;
    const digit = isDigit(code)
      ? code - 0x30
      : hex && lower >= 0x61 && lower <= 0x66
        ? lower - 0x57
        : -1;
    if (digit === -1) break;
    // Past U+10FFFF it is replaced anyway; stop growing so huge digit runs stay exact.
    if (value <= 0x10ffff) value = value * (hex ? 16 : 10) + digit;
    index += 1;
  }
  if (index === start) return undefined;
  numericEnd = text.charCodeAt(index) === 0x3b /* ; */ ? index + 1 : index;
  return numericCharacter(value);
}

/**
 * Decodes the character references in HTML text, or in an attribute value (`inAttribute`), as
 * a browser does: numeric ones with or without `;`; named ones with `;`, and the legacy names
 * without it (longest first: `&notit;` is `¬it;`), except in an attribute value where a
 * letter, digit or `=` follows (`?a=1&copy=2` stays as written). Anything else stays as
 * written.
 */
export function decodeHtml(text: string, inAttribute = false): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let out = '';
  let last = 0;
  while (amp !== -1) {
    let end = -1;
    let decoded: string | undefined;
    const first = text.charCodeAt(amp + 1);
    if (first === 0x23 /* # */) {
      decoded = numericReference(text, amp);
      end = numericEnd;
    } else if (isNameCharacter(first) && !isDigit(first)) {
      let index = amp + 2;
      while (isNameCharacter(text.charCodeAt(index))) index += 1;
      const name = text.slice(amp + 1, index);
      decoded = text.charCodeAt(index) === 0x3b ? namedCharacter(name) : undefined;
      if (decoded !== undefined) {
        end = index + 1;
      } else {
        // The longest legacy name the run starts with (they have 2 to 6 characters).
        for (let length = Math.min(name.length, 6); length >= 2; length -= 1) {
          const legacy = namedCharacter(name.slice(0, length));
          if (legacy === undefined || !isLegacy(legacy)) continue;
          const next = text.charCodeAt(amp + 1 + length);
          if (!inAttribute || !(isNameCharacter(next) || next === 0x3d) /* = */) {
            decoded = legacy;
            end = amp + 1 + length;
          }
          break;
        }
      }
    }
    if (decoded === undefined) {
      amp = text.indexOf('&', amp + 1);
      continue;
    }
    out += text.slice(last, amp);
    out += decoded;
    last = end;
    amp = text.indexOf('&', last);
  }
  return last === 0 ? text : out + text.slice(last);
}
