import { decodeHTML, DecodingMode } from 'entities';
import { describe, expect, it } from 'vitest';
import { decodeHtml, entityNames, namedCharacter, numericCharacter } from '@/utils/html/entities';

describe('decodeHtml', () => {
  it.each([
    ['named references', 'caf&eacute; &mdash; &hellip; &nbsp;', 'café — … \u00a0'],
    ['numeric references, with or without ";"', '&#65;&#x42;&#X43 &#68', 'ABC D'],
    ['C1 references as windows-1252', '&#146;&#128;&#x81;', '\u2019€\u0081'],
    [
      'impossible code points as U+FFFD',
      '&#0;&#xD800;&#x110000;&#99999999999;',
      '\uFFFD'.repeat(4),
    ],
    ['legacy names without ";", longest first', '&copy 2024 &notit; &ampx', '© 2024 ¬it; &x'],
    ['upper-case legacy names', '&AMP; &COPY &LT&GT', '& © <>'],
    [
      'what is no reference, as written',
      '& &; &#; &#x; &bogus; AT&T',
      '& &; &#; &#x; &bogus; AT&T',
    ],
    [
      'HTML5 names outside the table, as written',
      '&colon; &NotEqual; &fjlig;',
      '&colon; &NotEqual; &fjlig;',
    ],
  ])('decodes %s in text', (_what, html, text) => {
    expect(decodeHtml(html)).toBe(text);
  });

  it.each([
    [
      'a legacy name before a letter, digit or "="',
      '?a=1&copy=2&copyx&copy2',
      '?a=1&copy=2&copyx&copy2',
    ],
    ['a legacy name before anything else', '&copy-&copy &copy', '©-© ©'],
    ['names with ";" and numeric references', '&copy;=&#38x', '©=&x'],
  ])('in attribute values, decodes %s as browsers do', (_what, value, decoded) => {
    expect(decodeHtml(value, true)).toBe(decoded);
  });

  it('returns the same string when there is nothing to decode', () => {
    const text = 'plain text';

    expect(decodeHtml(text)).toBe(text);
  });
});

describe('the entity table', () => {
  it('has every name of XHTML 1.0, the upper-case legacy names and &ZeroWidthSpace;', () => {
    for (const name of ['eacute', 'rsquo', 'nbsp', 'hearts', 'Omega', 'apos', 'QUOT', 'REG']) {
      expect(namedCharacter(name), name).toBeDefined();
    }
    expect(namedCharacter('ZeroWidthSpace')).toBe('\u200B');
  });

  it('decodes every name it has as HTML5 does', () => {
    const names = entityNames();

    // XHTML 1.0's 253, `QUOT`, `AMP`, `LT`, `GT`, `COPY`, `REG` and `ZeroWidthSpace`.
    expect(new Set(names).size).toBe(260);
    for (const name of names) {
      expect(namedCharacter(name), name).toBe(decodeHTML(`&${name};`, DecodingMode.Strict));
    }
  });
});

describe('numericCharacter', () => {
  it.each([
    [65, 'A'],
    [0x1f600, '😀'],
    [150, '–'],
    [0, '\uFFFD'],
    [0xdfff, '\uFFFD'],
  ])('reads %i as %j', (value, character) => {
    expect(numericCharacter(value)).toBe(character);
  });
});
