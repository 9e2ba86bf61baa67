import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeFeedBytes } from '@/utils/feed/decode';
import { isFeedError } from '@/utils/feed/types';

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);
const bytes = (...values: number[][]): Uint8Array => Uint8Array.from(values.flat());
const ascii = (text: string): number[] => Array.from(text, (char) => char.charCodeAt(0));

function utf16(text: string, endian: 'le' | 'be'): number[] {
  return Array.from(text).flatMap((char) => {
    const code = char.charCodeAt(0);
    return endian === 'le' ? [code & 0xff, code >> 8] : [code >> 8, code & 0xff];
  });
}

/** `café` in windows-1252: é is the single byte 0xE9, invalid on its own in UTF-8. */
const CAFE_1252 = [0x63, 0x61, 0x66, 0xe9];

describe('decodeFeedBytes', () => {
  it('decodes UTF-8 by default', () => {
    const result = decodeFeedBytes(utf8('<rss><title>café ☕</title></rss>'));

    expect(result).toEqual({
      text: '<rss><title>café ☕</title></rss>',
      encoding: 'utf-8',
      warnings: [],
    });
  });

  it('lets the BOM win over the Content-Type and the declaration', () => {
    const body = bytes(
      [0xef, 0xbb, 0xbf],
      ascii('<?xml version="1.0" encoding="windows-1252"?>'),
      [0xc3, 0xa9],
    );

    const result = decodeFeedBytes(body, 'text/xml; charset=iso-8859-2');

    expect(result.encoding).toBe('utf-8');
    expect(result.text).toBe('<?xml version="1.0" encoding="windows-1252"?>é');
  });

  it.each([
    ['UTF-16LE with BOM', bytes([0xff, 0xfe], utf16('<rss/>', 'le')), 'utf-16le'],
    ['UTF-16BE with BOM', bytes([0xfe, 0xff], utf16('<rss/>', 'be')), 'utf-16be'],
    ['UTF-16LE without BOM', bytes(utf16('<?xml?><rss/>', 'le')), 'utf-16le'],
    ['UTF-16BE without BOM', bytes(utf16('<?xml?><rss/>', 'be')), 'utf-16be'],
  ])('recognises %s from the bytes', (_name, body, encoding) => {
    const result = decodeFeedBytes(body);

    expect(result.encoding).toBe(encoding);
    expect(result.text.endsWith('<rss/>')).toBe(true);
    expect(result.text.startsWith('\uFEFF')).toBe(false);
  });

  it('lets the Content-Type charset win over the XML declaration', () => {
    const body = bytes(ascii('<?xml version="1.0" encoding="utf-8"?>'), CAFE_1252);

    const result = decodeFeedBytes(body, 'application/rss+xml; charset=windows-1252');

    expect(result.encoding).toBe('windows-1252');
    expect(result.text.endsWith('café')).toBe(true);
  });

  it.each([
    ['double quotes', '<?xml version="1.0" encoding="windows-1252"?>'],
    ['single quotes', "<?xml version='1.0' encoding='windows-1252'?>"],
    ['spaces around =', '<?xml version="1.0" encoding = "windows-1252" ?>'],
    [
      'an ISO-8859-1 label, which WHATWG reads as windows-1252',
      '<?xml version="1.0" encoding="ISO-8859-1"?>',
    ],
  ])('follows the XML declaration written with %s', (_name, declaration) => {
    const result = decodeFeedBytes(bytes(ascii(declaration), CAFE_1252));

    expect(result.encoding).toBe('windows-1252');
    expect(result.text).toBe(`${declaration}café`);
    expect(result.warnings).toEqual([]);
  });

  it('decodes windows-1252 punctuation in 0x80-0x9F to the real characters', () => {
    const body = bytes(
      ascii('<?xml version="1.0" encoding="windows-1252"?>'),
      [0x93, 0x41, 0x94, 0x20, 0x80, 0x96],
    );

    expect(decodeFeedBytes(body).text.endsWith('\u201CA\u201D €\u2013')).toBe(true);
  });

  it('decodes the windows-1252 fixture declared only in its XML prolog', () => {
    const body = new Uint8Array(
      readFileSync(new URL('../../fixtures/feeds/windows-1252.rss.xml', import.meta.url)),
    );

    const result = decodeFeedBytes(body);

    expect(result.encoding).toBe('windows-1252');
    expect(result.text).toContain('<title>\u201CSmart quotes\u201D \u2013 and €5 coffee</title>');
    expect(result.text).toContain('Crème brûlée');
  });

  it('decodes legacy multi-byte encodings named in the declaration', () => {
    const body = bytes(
      ascii('<?xml version="1.0" encoding="Shift_JIS"?>'),
      [0x93, 0xfa, 0x96, 0x7b],
    );

    const result = decodeFeedBytes(body);

    expect(result.encoding).toBe('shift_jis');
    expect(result.text.endsWith('日本')).toBe(true);
  });

  it('falls back to the declaration when the Content-Type label is unknown', () => {
    const body = bytes(ascii('<?xml version="1.0" encoding="windows-1252"?>'), CAFE_1252);

    const result = decodeFeedBytes(body, 'text/xml; charset=klingon');

    expect(result.encoding).toBe('windows-1252');
    expect(result.warnings).toEqual(['unknown Content-Type charset "klingon" ignored']);
  });

  it('falls back to UTF-8 when the declared label is unknown', () => {
    const result = decodeFeedBytes(utf8('<?xml version="1.0" encoding="x-bogus"?><rss/>'));

    expect(result.encoding).toBe('utf-8');
    expect(result.warnings).toEqual(['unknown XML declaration encoding "x-bogus" ignored']);
  });

  it('ignores a UTF-16 label on bytes that are plainly ASCII-compatible', () => {
    const result = decodeFeedBytes(utf8('<?xml version="1.0" encoding="utf-16"?><rss/>'));

    expect(result.encoding).toBe('utf-8');
    expect(result.text).toBe('<?xml version="1.0" encoding="utf-16"?><rss/>');
    expect(result.warnings).toHaveLength(1);
  });

  it('replaces invalid bytes and says so', () => {
    const result = decodeFeedBytes(bytes(ascii('<rss>'), [0xff, 0xfe, 0xfd], ascii('</rss>')));

    expect(result.text).toBe('<rss>\uFFFD\uFFFD\uFFFD</rss>');
    expect(result.warnings).toEqual(['invalid bytes replaced']);
  });

  it('removes XML-illegal control characters but keeps tabs and line breaks', () => {
    const result = decodeFeedBytes(utf8('<rss>\u0000a\u0008b\u0013c\td\ne\rf</rss>'));

    expect(result.text).toBe('<rss>abc\td\ne\rf</rss>');
    expect(result.warnings).toEqual(['illegal control characters removed']);
  });

  it.each([
    ['a UTF-32BE BOM', bytes([0x00, 0x00, 0xfe, 0xff], [0, 0, 0, 0x3c])],
    ['a UTF-32LE BOM', bytes([0xff, 0xfe, 0x00, 0x00], [0x3c, 0, 0, 0])],
    ['UTF-32LE without BOM', bytes([0x3c, 0, 0, 0, 0x3f, 0, 0, 0])],
    ['UTF-32BE without BOM', bytes([0, 0, 0, 0x3c, 0, 0, 0, 0x3f])],
  ])('refuses UTF-32 (%s) as unsupported', (_name, body) => {
    expect(() => decodeFeedBytes(body)).toThrow(
      expect.objectContaining({ name: 'FeedError', code: 'unsupported-encoding' }),
    );
  });

  it('throws errors that isFeedError recognises', () => {
    let caught: unknown;
    try {
      decodeFeedBytes(bytes([0x00, 0x00, 0xfe, 0xff]));
    } catch (error) {
      caught = error;
    }

    expect(isFeedError(caught)).toBe(true);
  });
});

describe('charsetFromContentType', () => {
  it.each([
    ['text/xml; charset=utf-8', 'utf-8'],
    ['text/xml;charset="us-ascii"', 'us-ascii'],
    ["application/atom+xml;charset='gb2312'", 'gb2312'],
    ["application/rss+xml;charset= 'us-ascii'", 'us-ascii'],
    ['text/xml;charset = us-ascii', 'us-ascii'],
    ['text/xml; charset:iso-8859-1', 'iso-8859-1'],
    ['TEXT/XML; CHARSET=UTF-8', 'UTF-8'],
    ['text/xml; charset=bogus; charset=windows-1252', 'windows-1252'],
    ['text/xml; charset=utf-8; charset=utf-8', 'utf-8'],
    ['text/xml; charset=bogus', 'bogus'],
    ['text/xml', undefined],
    ['text/xml; qs=0.9', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (contentType, charset) => {
    expect(charsetFromContentType(contentType)).toBe(charset);
  });
});
