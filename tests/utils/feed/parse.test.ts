import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  authorName,
  categoryKey,
  MAX_PUBLISHER_INTERVAL_MS,
  normalizeCategories,
  parseFeed,
  sniffFeedFormat,
  stableHash,
} from '@/utils/feed/parse';
import type { FeedErrorCode } from '@/utils/feed/types';

const fixtureBytes = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url)));
const fixtureText = (name: string): string => new TextDecoder().decode(fixtureBytes(name));

/** A minimal RSS 2.0 document around some channel content. */
const rss = (channel: string, attributes = ''): string =>
  `<?xml version="1.0"?><rss version="2.0" ${attributes}><channel><title>T</title>${channel}</channel></rss>`;

/** A minimal Atom 1.0 document around some feed content. */
const atom = (content: string): string =>
  `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>${content}</feed>`;

const DATE = (iso: string): number => Date.parse(iso);

describe('parseFeed', () => {
  describe('RSS 2.0 (research blog fixture)', () => {
    const feed = parseFeed(fixtureBytes('research-blog.rss.xml'), {
      url: 'https://research.example/feed.xml',
      contentType: 'application/rss+xml; charset=utf-8',
    });
    const [selective, attention, reading, errata] = feed.items;

    it('reads the channel', () => {
      expect(feed).toMatchObject({
        format: 'rss',
        title: 'Sequence Models & Friends',
        siteUrl: 'https://research.example/',
        description: 'Notes on long-context architectures.',
        warnings: [],
      });
    });

    it('keeps the items in document order', () => {
      expect(feed.items.map((item) => item.title)).toEqual([
        'Selective state spaces, explained',
        'Attention is still all you need? Don&#x27;t bet on it',
        'Reading group: xLSTM',
        'Errata for the scan figure',
      ]);
    });

    it('de-duplicates categories case-insensitively, keeping the first spelling', () => {
      expect(selective?.categories).toEqual(['State Space Model', 'Transformer']);
      expect(reading?.categories).toEqual(['Recurrent Networks']);
      expect(errata?.categories).toEqual([]);
    });

    it('reads guid, dc:creator, pubDate and the plain-text summary', () => {
      expect(selective).toMatchObject({
        guid: 'research.example/post/42',
        url: 'https://research.example/posts/selective-ssm',
        author: 'Ada Byron',
        publishedAt: DATE('2026-03-10T09:30:00Z'),
        summary: 'Why selection matters for recall & copying.',
      });
    });

    it('keeps content:encoded as HTML with its relative URLs made absolute', () => {
      expect(selective?.contentHtml).toBe(
        '<h2>Background</h2><p>A <a href="https://research.example/glossary#ssm">state space model</a> ' +
          'maps a sequence through a latent state.</p>' +
          '<p><img src="https://research.example/figures/scan.png" alt="Parallel scan"></p>',
      );
    });

    it('resolves a relative item link against the feed URL and reads "email (Name)" authors', () => {
      expect(attention).toMatchObject({
        guid: 'https://research.example/posts/attention-still',
        url: 'https://research.example/posts/attention-still',
        author: 'Ada Byron',
        summary: 'A short reply to last week\u2019s thread.',
      });
      expect(attention?.contentHtml).toBeUndefined();
    });

    it('uses the link as the id of an item without guid', () => {
      expect(reading?.guid).toBe('https://research.example/posts/xlstm-reading-group');
    });

    it('uses a stable hash as the id of an item with neither guid nor link', () => {
      const again = parseFeed(fixtureText('research-blog.rss.xml')).items[3];

      expect(errata?.guid).toMatch(/^hash:[0-9a-z]+$/);
      expect(again?.guid).toBe(errata?.guid);
      expect(errata?.url).toBeUndefined();
    });
  });

  describe('Atom 1.0 (xhtml content and xml:base fixture)', () => {
    const feed = parseFeed(fixtureBytes('atom-xhtml-base.atom.xml'), {
      url: 'https://elsewhere.example/feed',
    });
    const [compilers, moth, plain] = feed.items;

    it('reads the feed, stripping tags from an html title', () => {
      expect(feed).toMatchObject({
        format: 'atom',
        title: 'Field Notes',
        description: 'Short essays on tools & craft',
        siteUrl: 'https://notes.example/blog/',
        warnings: [],
      });
    });

    it('resolves links against nested xml:base, ignoring the document URL', () => {
      expect(compilers?.url).toBe('https://notes.example/blog/2026/03/compilers.html');
    });

    it('drops the xhtml wrapper div and resolves URLs inside the content', () => {
      expect(compilers?.contentHtml?.trim()).toBe(
        '<p>The first <em>compiler</em> was a <a href="https://notes.example/blog/2026/03/a0.html">linker</a> too.</p>\n' +
          '        <p><img src="https://notes.example/blog/2026/03/figures/a0.png" alt="A-0 system"><br>Figure 1</p>',
      );
    });

    it('reads id, dates, category terms and a plain-text summary', () => {
      expect(compilers).toMatchObject({
        guid: 'tag:notes.example,2026:compilers',
        publishedAt: DATE('2026-03-10T08:00:00Z'),
        updatedAt: DATE('2026-03-11T07:30:00Z'),
        categories: ['Compilers', 'History'],
        summary: 'Tools that build tools <3',
        author: 'Grace Hopper',
      });
    });

    it('reads an xhtml title as text and html content as HTML', () => {
      expect(moth).toMatchObject({
        title: 'Bugs & moths',
        author: 'Guest Writer',
        url: 'https://notes.example/blog/moth',
        contentHtml:
          '<p>Taped into the <a href="https://notes.example/blog/log.html">log book</a>.</p>',
      });
    });

    it('uses the updated date as published when there is no published date', () => {
      expect(moth?.publishedAt).toBe(DATE('2026-02-01T12:00:00Z'));
    });

    it('escapes text content to HTML and drops a javascript: link', () => {
      expect(plain?.contentHtml).toBe('1 &lt; 2 &amp; 3 &gt; 2');
      expect(plain?.url).toBeUndefined();
      expect(plain?.guid).toBe('tag:notes.example,2026:plain');
    });
  });

  describe('other formats', () => {
    it('reads RSS 1.0 (RDF), with rdf:about as the id', () => {
      const feed = parseFeed(fixtureBytes('rdf.xml'));

      expect(feed).toMatchObject({
        format: 'rdf',
        title: 'RDF Site Summary',
        siteUrl: 'https://rdf.example/',
        description: 'An RSS 1.0 feed',
        items: [
          {
            guid: 'https://rdf.example/one',
            url: 'https://rdf.example/one',
            title: 'First RDF item',
            author: 'Tim',
            categories: ['Semantic Web'],
            publishedAt: DATE('2026-03-01T10:00:00Z'),
            updatedAt: DATE('2026-03-01T10:00:00Z'),
          },
        ],
      });
    });

    it('reads Atom 0.3 (tagline, issued, modified, escaped content)', () => {
      const feed = parseFeed(fixtureBytes('atom03.xml'));

      expect(feed).toMatchObject({
        format: 'atom',
        title: 'Old Atom',
        description: 'Before RFC 4287',
        siteUrl: 'https://old.example/',
        items: [
          {
            guid: 'tag:old.example,2004:legacy',
            url: 'https://old.example/legacy',
            publishedAt: DATE('2004-01-01T19:48:21Z'),
            updatedAt: DATE('2004-01-02T10:00:00Z'),
            contentHtml: '<p>Escaped <b>HTML</b></p>',
          },
        ],
      });
    });

    it('reads JSON Feed 1.1, discarding items without a usable id', () => {
      const feed = parseFeed(fixtureBytes('json-feed.json'));

      expect(feed).toMatchObject({
        format: 'json',
        title: 'Microblog & more',
        siteUrl: 'https://micro.example/',
        description: 'Short posts with <markup> kept literal',
        warnings: ['2 item(s) without a usable id discarded'],
      });
      expect(feed.items).toEqual([
        {
          guid: '2347259',
          url: 'https://micro.example/2347259',
          title: '',
          contentHtml: 'Cats are neat &lt;3',
          author: 'Feed Author',
          categories: ['Cats', 'Life'],
          publishedAt: DATE('2026-02-09T22:22:00Z'),
        },
        {
          guid: 'https://micro.example/second',
          url: 'https://elsewhere.example/',
          title: 'Second &amp; last',
          summary: 'A summary',
          contentHtml: '<p>Hello <a href="https://micro.example/about">me</a></p>',
          author: 'Item Author',
          categories: [],
          publishedAt: DATE('2026-02-10T10:00:00Z'),
          updatedAt: DATE('2026-02-10T10:00:00Z'),
        },
      ]);
    });

    it('keeps the markup of Atom 0.3 mode="xml" content whole (no wrapper to remove)', () => {
      const feed = parseFeed(
        '<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><id>1</id>' +
          '<content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml">' +
          '<a href="/r">r</a></div></content></entry></feed>',
        { url: 'https://x.example/feed' },
      );

      expect(feed.items[0]?.contentHtml).toBe('<div><a href="https://x.example/r">r</a></div>');
    });

    it('reads an RSS <summary> beside a <description> as the summary, the description as content', () => {
      const feed = parseFeed(
        rss(
          '<item><guid>1</guid><description>&lt;p&gt;Full&lt;/p&gt;</description><summary>Short</summary></item>',
        ),
      );

      expect(feed.items[0]).toMatchObject({ summary: 'Short', contentHtml: '<p>Full</p>' });
    });

    it('reads the last of repeated date elements', () => {
      const feed = parseFeed(
        atom(
          '<entry><id>1</id><updated>2010-12-01T10:14:55Z</updated><updated>2003-12-31T10:14:55Z</updated></entry>',
        ),
      );

      expect(feed.items[0]?.updatedAt).toBe(DATE('2003-12-31T10:14:55Z'));
    });

    it('resolves a relative Atom id against a declared xml:base only', () => {
      const feed = parseFeed(
        atom(
          '<entry xml:base="https://ids.example/a/"><id>1</id></entry><entry><id>2</id></entry>' +
            '<entry xml:base="relative/"><id>3</id></entry><entry xml:base="https://ids.example/"><id>urn:x:4</id></entry>',
        ),
        { url: 'https://fetched.example/feed' },
      );

      expect(feed.items.map((item) => item.guid)).toEqual([
        'https://ids.example/a/1',
        '2',
        '3',
        'urn:x:4',
      ]);
    });

    it('sniffs the format from the body, never from the Content-Type', () => {
      const feed = parseFeed(rss('<item><title>x</title></item>'), { contentType: 'text/html' });

      expect(feed.format).toBe('rss');
    });
  });

  describe('entities and text', () => {
    it('decodes HTML named entities inside XML', () => {
      const feed = parseFeed(rss('<item><title>caf&eacute;&nbsp;&rsquo;s &hellip;</title></item>'));

      expect(feed.items[0]?.title).toBe('café\u00a0’s …');
    });

    it('decodes a title exactly once', () => {
      const feed = parseFeed(rss('<item><title>Don&amp;#x27;t &amp;lt;b&amp;gt;</title></item>'));

      expect(feed.items[0]?.title).toBe('Don&#x27;t &lt;b&gt;');
    });

    it('joins CDATA split around "]]>"', () => {
      const feed = parseFeed(rss('<item><title><![CDATA[a ]]]]><![CDATA[> b]]></title></item>'));

      expect(feed.items[0]?.title).toBe('a ]]> b');
    });

    it('keeps markup in CDATA titles literal', () => {
      const feed = parseFeed(rss('<item><title><![CDATA[<b>not bold</b> & co]]></title></item>'));

      expect(feed.items[0]?.title).toBe('<b>not bold</b> & co');
    });

    it('strips tags from an Atom title of type html, decoding the HTML once', () => {
      const feed = parseFeed(
        atom('<entry><title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; co</title></entry>'),
      );

      expect(feed.items[0]?.title).toBe('Bold & co');
    });

    it('reduces a hostile description to text', () => {
      const feed = parseFeed(
        rss(
          '<item><description>&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;Hi</description></item>',
        ),
      );

      expect(feed.items[0]?.summary).toBe('Hi');
    });
  });

  describe('namespaces', () => {
    it('matches content:encoded, dc and Atom by namespace URI under any prefix', () => {
      const feed = parseFeed(
        rss(
          '<item><c:encoded>&lt;p&gt;body&lt;/p&gt;</c:encoded><d:creator>Ann</d:creator>' +
            '<a10:link rel="alternate" href="https://x.example/p"/><a10:updated>2026-01-01T00:00:00Z</a10:updated></item>',
          'xmlns:c="http://purl.org/rss/1.0/modules/content/" xmlns:d="http://purl.org/dc/elements/1.1/" ' +
            'xmlns:a10="http://www.w3.org/2005/Atom"',
        ),
      );

      expect(feed.items[0]).toMatchObject({
        contentHtml: '<p>body</p>',
        author: 'Ann',
        url: 'https://x.example/p',
        updatedAt: DATE('2026-01-01T00:00:00Z'),
      });
    });

    it('does not mistake an element of another namespace for an RSS one', () => {
      const feed = parseFeed(
        rss(
          '<item><title>Real</title><x:title>Other</x:title><x:link>https://wrong.example/</x:link></item>',
          'xmlns:x="urn:x"',
        ),
      );

      expect(feed.items[0]).toMatchObject({ title: 'Real' });
      expect(feed.items[0]?.url).toBeUndefined();
    });

    it('reads a prefixed Atom feed and the https variant of the Atom namespace', () => {
      const prefixed = parseFeed(
        '<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:title>P</atom:title>' +
          '<atom:entry><atom:id>1</atom:id><atom:title>E</atom:title></atom:entry></atom:feed>',
      );
      const https = parseFeed('<feed xmlns="https://www.w3.org/2005/Atom"><title>H</title></feed>');

      expect(prefixed).toMatchObject({
        format: 'atom',
        title: 'P',
        items: [{ guid: '1', title: 'E' }],
      });
      expect(https).toMatchObject({ format: 'atom', title: 'H' });
    });

    it('understands conventional prefixes that were never declared', () => {
      const feed = parseFeed(
        rss('<item><title>x</title><dc:creator>Undeclared</dc:creator></item>'),
      );

      expect(feed.items[0]?.author).toBe('Undeclared');
    });
  });

  describe('how often the feed says it changes (ttl, sy:updatePeriod)', () => {
    const MIN = 60_000;
    const HOUR = 60 * MIN;
    const SY = 'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"';
    const sy = (period?: string, frequency?: string): number | undefined =>
      parseFeed(
        rss(
          (period === undefined ? '' : `<sy:updatePeriod>${period}</sy:updatePeriod>`) +
            (frequency === undefined
              ? ''
              : `<sy:updateFrequency>${frequency}</sy:updateFrequency>`),
          SY,
        ),
      ).publisherIntervalMs;

    it('reads RSS 2.0 ttl as minutes', () => {
      expect(parseFeed(rss('<ttl>60</ttl>')).publisherIntervalMs).toBe(HOUR);
      expect(parseFeed(rss('<ttl> 90 </ttl>')).publisherIntervalMs).toBe(90 * MIN);
    });

    it.each([
      ['hourly', '1', HOUR],
      ['hourly', '2', HOUR / 2],
      ['daily', '1', 24 * HOUR],
      ['daily', '4', 6 * HOUR],
      ['weekly', '1', 7 * 24 * HOUR],
      [' Weekly ', '7', 24 * HOUR],
      ['monthly', '30', (730 * HOUR) / 30],
      ['daily', undefined, 24 * HOUR],
      [undefined, '2', 12 * HOUR],
    ])('reads sy:updatePeriod %j every %j as %d ms', (period, frequency, expected) => {
      expect(sy(period, frequency)).toBe(Math.round(expected));
    });

    it.each([
      ['no hint', rss('<item><title>x</title></item>')],
      ['ttl 0', rss('<ttl>0</ttl>')],
      ['a negative ttl', rss('<ttl>-5</ttl>')],
      ['a ttl that is no number', rss('<ttl>soon</ttl>')],
      ['an empty ttl', rss('<ttl></ttl>')],
      ['an unknown period', rss('<sy:updatePeriod>fortnightly</sy:updatePeriod>', SY)],
      ['a period named like a property', rss('<sy:updatePeriod>constructor</sy:updatePeriod>', SY)],
      [
        'frequency 0',
        rss(
          '<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>0</sy:updateFrequency>',
          SY,
        ),
      ],
      ['a ttl inside an item only', rss('<item><title>x</title><ttl>60</ttl></item>')],
      ['a ttl of another namespace', rss('<x:ttl>60</x:ttl>', 'xmlns:x="urn:x"')],
    ])('drops %s (the feed says nothing usable)', (_, document) => {
      expect(parseFeed(document).publisherIntervalMs).toBeUndefined();
    });

    it('clamps a hint above a week to a week (no user maximum is longer)', () => {
      expect(parseFeed(rss('<ttl>1000000</ttl>')).publisherIntervalMs).toBe(
        MAX_PUBLISHER_INTERVAL_MS,
      );
      expect(sy('yearly')).toBe(MAX_PUBLISHER_INTERVAL_MS);
    });

    it('takes the longer of ttl and sy: both are floors', () => {
      const feed = parseFeed(
        rss(
          '<ttl>30</ttl><sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>1</sy:updateFrequency>',
          SY,
        ),
      );

      expect(feed.publisherIntervalMs).toBe(HOUR);
    });

    it('reads the syndication module in an RSS 1.0 (RDF) channel, under any prefix', () => {
      const feed = parseFeed(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" ' +
          'xmlns:s="http://purl.org/rss/1.0/modules/syndication/">' +
          '<channel rdf:about="https://rdf.example/"><title>R</title><link>https://rdf.example/</link>' +
          '<s:updatePeriod>daily</s:updatePeriod><s:updateFrequency>2</s:updateFrequency></channel>' +
          '<item rdf:about="https://rdf.example/one"><title>One</title><link>https://rdf.example/one</link></item>' +
          '</rdf:RDF>',
      );

      expect(feed).toMatchObject({ format: 'rdf', publisherIntervalMs: 12 * HOUR });
    });

    it('understands the sy prefix when the feed forgot to declare it', () => {
      expect(parseFeed(rss('<sy:updatePeriod>hourly</sy:updatePeriod>')).publisherIntervalMs).toBe(
        HOUR,
      );
    });

    it('leaves Atom and JSON Feed without a hint', () => {
      expect(
        parseFeed(atom('<entry><id>1</id><title>E</title></entry>')).publisherIntervalMs,
      ).toBeUndefined();
      expect(
        parseFeed(
          JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items: [] }),
        ).publisherIntervalMs,
      ).toBeUndefined();
    });
  });

  describe('links', () => {
    it('resolves against nested, relative xml:base values', () => {
      const feed = parseFeed(
        atom(
          '<entry xml:base="/a/"><id>1</id><link xml:base="b/" href="c.html"/></entry>' +
            '<entry><id>2</id><link href="d.html"/></entry>',
        ),
        { url: 'https://host.example/feeds/main.xml' },
      );

      expect(feed.items.map((item) => item.url)).toEqual([
        'https://host.example/a/b/c.html',
        'https://host.example/feeds/d.html',
      ]);
    });

    it('uses a permalink guid as the link when there is no <link>', () => {
      const feed = parseFeed(
        rss(
          '<item><guid>https://x.example/a</guid></item>' +
            '<item><guid isPermaLink="false">https://x.example/b</guid></item>',
        ),
      );

      expect(feed.items.map((item) => item.url)).toEqual(['https://x.example/a', undefined]);
    });
  });

  describe('hostile and broken input', () => {
    it('recovers from unclosed and stray tags', () => {
      const feed = parseFeed(
        rss(
          '<item><title>One</title><description>open <b>bold</description></bogus></item><item><title>Two</title></item>',
        ),
      );

      expect(feed.items.map((item) => item.title)).toEqual(['One', 'Two']);
      expect(feed.warnings).toEqual([
        'ill-formed XML: unclosed element',
        'ill-formed XML: end tag without a start tag ignored',
      ]);
    });

    it('keeps a bare ampersand as text and warns', () => {
      const feed = parseFeed(
        rss('<item><title>AT&T & friends</title><link>https://x.example/?a=1&b=2</link></item>'),
      );

      expect(feed.items[0]).toMatchObject({
        title: 'AT&T & friends',
        url: 'https://x.example/?a=1&b=2',
      });
      expect(feed.warnings).toEqual(['ill-formed XML: bare "&" kept as text']);
    });

    it('removes illegal control characters from a string body', () => {
      const feed = parseFeed(rss('<item><title>bell\u0007 here</title></item>'));

      expect(feed.items[0]?.title).toBe('bell here');
      expect(feed.warnings).toEqual(['illegal control characters removed']);
    });

    it('decodes a windows-1252 feed declared only in its XML prolog', () => {
      const feed = parseFeed(fixtureBytes('windows-1252.rss.xml'));

      expect(feed.title).toBe('Café Notes');
      expect(feed.items[0]).toMatchObject({
        title: '\u201CSmart quotes\u201D \u2013 and €5 coffee',
        summary: 'Crème brûlée… naïve résumé',
      });
    });

    it('survives elements nested far too deep', () => {
      const deep = '<x>'.repeat(100_000);

      const feed = parseFeed(
        rss(`<item><title>ok</title><description>${deep}</description></item>`),
      );

      expect(feed.items[0]?.title).toBe('ok');
      expect(feed.warnings).toContain('elements nested too deeply ignored');
    });
  });

  describe('errors', () => {
    it.each<[string, string | Uint8Array, FeedErrorCode]>([
      ['an empty body', '', 'empty'],
      ['a whitespace body', ' \n\t ', 'empty'],
      ['an empty byte body', new Uint8Array(), 'empty'],
      ['an XML prolog and nothing else', '<?xml version="1.0"?>\n<!-- nothing -->', 'empty'],
      ['an HTML page', fixtureText('html-page.html'), 'not-a-feed'],
      [
        'an XHTML page',
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
        'not-a-feed',
      ],
      ['another XML vocabulary', '<?xml version="1.0"?><urlset><url/></urlset>', 'not-a-feed'],
      ['a root named like a prototype key', '<constructor><item/></constructor>', 'not-a-feed'],
      ['plain text', 'Service Unavailable', 'not-a-feed'],
      [
        'truncated JSON',
        '{"version": "https://jsonfeed.org/version/1.1", "items": [',
        'invalid-json',
      ],
      ['JSON that is no feed', '{"error": "not found"}', 'not-a-feed'],
      ['JSON with items but no JSON Feed version', '{"items": [{"id": "1"}]}', 'not-a-feed'],
      ['a JSON array', '[1, 2]', 'not-a-feed'],
      [
        'JSON Feed items that are no list',
        '{"version": "https://jsonfeed.org/version/1.1", "items": {}}',
        'invalid-structure',
      ],
      [
        'UTF-32 bytes with nothing but a prolog',
        new Uint8Array([
          0, 0, 0xfe, 0xff, 0, 0, 0, 0x3c, 0, 0, 0, 0x3f, 0, 0, 0, 0x3f, 0, 0, 0, 0x3e,
        ]),
        'empty',
      ],
      // A view too short to reach a 4-byte boundary once threw a RangeError (Int32Array).
      [
        'two bytes at an odd offset',
        new Uint8Array([0x20, 0x20, 0x3c, 0x20]).subarray(1, 3),
        'not-a-feed',
      ],
    ])('rejects %s', (_name, body, code) => {
      expect(() => parseFeed(body)).toThrow(expect.objectContaining({ name: 'FeedError', code }));
    });
  });
});

describe('parseFeed: escaped HTML checked while it is decoded', () => {
  const content = (inner: string): string | undefined =>
    parseFeed(
      atom(
        `<entry><id>1</id><content type="html" xml:base="https://blog.example/p/">${inner}</content></entry>`,
      ),
    ).items[0]?.contentHtml;

  it('keeps escaped HTML that needs no sanitizing as it is', () => {
    expect(
      content('&lt;p&gt;Hi &lt;a href="https://x.example/"&gt;there&lt;/a&gt;&lt;/p&gt;'),
    ).toBe('<p>Hi <a href="https://x.example/">there</a></p>');
  });

  it.each([
    ['a tag split by a comment', '&lt;scr<!-- -->ipt&gt;alert(1)&lt;/script&gt;ok', 'ok'],
    ['a tag split by CDATA', '&lt;scr<![CDATA[ipt>alert(1)</]]>script&gt;ok', 'ok'],
    [
      'markup recovered as text',
      '&lt;p&gt;a < b&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;',
      '<p>a &lt; b</p><img src="https://blog.example/p/x">',
    ],
    ['a relative URL', '&lt;img src="i.png"&gt;', '<img src="https://blog.example/p/i.png">'],
  ])('still sanitizes %s', (_name, inner, html) => {
    expect(content(inner)).toBe(html);
  });

  it('sanitizes escaped HTML in an RSS description used as content', () => {
    const feed = parseFeed(
      rss('<item><guid>1</guid><description>&lt;p onclick="x"&gt;t&lt;/p&gt;</description></item>'),
    );

    expect(feed.items[0]?.summary).toBe('t');
  });
});

describe('parseFeed on bodies decoded in pieces', () => {
  /** `FeedTextReader` hands out 8 KiB first, so a construct placed there is cut at every byte. */
  const FIRST_PIECE = 8 * 1024;
  const encoder = new TextEncoder();

  function utf16le(text: string): Uint8Array {
    const bytes = new Uint8Array(text.length * 2);
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      bytes[2 * index] = code & 0xff;
      bytes[2 * index + 1] = code >> 8;
    }
    return bytes;
  }

  it.each([
    [
      'text with entities and multi-byte characters',
      '<title>caf&eacute; “x” &amp; é😀 &#x1F600; end</title>',
    ],
    ['split CDATA', '<description><![CDATA[<p>a ]]]]><![CDATA[> b</p>]]></description>'],
    [
      'attributes with entities',
      '<atom:link href="https://x.example/a?b=1&amp;c=2" rel="alternate"/>',
    ],
    ['CRLF line ends', '<description>one\r\ntwo\rthree\r\n</description>'],
    [
      'a comment and a long name',
      '<!-- a > comment --><dc:creator>Ann Onymous-Longname</dc:creator>',
    ],
  ])('reads %s cut anywhere as if whole', (_name, construct) => {
    const before = (padding: string): string =>
      '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" ' +
      'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
      `<channel><title>T</title><!--${padding}--><item><guid>1</guid>`;
    const after = '</item></channel></rss>';
    // [encode, where the first piece ends (in characters of the ASCII prefix), code units]
    const encodings: [(text: string) => Uint8Array, number, number][] = [
      [(text) => encoder.encode(text), FIRST_PIECE, encoder.encode(construct).length],
      // UTF-16 with a BOM: two bytes a character, after the two of the BOM.
      [
        (text) => Uint8Array.from([0xff, 0xfe, ...utf16le(text)]),
        FIRST_PIECE / 2 - 1,
        construct.length,
      ],
    ];
    for (const [encode, boundary, units] of encodings) {
      const start = before('').length;
      for (let shift = 0; shift <= units; shift += 1) {
        const text = before('x'.repeat(boundary - start - shift)) + construct + after;

        expect(parseFeed(encode(text))).toEqual(parseFeed(text));
      }
    }
  });

  it('reads a feed of many pieces as if whole', () => {
    const items = Array.from(
      { length: 600 },
      (_, index) =>
        `<item><guid>g${index}</guid><title>Post ${index} &amp; “more”</title>` +
        `<description><![CDATA[<p>${'word é '.repeat(100)}</p>]]></description></item>`,
    ).join('\r\n');
    const text = rss(items);

    const pieces = parseFeed(encoder.encode(text));

    expect(encoder.encode(text).length).toBeGreaterThan(3 * 128 * 1024);
    expect(pieces).toEqual(parseFeed(text));
    expect(pieces.items).toHaveLength(600);
  });
});

describe('sniffFeedFormat', () => {
  it.each([
    ['<rss version="2.0">', 'rss'],
    ['<?xml version="1.0"?>\n<!-- c --><feed xmlns="http://www.w3.org/2005/Atom">', 'atom'],
    ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', 'rdf'],
    ['{"version": "https://jsonfeed.org/version/1", "items": []}', 'json'],
    ['<!DOCTYPE html><html>', 'html'],
    ['<urlset>', undefined],
    ['{"items": []}', undefined],
  ])('sniffs %j as %j', (text, format) => {
    expect(sniffFeedFormat(text)).toBe(format);
  });
});

describe('authorName', () => {
  it.each([
    ['Ada Byron', 'Ada Byron'],
    ['ada@example.org (Ada Byron)', 'Ada Byron'],
    ['Ada Byron (ada@example.org)', 'Ada Byron'],
    ['Ada Byron <ada@example.org>', 'Ada Byron'],
    ['"Byron, Ada" <ada@example.org>', 'Byron, Ada'],
    ['ada@example.org', 'ada@example.org'],
    ['  Ada \n Byron ', 'Ada Byron'],
    ['   ', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (raw, name) => {
    expect(authorName(raw)).toBe(name);
  });
});

describe('categoryKey', () => {
  it.each([
    [' News ', 'news'],
    ['Ｎｅｗｓ', 'news'],
    ['Straße', 'strasse'],
    ['State \u00a0 Space', 'state space'],
    ['News\u200B\uFEFF', 'news'],
    ['می\u200Cخواهم', 'می\u200Cخواهم'],
  ])('keys %j as %j', (category, key) => {
    expect(categoryKey(category)).toBe(key);
  });
});

describe('normalizeCategories', () => {
  it('trims, drops empties and de-duplicates case- and width-insensitively, first spelling kept', () => {
    expect(
      normalizeCategories([
        ' News ',
        'news',
        'NEWS',
        '',
        undefined,
        'Ｎｅｗｓ',
        'State  Space',
        'state space',
      ]),
    ).toEqual(['News', 'State Space']);
  });
});

describe('stableHash', () => {
  it('is deterministic and spreads near-identical input', () => {
    expect(stableHash('title\n2026\nsummary')).toBe(stableHash('title\n2026\nsummary'));
    expect(stableHash('title\n2026\nsummary')).not.toBe(stableHash('title\n2026\nsummarY'));
    expect(stableHash('')).toMatch(/^[0-9a-z]+$/);
  });
});
