import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  charsetFromContentType,
  decodeFeedBytes,
  FeedTextReader,
  hasControlBytes,
} from '@/utils/feed/decode';

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
    ['windows-1252', 'text/xml; charset=windows-1252'],
    ['Shift_JIS', 'text/xml; charset=shift_jis'],
    ['UTF-8', undefined],
  ])('finds control characters anywhere in %s text', (_name, contentType) => {
    for (let at = 0; at < 40; at += 1) {
      const text = `<rss>${'x'.repeat(at)}\u0001${'y'.repeat(40 - at)}</rss>`;
      const result = decodeFeedBytes(utf8(text), contentType);

      expect(result.text).toBe(text.replace('\u0001', ''));
      expect(result.warnings).toEqual(['illegal control characters removed']);
    }
  });

  it('leaves ISO-2022-JP escapes to the decoder and still finds control characters', () => {
    const escaped = [0x1b, 0x24, 0x42, 0x30, 0x21, 0x1b, 0x28, 0x42];
    const jis = (...extra: number[]) => bytes(ascii('<rss>'), escaped, extra, ascii('</rss>'));

    expect(decodeFeedBytes(jis(), 'text/xml; charset=iso-2022-jp')).toMatchObject({
      text: '<rss>\u4E9C</rss>',
      warnings: [],
    });
    expect(decodeFeedBytes(jis(0x02), 'text/xml; charset=iso-2022-jp').warnings).toEqual([
      'illegal control characters removed',
    ]);
  });

  function utf32(text: string, endian: 'le' | 'be'): number[] {
    return Array.from(text).flatMap((char) => {
      const point = char.codePointAt(0) ?? 0;
      const be = [point >>> 24, (point >> 16) & 0xff, (point >> 8) & 0xff, point & 0xff];
      return endian === 'be' ? be : be.reverse();
    });
  }

  it.each([
    ['a UTF-32BE BOM', bytes([0x00, 0x00, 0xfe, 0xff], utf32('<rss>é😀</rss>', 'be')), 'utf-32be'],
    ['a UTF-32LE BOM', bytes([0xff, 0xfe, 0x00, 0x00], utf32('<rss>é😀</rss>', 'le')), 'utf-32le'],
    ['UTF-32LE without BOM', bytes(utf32('<rss>é😀</rss>', 'le')), 'utf-32le'],
    ['UTF-32BE without BOM', bytes(utf32('<rss>é😀</rss>', 'be')), 'utf-32be'],
  ])('decodes UTF-32 by hand (%s)', (_name, body, encoding) => {
    const result = decodeFeedBytes(body, 'text/xml; charset=utf-8');

    expect(result).toEqual({ text: '<rss>é😀</rss>', encoding, warnings: [] });
  });

  it('decodes a long UTF-32 document whole, astral characters included', () => {
    const text = `<rss>${'é😀 word '.repeat(5_000)}</rss>`;

    const result = decodeFeedBytes(bytes(utf32(text, 'le')));

    expect(result).toEqual({ text, encoding: 'utf-32le', warnings: [] });
  });

  it('replaces invalid UTF-32 units and a cut-off last unit', () => {
    const body = bytes(utf32('<a>', 'le'), [0x00, 0xd8, 0, 0], [0, 0, 0x11, 0], [0x3c, 0]);

    const result = decodeFeedBytes(body);

    expect(result.text).toBe('<a>\uFFFD\uFFFD\uFFFD');
    expect(result.warnings).toEqual(['invalid bytes replaced']);
  });

  it('reads "charset:x" only as a hint, for bytes that are not UTF-8', () => {
    const ascii1252 = decodeFeedBytes(bytes(ascii('<rss/>')), 'text/xml; charset:iso-8859-1');
    const latin1 = decodeFeedBytes(bytes(ascii('<t>'), CAFE_1252), 'text/xml; charset:iso-8859-1');

    expect(ascii1252.encoding).toBe('utf-8');
    expect(latin1.encoding).toBe('windows-1252');
    expect(latin1.text).toBe('<t>café');
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

describe('FeedTextReader', () => {
  function readAll(reader: FeedTextReader): string[] {
    const pieces: string[] = [];
    for (let piece = reader.next(); piece !== undefined; piece = reader.next()) pieces.push(piece);
    return pieces;
  }

  it.each([
    ['UTF-8', utf8('<rss>é€😀“x”</rss>'.repeat(50)), undefined],
    ['UTF-16LE', bytes([0xff, 0xfe], utf16('<rss>é€“x”</rss>'.repeat(50), 'le')), undefined],
    ['UTF-16BE', bytes([0xfe, 0xff], utf16('<rss>é€“x”</rss>'.repeat(50), 'be')), undefined],
    [
      'Shift_JIS',
      bytes(
        ascii('<?xml version="1.0" encoding="Shift_JIS"?>'),
        ...Array(60).fill([0x93, 0xfa, 0x96, 0x7b]),
      ),
      undefined,
    ],
    ['windows-1252', bytes(...Array(60).fill(CAFE_1252)), 'text/xml; charset=windows-1252'],
  ])(
    'hands out %s in pieces that join to what decodeFeedBytes gives',
    (_name, body, contentType) => {
      for (const size of [1, 2, 3, 5, 7, 64]) {
        const pieces = readAll(new FeedTextReader(body, contentType, size));

        expect(pieces.join('')).toBe(decodeFeedBytes(body, contentType).text);
      }
    },
  );

  it('reports each problem once, however many pieces show it', () => {
    const body = bytes(...Array(20).fill([0x61, 0xff, 0x01]));
    const reader = new FeedTextReader(body, undefined, 4);

    expect(readAll(reader).join('')).toBe('a\uFFFD'.repeat(20));
    expect(reader.warnings).toEqual([
      'invalid bytes replaced',
      'illegal control characters removed',
    ]);
  });

  it('reads everything again in one string, controls kept on request', () => {
    const reader = new FeedTextReader(utf8('\uFEFF{"a": "b\u0001"}'), undefined, 4);
    reader.next();

    expect(reader.readAll(true)).toBe('{"a": "b\u0001"}');
    expect(reader.next()).toBeUndefined();
  });
});

describe('hasControlBytes', () => {
  it.each([0x00, 0x01, 0x08, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f])(
    'finds byte %i at every offset and alignment',
    (control) => {
      const buffer = new Uint8Array(64).fill(0x61);
      for (let offset = 0; offset < 4; offset += 1) {
        for (let at = offset; at < 64; at += 1) {
          const view = buffer.subarray(offset);
          buffer[at] = control;

          expect(hasControlBytes(view)).toBe(true);
          buffer[at] = 0x61;
        }
      }
    },
  );

  it('accepts tabs, line breaks and every byte from 0x20', () => {
    const allowed = [0x09, 0x0a, 0x0d, ...Array.from({ length: 224 }, (_, index) => index + 0x20)];

    expect(hasControlBytes(new Uint8Array([...allowed, ...allowed]))).toBe(false);
    expect(hasControlBytes(new Uint8Array([]))).toBe(false);
  });

  it('finds a control byte in any word of a block that also holds line breaks', () => {
    for (let breakAt = 0; breakAt < 16; breakAt += 1) {
      for (let at = 0; at < 16; at += 1) {
        if (at === breakAt) continue;
        const buffer = new Uint8Array(32).fill(0x61);
        buffer[breakAt] = 0x0a;
        buffer[at] = 0x01;

        expect(hasControlBytes(buffer)).toBe(true);
      }
    }
  });

  it('agrees with a byte-by-byte check on random bytes', () => {
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    const pool = [0x09, 0x0a, 0x0d, 0x20, 0x61, 0xc3, 0xa9, 0x00, 0x1f, 0x0b];
    for (let round = 0; round < 2000; round += 1) {
      const length = Math.floor(random() * 70);
      // Mostly text and line breaks; now and then a control byte.
      const bytes = Uint8Array.from(
        { length },
        () => pool[Math.floor(random() * (random() < 0.98 ? 7 : pool.length))]!,
      );
      const offset = Math.floor(random() * 4);
      const view = bytes.subarray(Math.min(offset, length));
      const expected = view.some(
        (byte) => byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d,
      );

      expect(hasControlBytes(view)).toBe(expected);
    }
  });
});
