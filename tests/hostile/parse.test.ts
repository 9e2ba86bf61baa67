/**
 * The parser's cases of `../shared/HOSTILE-INPUTS.md` (B: bytes to text, C: XML without a
 * DOM, D: links, zero-width and categories, E: identity and dates), one `describe` per case,
 * each test stating the behaviour the catalogue asks for. Network, storage and rendering cases
 * are tested next to their code; the conformance corpus (`tests/conformance/`) covers the
 * corpus files the catalogue names.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseFeedDate } from '@/utils/feed/dates';
import { parseFeed } from '@/utils/feed/parse';
import type { ParsedFeed } from '@/utils/feed/types';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url)));

const ascii = (text: string): number[] => Array.from(text, (char) => char.charCodeAt(0));
const utf8 = (text: string): number[] => Array.from(new TextEncoder().encode(text));
const bytes = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());

/** A minimal RSS 2.0 document around some channel content. */
const rss = (channel: string, attributes = ''): string =>
  `<?xml version="1.0"?><rss version="2.0" ${attributes}><channel><title>T</title>${channel}</channel></rss>`;

/** A minimal Atom 1.0 document around some feed content. */
const atom = (content: string, attributes = ''): string =>
  `<feed xmlns="http://www.w3.org/2005/Atom" ${attributes}><title>T</title>${content}</feed>`;

/** An RSS feed whose channel title is `titleBytes`, in `encoding` when given. */
function rssWithTitleBytes(titleBytes: number[], encoding?: string): Uint8Array {
  const declaration = encoding ? ` encoding="${encoding}"` : '';
  return bytes(
    ascii(`<?xml version="1.0"${declaration}?><rss version="2.0"><channel><title>`),
    titleBytes,
    ascii('</title><item><guid>1</guid></item></channel></rss>'),
  );
}

function utf16(text: string, endian: 'le' | 'be'): number[] {
  const units = Array.from({ length: text.length }, (_, index) => text.charCodeAt(index));
  return units.flatMap((code) =>
    endian === 'le' ? [code & 0xff, code >> 8] : [code >> 8, code & 0xff],
  );
}

function utf32(text: string, endian: 'le' | 'be'): number[] {
  return Array.from(text).flatMap((char) => {
    const point = char.codePointAt(0) ?? 0;
    const be = [point >>> 24, (point >> 16) & 0xff, (point >> 8) & 0xff, point & 0xff];
    return endian === 'be' ? be : be.reverse();
  });
}

/** Every string a parsed feed holds, to search for leaked or expanded content. */
const allText = (feed: ParsedFeed): string => JSON.stringify(feed);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('case 17: non-UTF-8 encoding declared only in the XML prolog', () => {
  it.each([
    ['windows-1252', [0x93, 0x41, 0x94, 0x20, 0x80], '\u201CA\u201D €'],
    [
      'ISO-8859-1 (read as windows-1252)',
      [0x63, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x94],
      'café \u201C\u201D',
    ],
    ['us-ascii (read as windows-1252)', [0x93, 0x6f, 0x6b, 0x94], '\u201Cok\u201D'],
    ['Shift_JIS', [0x93, 0xfa, 0x96, 0x7b], '日本'],
    ['EUC-KR', [0xc7, 0xd1, 0xb1, 0xdb], '한글'],
    ['GB2312', [0xd6, 0xd0, 0xce, 0xc4], '中文'],
    ['Big5', [0xa4, 0xa4, 0xa4, 0xe5], '中文'],
    ['KOI8-R', [0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4], 'Привет'],
    ['windows-1256', [0xd3, 0xe1, 0xc7, 0xe3], 'سلام'],
  ])('decodes %s from the bytes, never as UTF-8 text', (label, titleBytes, title) => {
    const encoding = label.split(' ')[0] ?? label;

    const feed = parseFeed(rssWithTitleBytes(titleBytes, encoding));

    expect(feed.title).toBe(title);
    expect(feed.warnings).toEqual([]);
  });

  it('lets an HTTP charset win over the declaration, and a BOM win over both', () => {
    const declared1252 = rssWithTitleBytes([0xe9], 'windows-1252');
    const withBom = bytes([0xef, 0xbb, 0xbf], Array.from(rssWithTitleBytes(utf8('é'), 'koi8-r')));

    expect(parseFeed(declared1252, { contentType: 'text/xml; charset=koi8-r' }).title).toBe('И');
    expect(parseFeed(withBom, { contentType: 'text/xml; charset=koi8-r' }).title).toBe('é');
  });
});

describe('case 18: legacy encoding with no declaration and no charset', () => {
  it('decodes as UTF-8, keeps the items and flags the encoding problem', () => {
    const feed = parseFeed(rssWithTitleBytes([0x93, 0xfa, 0x96, 0x7b]));

    expect(feed.title).toContain('\uFFFD');
    expect(feed.items).toHaveLength(1);
    expect(feed.warnings).toEqual(['invalid bytes replaced']);
  });
});

describe('case 19: BOMs, UTF-16, UTF-32', () => {
  const text =
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Ünï 😀</title></channel></rss>';

  it.each([
    ['UTF-8 with BOM', bytes([0xef, 0xbb, 0xbf], utf8(text))],
    ['UTF-16LE with BOM', bytes([0xff, 0xfe], utf16(text, 'le'))],
    ['UTF-16BE with BOM', bytes([0xfe, 0xff], utf16(text, 'be'))],
    ['UTF-16LE without BOM', bytes(utf16(text, 'le'))],
    ['UTF-16BE without BOM', bytes(utf16(text, 'be'))],
    ['UTF-32LE with BOM', bytes([0xff, 0xfe, 0, 0], utf32(text, 'le'))],
    ['UTF-32BE with BOM', bytes([0, 0, 0xfe, 0xff], utf32(text, 'be'))],
    ['UTF-32LE without BOM', bytes(utf32(text, 'le'))],
    ['UTF-32BE without BOM', bytes(utf32(text, 'be'))],
  ])('reads %s', (_name, body) => {
    const feed = parseFeed(body, { contentType: 'application/rss+xml; charset=utf-8' });

    expect(feed.title).toBe('Ünï 😀');
    expect(feed.warnings).toEqual([]);
  });

  it('reads a JSON Feed that starts with a UTF-8 BOM', () => {
    const json = '{"version": "https://jsonfeed.org/version/1.1", "title": "B", "items": []}';

    expect(parseFeed(bytes([0xef, 0xbb, 0xbf], utf8(json))).title).toBe('B');
  });
});

describe('case 20: invalid bytes and XML-illegal control characters', () => {
  it('replaces invalid bytes, drops C0 controls other than TAB/LF/CR, keeps the items, flags the feed', () => {
    const body = bytes(
      ascii('<rss version="2.0"><channel><title>a'),
      [0xff, 0x08, 0x13, 0x00],
      ascii('b\tc</title><item><guid>1</guid><title>x\u0001y</title></item></channel></rss>'),
    );

    const feed = parseFeed(body);

    expect(feed.title).toBe('a\uFFFDb c');
    expect(feed.items[0]?.title).toBe('xy');
    expect(feed.warnings).toEqual(['invalid bytes replaced', 'illegal control characters removed']);
  });
});

describe('case 21: windows-1252 bytes inside "UTF-8" text, double-encoded entities', () => {
  // Numeric references to C1 controls read as windows-1252, as in HTML (`&#146;` means ’).
  it('does not guess: invalid bytes become U+FFFD with a warning, mojibake stays as written', () => {
    const body = bytes(
      ascii('<rss version="2.0"><channel><title>don'),
      [0x92],
      ascii(
        't</title><item><guid>1</guid><title>&#226;&#128;&#153; &amp;amp;</title></item></channel></rss>',
      ),
    );

    const feed = parseFeed(body, { contentType: 'text/xml; charset=utf-8' });

    expect(feed.title).toBe('don\uFFFDt');
    expect(feed.items[0]?.title).toBe('â€™ &amp;');
    expect(feed.warnings).toContain('invalid bytes replaced');
  });
});

describe('case 22: text/xml without charset', () => {
  it('follows the XML declaration, not the obsolete "text/* means us-ascii" rule', () => {
    const feed = parseFeed(rssWithTitleBytes([0x63, 0x61, 0x66, 0xe9], 'windows-1252'), {
      contentType: 'text/xml',
    });

    expect(feed.title).toBe('café');
  });

  it('reads UTF-8 when there is no declaration either', () => {
    expect(parseFeed(rssWithTitleBytes(utf8('café')), { contentType: 'text/xml' }).title).toBe(
      'café',
    );
  });
});

describe('case 23: malformed Content-Type charset', () => {
  const latin1Cafe = rssWithTitleBytes([0x63, 0x61, 0x66, 0xe9]);

  it.each([
    ["single quotes: charset='windows-1252'", "text/xml; charset='windows-1252'"],
    ['double quotes: charset="windows-1252"', 'text/xml; charset="windows-1252"'],
    ['spaces: charset = windows-1252', 'text/xml; charset = windows-1252'],
    ['duplicated, first unknown', 'text/xml; charset=bogus; charset=windows-1252'],
    [
      'a colon: charset:iso-8859-1 (a hint for bytes that are not UTF-8)',
      'text/xml; charset:iso-8859-1',
    ],
  ])('reads %s leniently', (_name, contentType) => {
    expect(parseFeed(latin1Cafe, { contentType }).title).toBe('café');
  });

  it('falls back to the XML declaration when the label is unknown, with a warning', () => {
    const feed = parseFeed(rssWithTitleBytes([0xe9], 'windows-1252'), {
      contentType: 'text/xml; charset=klingon',
    });

    expect(feed.title).toBe('é');
    expect(feed.warnings).toEqual(['unknown Content-Type charset "klingon" ignored']);
  });
});

describe('case 24: entity expansion (billion laughs)', () => {
  it('never expands DOCTYPE entities and fetches nothing', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');

    const feed = parseFeed(fixture('billion-laughs.xml'));

    expect(feed.title).toBe('Laughs &lol9;');
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ title: 'Secret: &xxe;', summary: '&lol9;' });
    expect(allText(feed)).not.toContain('lollol');
    expect(allText(feed)).not.toContain('injected');
    expect(feed.warnings).toContain('DOCTYPE entity declarations ignored');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('does not expand one big entity referenced many times, and stays fast', () => {
    const big = 'x'.repeat(100_000);
    const document =
      `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "${big}">]>` +
      rss(
        `<item><guid>1</guid><description>${'&big;'.repeat(10_000)}</description></item>`,
      ).replace('<?xml version="1.0"?>', '');

    const started = performance.now();
    const feed = parseFeed(document);

    expect(feed.items[0]?.summary?.length).toBe('&big;'.length * 10_000);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('decodes numeric references once, without limits to bypass', () => {
    const feed = parseFeed(rss('<item><guid>1</guid><title>&#60;b&#x3E; &#38;lt;</title></item>'));

    expect(feed.items[0]?.title).toBe('<b> &lt;');
  });
});

describe('case 25: external entities (XXE) and external DTDs', () => {
  it('never reads files or makes requests', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');

    const feed = parseFeed(fixture('xxe.rss.xml'));

    expect(feed.items.map((item) => item.title)).toEqual(['Passwd: &xxe;', 'Remote: &remote;']);
    expect(allText(feed)).not.toContain('root:');
    expect(feed.warnings).toContain('DOCTYPE entity declarations ignored');
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('case 26: HTML named entities inside XML', () => {
  it('decodes them with the HTML table', () => {
    const feed = parseFeed(
      rss('<item><guid>1</guid><title>caf&eacute;&nbsp;&rsquo;s &hellip; &euro;5</title></item>'),
    );

    expect(feed.items[0]?.title).toBe('café\u00a0’s … €5');
  });

  it('reads &lang; and &rang; as XHTML 1.0 defines them (U+2329, U+232A)', () => {
    const feed = parseFeed(rss('<item><guid>1</guid><title>&lang;x&rang;</title></item>'));

    expect(feed.items[0]?.title).toBe('\u2329x\u232A');
  });

  it('keeps an unknown entity as written', () => {
    const feed = parseFeed(rss('<item><guid>1</guid><title>&notanentity; &amp;</title></item>'));

    expect(feed.items[0]?.title).toBe('&notanentity; &');
  });
});

describe('case 27: CDATA edge cases', () => {
  it('joins "]]>" split across two adjacent sections', () => {
    const feed = parseFeed(
      rss('<item><guid>1</guid><title><![CDATA[a ]]]]><![CDATA[> b]]></title></item>'),
    );

    expect(feed.items[0]?.title).toBe('a ]]> b');
  });

  it('reads escaped CDATA as the text it holds', () => {
    const feed = parseFeed(
      rss('<item><guid>1</guid><description>&lt;![CDATA[Kept text]]&gt;</description></item>'),
    );

    expect(feed.items[0]?.summary).toBe('Kept text');
  });

  it('keeps what an unterminated CDATA section holds, and the items before it', () => {
    const feed = parseFeed(
      '<rss version="2.0"><channel><title>T</title><item><guid>1</guid></item>' +
        '<item><guid>2</guid><description><![CDATA[cut off here',
    );

    expect(feed.items.map((item) => item.guid)).toEqual(['1', '2']);
    expect(feed.items[1]?.summary).toBe('cut off here');
    expect(feed.warnings).toContain(
      'ill-formed XML: the document ends before its elements are closed',
    );
  });

  it('removes a script wrapped in CDATA from content, keeping the text', () => {
    const feed = parseFeed(
      rss(
        '<item><guid>1</guid><content:encoded><![CDATA[safe<script>alert(1)</script> text]]></content:encoded></item>',
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
      ),
    );

    expect(feed.items[0]?.contentHtml).toBe('safe text');
  });
});

describe('case 28: namespaces with odd or missing prefixes', () => {
  it('matches Atom under any prefix and its https variant', () => {
    const a10 = parseFeed(
      rss(
        '<item><guid>1</guid><a10:link href="https://x.example/p"/><a10:updated>2026-01-01T00:00:00Z</a10:updated></item>',
        'xmlns:a10="http://www.w3.org/2005/Atom"',
      ),
    );
    const https = parseFeed(
      '<feed xmlns="https://www.w3.org/2005/Atom"><title>H</title><entry><id>1</id></entry></feed>',
    );

    expect(a10.items[0]).toMatchObject({ url: 'https://x.example/p' });
    expect(a10.items[0]?.updatedAt).toBe(Date.UTC(2026, 0, 1));
    expect(https).toMatchObject({ format: 'atom', title: 'H', items: [{ guid: '1' }] });
  });

  it('reads a fully prefixed Atom feed and namespaced attributes (ns:href)', () => {
    const feed = parseFeed(
      '<ns:feed xmlns:ns="http://www.w3.org/2005/Atom"><ns:title>P</ns:title>' +
        '<ns:entry><ns:id>1</ns:id><ns:link ns:href="https://x.example/1"/></ns:entry></ns:feed>',
    );

    expect(feed).toMatchObject({
      format: 'atom',
      title: 'P',
      items: [{ url: 'https://x.example/1' }],
    });
  });

  it('reads RSS 1.0 without a default namespace, and RSS 0.90', () => {
    const rss10 = parseFeed(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><channel><title>R</title></channel>' +
        '<item rdf:about="https://x.example/1"><title>One</title></item></rdf:RDF>',
    );
    const rss090 = parseFeed(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">' +
        '<channel><title>Old</title><link>https://old.example/</link></channel>' +
        '<item><title>First</title><link>https://old.example/1</link></item></rdf:RDF>',
    );

    expect(rss10).toMatchObject({
      format: 'rdf',
      title: 'R',
      items: [{ guid: 'https://x.example/1' }],
    });
    expect(rss090).toMatchObject({
      format: 'rdf',
      title: 'Old',
      siteUrl: 'https://old.example/',
      items: [{ title: 'First', url: 'https://old.example/1', guid: 'https://old.example/1' }],
    });
  });

  it('never takes an element of another namespace for an RSS one, and reads an empty xmlns as none', () => {
    const feed = parseFeed(
      rss(
        '<item><guid>1</guid><title>Real</title><x:title>Other</x:title><x:link>https://wrong.example/</x:link></item>' +
          '<item xmlns=""><guid>2</guid><title>Empty xmlns</title></item>',
        'xmlns:x="urn:x"',
      ),
    );

    expect(feed.items.map((item) => [item.title, item.url])).toEqual([
      ['Real', undefined],
      ['Empty xmlns', undefined],
    ]);
  });
});

describe('case 29: Atom text constructs (text, html, xhtml)', () => {
  const entry = (construct: string): ParsedFeed =>
    parseFeed(atom(`<entry><id>1</id>${construct}</entry>`), { url: 'https://x.example/feed' });

  it('reads type="text" with "<" as literal text', () => {
    const feed = entry(
      '<title type="text">a &lt;b&gt; c</title><content type="text">1 &lt; 2</content>',
    );

    expect(feed.items[0]).toMatchObject({ title: 'a <b> c', contentHtml: '1 &lt; 2' });
  });

  it('reads type="html" as escaped markup', () => {
    const feed = entry(
      '<title type="html">a &lt;b&gt;bold&lt;/b&gt;</title><content type="html">&lt;p&gt;x&lt;/p&gt;</content>',
    );

    expect(feed.items[0]).toMatchObject({ title: 'a bold', contentHtml: '<p>x</p>' });
  });

  it('drops the xhtml wrapper div, prefixed or not', () => {
    const plain = entry(
      '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>A <a href="/r">r</a></p></div></content>',
    );
    const prefixed = entry(
      '<content type="xhtml"><xhtml:div xmlns:xhtml="http://www.w3.org/1999/xhtml"><xhtml:p>B</xhtml:p></xhtml:div></content>',
    );

    expect(plain.items[0]?.contentHtml).toBe('<p>A <a href="https://x.example/r">r</a></p>');
    expect(prefixed.items[0]?.contentHtml).toBe('<p>B</p>');
  });

  it('decodes Atom 0.3 base64 content', () => {
    const feed = parseFeed(
      '<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><id>1</id>' +
        `<content type="text/html" mode="base64">${btoa('<p>decoded</p>')}</content></entry></feed>`,
    );

    expect(feed.items[0]?.contentHtml).toBe('<p>decoded</p>');
  });
});

describe('case 30: relative links, xml:base and the document URL', () => {
  it('resolves links against nested, relative xml:base, else the final response URL', () => {
    const feed = parseFeed(
      atom(
        '<entry xml:base="/a/"><id>1</id><link xml:base="b/" href="c.html"/></entry>' +
          '<entry><id>2</id><link href="d.html"/></entry>',
        'xml:base="https://moved.example/feeds/"',
      ),
      { url: 'https://host.example/feeds/main.xml' },
    );

    expect(feed.items.map((item) => item.url)).toEqual([
      'https://moved.example/a/b/c.html',
      'https://moved.example/feeds/d.html',
    ]);
  });

  it('resolves href and src inside content HTML', () => {
    const feed = parseFeed(
      rss(
        '<item><guid>1</guid><link>/p/1</link><description>&lt;a href="x.html"&gt;x&lt;/a&gt;</description>' +
          '<content:encoded><![CDATA[<a href="../up.html">u</a><img src="/i.png">]]></content:encoded></item>',
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
      ),
      { url: 'https://blog.example/feed/rss.xml' },
    );

    expect(feed.items[0]).toMatchObject({
      url: 'https://blog.example/p/1',
      contentHtml:
        '<a href="https://blog.example/up.html">u</a><img src="https://blog.example/i.png">',
    });
  });
});

describe('case 31: double-escaped titles', () => {
  it('decodes once and shows the rest as written', () => {
    const feed = parseFeed(
      rss('<item><guid>1</guid><title>Don&amp;#x27;t &amp;lt;b&amp;gt;</title></item>'),
    );

    expect(feed.items[0]?.title).toBe('Don&#x27;t &lt;b&gt;');
  });
});

describe('case 32: empty, truncated or half-broken document', () => {
  it.each([
    ['an empty body', ''],
    ['whitespace', ' \n '],
    ['a comment and nothing else', '<!--\nDescription: Empty document\n-->\n'],
  ])('rejects %s with FeedError "empty", never as a feed of zero items', (_name, body) => {
    expect(() => parseFeed(body)).toThrow(
      expect.objectContaining({ name: 'FeedError', code: 'empty' }),
    );
  });

  it('keeps the items read before a truncation and flags the feed', () => {
    const feed = parseFeed(fixture('truncated.rss.xml'));

    expect(feed.items.map((item) => item.guid)).toEqual([
      'https://half.example/complete',
      'half-2',
    ]);
    expect(feed.items[1]?.summary).toBe('The connection dropped in the mid');
    expect(feed.warnings).toContain(
      'ill-formed XML: the document ends before its elements are closed',
    );
  });

  it('drops a truncated item that has no id of its own', () => {
    const feed = parseFeed(
      rss('<item><guid>1</guid></item>').replace('</channel></rss>', '<item><title>Half a ti'),
    );

    expect(feed.items.map((item) => item.guid)).toEqual(['1']);
    expect(feed.warnings).toContain('1 truncated item(s) without an id dropped');
  });

  it('recovers from corrupted ampersands and stray tags', () => {
    const feed = parseFeed(
      rss(
        '<item><title>AT&T</title><link>https://x.example/?a=1&b=2</link></bogus></item><item><title>Two</title><guid>2</guid></item>',
      ),
    );

    expect(feed.items.map((item) => [item.title, item.url])).toEqual([
      ['AT&T', 'https://x.example/?a=1&b=2'],
      ['Two', undefined],
    ]);
    expect(feed.warnings).toEqual([
      'ill-formed XML: bare "&" kept as text',
      'ill-formed XML: end tag without a start tag ignored',
    ]);
  });
});

describe('case 34: javascript:, data:, vbscript: links', () => {
  it('keeps only http(s) item links', () => {
    const feed = parseFeed(fixture('javascript-links.rss.xml'));

    expect(feed.siteUrl).toBeUndefined();
    expect(feed.items.map((item) => item.url)).toEqual([
      undefined,
      undefined,
      undefined,
      'https://safe.example/post',
    ]);
  });

  it('removes unsafe href and src values inside content, entity-encoded or split', () => {
    const feed = parseFeed(
      rss(
        '<item><guid>1</guid><content:encoded><![CDATA[' +
          '<a href="javascript:alert(1)">a</a><a href="&#106;avascript:alert(2)">b</a>' +
          '<a href="java\nscript:alert(3)">c</a><a href="VBScript:x">d</a>' +
          '<img src="data:image/svg+xml;base64,PHN2Zz4="><a href="https://ok.example/">ok</a>' +
          ']]></content:encoded></item>',
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
      ),
    );

    expect(feed.items[0]?.contentHtml).toBe(
      '<a>a</a><a>b</a><a>c</a><a>d</a><img><a href="https://ok.example/">ok</a>',
    );
  });

  it('drops unsafe JSON Feed item URLs', () => {
    const feed = parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        items: [
          { id: '1', url: 'javascript:alert(1)', external_url: 'data:text/html,x' },
          { id: '2', url: ' JAVASCRIPT:alert(1)', content_html: '<a href="javascript:x">x</a>' },
        ],
      }),
    );

    expect(feed.items.map((item) => item.url)).toEqual([undefined, undefined]);
    expect(feed.items[1]?.contentHtml).toBe('<a>x</a>');
  });
});

describe('case 38: zero-width characters', () => {
  it('keeps ZWJ and ZWNJ in titles, and ZWSP from &ZeroWidthSpace; as written', () => {
    const feed = parseFeed(
      rss(
        '<item><guid>1</guid><title>👩&#x200D;💻 می&#x200C;خواهم</title></item>' +
          '<item><guid>2</guid><title>Vue&ZeroWidthSpace;Conf</title></item>',
      ),
    );

    expect(feed.items.map((item) => item.title)).toEqual([
      '👩\u200D💻 می\u200Cخواهم',
      'Vue\u200BConf',
    ]);
  });

  it('ignores U+200B and U+FEFF when comparing categories, but not ZWJ/ZWNJ', () => {
    const feed = parseFeed(
      rss(
        '<item><guid>1</guid><category>News\u200B</category><category>\uFEFFnews</category>' +
          '<category>می\u200Cخواهم</category><category>میخواهم</category><category>\u200B</category></item>',
      ),
    );

    expect(feed.items[0]?.categories).toEqual(['News\u200B', 'می\u200Cخواهم', 'میخواهم']);
  });
});

describe('case 39: duplicate categories differing in case or space', () => {
  it('keeps the first spelling of each NFKC-casefolded, trimmed key', () => {
    const feed = parseFeed(
      rss(
        '<item><guid>1</guid><category>News</category><category>news</category><category> News </category>' +
          '<category>ＮＥＷＳ</category><category>Straße</category><category>STRASSE</category>' +
          '<category>State  Space</category><category>state space</category></item>',
      ),
    );

    expect(feed.items[0]?.categories).toEqual(['News', 'Straße', 'State Space']);
  });

  it('de-duplicates across RSS categories, dc:subject and JSON Feed tags alike', () => {
    const rssFeed = parseFeed(
      rss(
        '<item><guid>1</guid><category>Tools</category><dc:subject>tools</dc:subject></item>',
        'xmlns:dc="http://purl.org/dc/elements/1.1/"',
      ),
    );
    const jsonFeed = parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        items: [{ id: '1', tags: ['News', 'news', ' NEWS ', 42] }],
      }),
    );

    expect(rssFeed.items[0]?.categories).toEqual(['Tools']);
    expect(jsonFeed.items[0]?.categories).toEqual(['News']);
  });
});

describe('case 40: missing guid/id', () => {
  it('keys by guid, else link, else a stable hash of title, date and summary', () => {
    const items =
      '<item><guid isPermaLink="false">g</guid><link>https://x.example/1</link></item>' +
      '<item><link>https://x.example/2</link></item>' +
      '<item><title>No id</title><pubDate>Mon, 02 Mar 2026 18:05:00 GMT</pubDate><description>s</description></item>';

    const first = parseFeed(rss(items));
    const again = parseFeed(rss(items));
    const edited = parseFeed(rss(items.replace('<description>s<', '<description>t<')));

    expect(first.items.map((item) => item.guid)).toEqual([
      'g',
      'https://x.example/2',
      expect.stringMatching(/^hash:[0-9a-z]+$/),
    ]);
    expect(again.items[2]?.guid).toBe(first.items[2]?.guid);
    expect(edited.items[2]?.guid).not.toBe(first.items[2]?.guid);
  });

  it('uses Atom ids and rdf:about, and a permalink guid as the link', () => {
    const feed = parseFeed(
      rss(
        '<item><guid>https://x.example/a</guid></item><item><guid isPermaLink="false">https://x.example/b</guid></item>',
      ),
    );

    expect(feed.items.map((item) => [item.guid, item.url])).toEqual([
      ['https://x.example/a', 'https://x.example/a'],
      ['https://x.example/b', undefined],
    ]);
  });

  it('discards JSON Feed items without a usable id', () => {
    const feed = parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        items: [{ id: 7 }, { id: ' ' }, { id: null }, { id: {} }, { title: 'none' }, { id: 'ok' }],
      }),
    );

    expect(feed.items.map((item) => item.guid)).toEqual(['7', 'ok']);
    expect(feed.warnings).toEqual(['4 item(s) without a usable id discarded']);
  });

  it('does not resolve a relative Atom id against the fetch URL, so a moved feed keeps its ids', () => {
    const document = atom('<entry><id>/posts/1</id></entry>');

    const before = parseFeed(document, { url: 'http://blog.example/feed' });
    const after = parseFeed(document, { url: 'https://www.blog.example/feed' });

    expect(before.items[0]?.guid).toBe('/posts/1');
    expect(after.items[0]?.guid).toBe(before.items[0]?.guid);
  });
});

describe('case 41: duplicate guids in one feed', () => {
  it('returns both items of a repeated id, first first, with a warning', () => {
    const feed = parseFeed(
      rss(
        '<item><guid>same</guid><title>A</title></item><item><guid>same</guid><title>B</title></item>' +
          '<item><guid>other</guid><title>C</title></item>',
      ),
    );

    expect(feed.items.map((item) => [item.guid, item.title])).toEqual([
      ['same', 'A'],
      ['same', 'B'],
      ['other', 'C'],
    ]);
    expect(feed.warnings).toEqual(['1 item(s) repeat the id of an earlier item']);
  });

  it('re-keys items by link, else hash, when three or more share one id (broken generator)', () => {
    const feed = parseFeed(
      rss(
        '<item><guid>https://blog.example/</guid><link>https://blog.example/1</link><title>One</title></item>' +
          '<item><guid>https://blog.example/</guid><link>https://blog.example/2</link><title>Two</title></item>' +
          '<item><guid>https://blog.example/</guid><title>Three</title></item>' +
          '<item><guid>https://blog.example/</guid><title>Four</title></item>' +
          '<item><guid>own</guid><title>Own id</title></item>',
      ),
    );

    const guids = feed.items.map((item) => item.guid);
    expect(guids.slice(0, 2)).toEqual(['https://blog.example/1', 'https://blog.example/2']);
    expect(guids[2]).toMatch(/^hash:/);
    expect(guids[3]).toMatch(/^hash:/);
    expect(guids[4]).toBe('own');
    expect(new Set(guids).size).toBe(5);
    expect(feed.warnings).toEqual([
      '4 items share an id with 2 or more others: keyed by link or content',
    ]);
  });

  it('re-keys JSON Feed items the same way', () => {
    const feed = parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        items: ['a', 'b', 'c'].map((title) => ({ id: 'dup', title, content_text: title })),
      }),
    );

    expect(new Set(feed.items.map((item) => item.guid)).size).toBe(3);
  });
});

describe('case 45: invalid and odd dates', () => {
  const utc = (iso: string): number => Date.parse(iso);

  it.each([
    ['RFC 822', 'Mon, 25 May 2020 04:45:26 +0000', '2020-05-25T04:45:26Z'],
    [
      'month before day (NetNewsWire #2109)',
      'Mon, May 25 2020 04:45:26 +0000',
      '2020-05-25T04:45:26Z',
    ],
    ['a 12-hour clock (NetNewsWire #5341)', 'Fri, Jun 26 2026 10:04:03 AM', '2026-06-26T10:04:03Z'],
    ['a 12-hour clock, PM', 'Fri, 26 Jun 2026 10:04 PM GMT', '2026-06-26T22:04:00Z'],
    ['a named zone', 'Tue, 10 Jun 2003 04:00:00 EDT', '2003-06-10T08:00:00Z'],
    ['a military zone', 'Tue, 10 Jun 2003 04:00:00 Z', '2003-06-10T04:00:00Z'],
    ['no seconds', 'Tue, 10 Jun 2003 04:00 +0200', '2003-06-10T02:00:00Z'],
    ['a two-digit year', 'Tue, 10 Jun 03 04:00:00 GMT', '2003-06-10T04:00:00Z'],
    ['a misspelled day name', 'Thurs, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['a wrong day name', 'Mon, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['no day name', '01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['a full month name', '1 January 2004 19:48:21 GMT', '2004-01-01T19:48:21Z'],
    ['RFC 3339 with an offset', '2026-03-10T09:30:00+02:00', '2026-03-10T07:30:00Z'],
    ['RFC 3339 with fractions', '2026-03-10T09:30:00.123Z', '2026-03-10T09:30:00.123Z'],
    ['ISO 8601 without an offset, read as UTC', '2026-03-10T09:30:00', '2026-03-10T09:30:00Z'],
    ['a space instead of T', '2026-03-10 09:30:00Z', '2026-03-10T09:30:00Z'],
    ['W3CDTF year and month', '2003-12', '2003-12-01T00:00:00Z'],
    ['W3CDTF year', '2003', '2003-01-01T00:00:00Z'],
    ['W3CDTF date', '2003-12-31', '2003-12-31T00:00:00Z'],
  ])('reads %s', (_name, text, iso) => {
    expect(parseFeedDate(text)).toBe(utc(iso));
  });

  it.each([
    ['30 February', 'Mon, 30 Feb 2026 10:00:00 GMT'],
    ['30 February in ISO', '2026-02-30T10:00:00Z'],
    ['29 February of a common year', '2025-02-29'],
    ['hour 25', '2026-03-10T25:00:00Z'],
    ['minute 61', 'Tue, 10 Jun 2003 04:61:00 GMT'],
    ['no date at all', 'yesterday'],
    ['an empty string', ''],
    ['a zero date', '0000-00-00 00:00:00'],
    ['a month that is none', '10 Foo 2003'],
  ])('leaves out %s', (_name, text) => {
    expect(parseFeedDate(text)).toBeUndefined();
  });

  it('never calls Date.parse or new Date on feed text', () => {
    const parse = vi.spyOn(Date, 'parse');

    parseFeed(rss('<item><guid>1</guid><pubDate>Mon, 30 Feb 2026 10:00:00 GMT</pubDate></item>'));

    expect(parse).not.toHaveBeenCalled();
  });

  it('leaves an invalid date out of the item, so storage uses first-seen', () => {
    const feed = parseFeed(
      rss('<item><guid>1</guid><pubDate>Mon, 30 Feb 2026 10:00:00 GMT</pubDate></item>'),
    );

    expect(feed.items[0]?.publishedAt).toBeUndefined();
    expect(feed.items[0]?.updatedAt).toBeUndefined();
  });

  it('keeps a far-future date as written: the poll cycle clamps it to first-seen for sorting', () => {
    const feed = parseFeed(
      rss('<item><guid>1</guid><pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>'),
    );

    expect(feed.items[0]?.publishedAt).toBe(utc('2100-01-01T00:00:00Z'));
  });
});
