import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addFeed, listFeeds } from '@/utils/db/feeds';
import type { Feed } from '@/utils/db/types';
import { isPlaceholderTitle } from '@/utils/poll/poll-feed';
import {
  describeOpmlExport,
  importOpml,
  opmlExportable,
  parseOpml,
  serializeOpml,
  type OpmlOutline,
  type ParsedOpml,
} from '@/utils/opml';
import { dumpDb, freshDb, probeStorage } from '../helpers/db';
import { anExtractor } from '../helpers/listing-preview';

const NOW = Date.UTC(2026, 10, 29, 12);

const fixture = (name: string) =>
  readFileSync(path.join(__dirname, '../fixtures/opml', name), 'utf8');

/** A fixture's feeds as `[url, title, tags]`, to read the expectations at a glance. */
const summary = (parsed: ParsedOpml) =>
  parsed.feeds.map((feed) => [feed.url, feed.title, feed.tags]);

/** What each reader's export holds: feeds with their folders as tags, problems, duplicates. */
const FIXTURES: {
  file: string;
  feeds: [string, string | undefined, string[]][];
  problems: string[];
  duplicates: string[];
}[] = [
  {
    // Feedly lists a feed once per folder it is in.
    file: 'feedly.opml',
    feeds: [
      ['https://feeds.arstechnica.com/arstechnica/index', 'Ars Technica', ['Tech']],
      [
        'https://simonwillison.net/atom/everything/',
        "Simon Willison's Weblog",
        ['Tech', 'Must read'],
      ],
      ['https://lwn.net/headlines/rss', 'LWN.net', ['Tech']],
      ['https://www.smashingmagazine.com/feed/', 'Smashing Magazine', ['Design & UX']],
      ['https://alistapart.com/main/feed/', 'A List Apart: The Full Feed', ['Design & UX']],
      ['https://jvns.ca/atom.xml', 'Julia Evans', ['Must read']],
    ],
    problems: [],
    duplicates: ['https://simonwillison.net/atom/everything/'],
  },
  {
    file: 'inoreader.opml',
    feeds: [
      ['https://www.heise.de/rss/heise-atom.xml', 'heise online News', ['Nachrichten']],
      ['https://rss.sueddeutsche.de/rss/Wissen', 'Süddeutsche Zeitung – Wissen', ['Nachrichten']],
      ['https://b.hatena.ne.jp/hotentry.rss', 'はてなブックマーク - 人気エントリー', ['日本語']],
      ['https://tech.example.sa/feed/', 'مدونة التقنية', ['عربي']],
      ['https://xkcd.com/atom.xml', 'xkcd.com', []],
    ],
    problems: [],
    duplicates: [],
  },
  {
    file: 'netnewswire.opml',
    feeds: [
      ['https://daringfireball.net/feeds/main', 'Daring Fireball', []],
      ['https://inessential.com/xml/rss.xml', 'inessential', []],
      ['https://feedpress.me/sixcolors?type=xml', 'Six Colors', ['Apple']],
      ['https://mjtsai.com/blog/feed/', 'Michael Tsai', ['Apple']],
      ['https://www.swift.org/atom.xml', 'Swift.org', ['Apple', 'Swift']],
      ['https://www.swiftbysundell.com/rss', 'Swift by Sundell — Articles', ['Apple', 'Swift']],
      ['https://www.manton.org/feed.json', 'Manton Reece', []],
    ],
    problems: [],
    duplicates: [],
  },
  {
    file: 'thunderbird.opml',
    feeds: [
      [
        'https://hacks.mozilla.org/feed/',
        'Mozilla Hacks – the Web developer blog',
        ['Blogs & News Feeds', 'Mozilla Hacks'],
      ],
      ['https://planet.mozilla.org/rss20.xml', 'Planet Mozilla', ['Blogs & News Feeds', 'Planète']],
      [
        'https://linuxfr.org/news.atom',
        'LinuxFr.org : les dépêches',
        ['Blogs & News Feeds', 'Planète'],
      ],
    ],
    problems: [
      '“Intranet news”: its address holds a user name or password, which Dispatch does not store',
    ],
    duplicates: [],
  },
  {
    file: 'freshrss.opml',
    feeds: [
      ['https://lehollandaisvolant.net/rss.php', 'Le Hollandais Volant', ['Sans catégorie']],
      ['http://korben.info/feed', 'Korben', ['Sans catégorie', 'Dev']],
      ['https://blog.rust-lang.org/feed.xml', 'The Rust Programming Language Blog', ['Dev']],
      ['https://go.dev/blog/feed.atom', 'Go Blog', ['Dev', 'Languages', 'Go', 'Weekly']],
    ],
    problems: [
      '“Hacker News: Front Page”: /i/?a=rss&get=c_2 is not a full web address (it does not start with https:// or http://)',
    ],
    duplicates: ['https://www.korben.info/feed'],
  },
  {
    file: 'miniflux.opml',
    feeds: [
      ['https://jvns.ca/atom.xml', 'Julia Evans', ['All']],
      ['https://drewdevault.com/blog/index.xml', "Drew DeVault's blog", ['All']],
      ['https://www.quantamagazine.org/feed/', 'Quanta Magazine', ['Science']],
      ['https://www.nature.com/nature.rss', undefined, ['Science']],
    ],
    problems: ['“Podcast feed”: ftp://podcasts.example.org/feed.xml is not a web address'],
    duplicates: [],
  },
  {
    file: 'newsblur.opml',
    feeds: [
      ['https://feeds.kottke.org/main', 'Kottke', []],
      ['https://www.smbc-comics.com/comic/rss', 'Saturday Morning Breakfast Cereal', ['Comics']],
      ['https://qwantz.com/rssfeed.php', 'Dinosaur Comics', ['Comics', 'Webcomics']],
    ],
    problems: ['“Broken comic”: it has no feed address (xmlUrl)'],
    duplicates: [],
  },
  {
    // BOM, DOCTYPE with an internal subset, no version, no head, upper-case names, entities,
    // CDATA, a category attribute, a feed: link, an RTL title, a duplicate by http/www/slash.
    file: 'hand-edited.opml',
    feeds: [
      [
        'https://ml.example.org/feed.xml',
        '<Attention> Is All You Need & More',
        ['Research', 'Tech', 'AI', 'papers'],
      ],
      ['https://he.example.org/rss', 'עדכוני מחקר', ['Research']],
      ['https://old.example.net/rss.xml', 'Old feed', ['Research']],
      ['http://snow.example.com/feed', 'CDATA ☃ snowman', []],
    ],
    problems: ['“Evil”: javascript:alert(1) is not a web address'],
    duplicates: ['http://www.ml.example.org/feed.xml/'],
  },
];

describe('parseOpml', () => {
  it.each(FIXTURES)(
    'reads $file: its feeds, folders as tags, problems',
    ({ file, feeds, problems, duplicates }) => {
      const parsed = parseOpml(fixture(file));

      expect(summary(parsed)).toEqual(feeds);
      expect(parsed.problems).toEqual(problems);
      expect(parsed.duplicates).toEqual(duplicates);
    },
  );

  it('keeps a site address only when it is http(s)', () => {
    const parsed = parseOpml(fixture('inoreader.opml'));

    const arabic = parsed.feeds.find((feed) => feed.url === 'https://tech.example.sa/feed/');
    expect(arabic).not.toHaveProperty('siteUrl');
    expect(parsed.feeds[0]!.siteUrl).toBe('https://www.heise.de/');
  });

  it.each([
    ['', 'This file is empty: it holds no list of blogs.'],
    ['  \n\t', 'This file is empty: it holds no list of blogs.'],
    ['\u0000\u0001PK\u0003\u0004binary', 'This file is not text, so it is not an OPML file.'],
    ['Just some notes about blogs I like.', 'This is not an OPML file: it holds no XML at all.'],
    [
      '<!DOCTYPE html><html><head><title>Feedly</title></head><body><p>Log in</p></body></html>',
      'This is a web page, not an OPML file. Export your subscriptions from your feed reader as OPML, then import that file.',
    ],
    [
      '<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title></channel></rss>',
      'This is a feed, not an OPML file: to follow it, add its address as a blog.',
    ],
    [
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title></feed>',
      'This is a feed, not an OPML file: to follow it, add its address as a blog.',
    ],
    [
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>',
      'This is a feed, not an OPML file: to follow it, add its address as a blog.',
    ],
    [
      '<svg xmlns="http://www.w3.org/2000/svg"><outline xmlUrl="https://a.example/"/></svg>',
      'This is not an OPML file: it is an XML document of another kind (<svg>).',
    ],
    ['{"items": []}', 'This is a JSON file, not an OPML file.'],
    [
      '{"format": "dispatch-backup", "version": 1}',
      'This is a Dispatch backup, not an OPML file: use Restore backup.',
    ],
  ])('refuses %j in words', (text, message) => {
    expect(() => parseOpml(text)).toThrow(new Error(message));
  });

  it('reads an OPML without a body or feeds as an empty list', () => {
    expect(parseOpml('<opml version="2.0"><head><title>None</title></head></opml>')).toEqual({
      feeds: [],
      problems: [],
      duplicates: [],
    });
    expect(parseOpml('<opml/>').feeds).toEqual([]);
  });

  it('never expands entities a DOCTYPE declares (billion laughs)', () => {
    const text = `<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<opml><body><outline text="&b;" xmlUrl="https://a.example/feed"/></body></opml>`;

    expect(summary(parseOpml(text))).toEqual([['https://a.example/feed', '&b;', []]]);
  });

  it('reads a truncated file up to where it stops', () => {
    const text = fixture('netnewswire.opml');
    const cut = text.slice(0, text.indexOf('Michael Tsai'));

    expect(summary(parseOpml(cut)).map(([url]) => url)).toEqual([
      'https://daringfireball.net/feeds/main',
      'https://inessential.com/xml/rss.xml',
      'https://feedpress.me/sixcolors?type=xml',
    ]);
  });

  it('ignores outlines after the root element ends', () => {
    const text =
      '<opml><body><outline xmlUrl="https://a.example/feed"/></body></opml><outline xmlUrl="https://b.example/feed"/>';

    expect(parseOpml(text).feeds.map((feed) => feed.url)).toEqual(['https://a.example/feed']);
  });

  it('follows no entry that gives only its page (htmlUrl): one that says it is a feed is named', () => {
    const text = `<opml><body>
      <outline text="Research" type="rss" htmlUrl="https://research.example/blog"/>
      <outline text="Lab" htmlUrl="https://lab.example/posts"/>
      <outline text="A" xmlUrl="https://a.example/feed"/>
    </body></opml>`;

    const parsed = parseOpml(text);

    expect(summary(parsed)).toEqual([['https://a.example/feed', 'A', []]]);
    expect(parsed.problems).toEqual(['“Research”: it has no feed address (xmlUrl)']);
  });

  it('names each problem so the user can find it', () => {
    const text = `<opml><body>
      <outline type="rss" xmlUrl="https://user:secret@private.example/feed"/>
      <outline text="Spaces" xmlUrl="https://exa mple.com/feed"/>
      <outline title="Protocol-relative" xmlUrl="//cdn.example/feed"/>
      <outline title="&#x202E;Reversed" type="atom" xmlUrl=""/>
      <outline text="A folder that says rss" type="rss"><outline xmlUrl="https://c.example/feed"/></outline>
    </body></opml>`;

    const parsed = parseOpml(text);

    expect(parsed.problems).toEqual([
      'An entry without a title: its address holds a user name or password, which Dispatch does not store',
      '“Spaces”: https://exa mple.com/feed is not a valid web address',
      '“Protocol-relative”: //cdn.example/feed is not a full web address (it does not start with https:// or http://)',
      '“Reversed”: it has no feed address (xmlUrl)',
    ]);
    expect(parsed.problems.join(' ')).not.toContain('secret');
    expect(summary(parsed)).toEqual([
      ['https://c.example/feed', undefined, ['A folder that says rss']],
    ]);
  });

  it('reads at most 5,000 feeds, and says so', () => {
    const outlines = Array.from(
      { length: 5_001 },
      (_, i) => `<outline xmlUrl="https://blog${i}.example/feed"/>`,
    );

    const parsed = parseOpml(`<opml><body>${outlines.join('')}</body></opml>`);

    expect(parsed.feeds).toHaveLength(5_000);
    expect(parsed.problems).toEqual([
      'This file lists more than 5,000 feeds; only the first 5,000 were read.',
    ]);
  });

  it('reads a file of 100,000 nested folders down to 100 levels, and says so once', () => {
    const folders = Array.from({ length: 100_000 }, (_, i) => `<outline text="F${i}">`);
    folders.splice(3, 0, '<outline title="Shallow" xmlUrl="https://shallow.example/feed"/>');
    folders.push('<outline title="Deep" xmlUrl="https://deep.example/feed"/>');
    const text = `<opml><body>${folders.join('')}${'</outline>'.repeat(100_000)}<outline title="After" xmlUrl="https://after.example/feed"/></body></opml>`;

    const parsed = parseOpml(text);

    expect(summary(parsed)).toEqual([
      ['https://shallow.example/feed', 'Shallow', ['F0', 'F1', 'F2']],
      ['https://after.example/feed', 'After', []],
    ]);
    expect(parsed.problems).toEqual([
      'This file nests entries more than 100 levels deep; the entries below that were not read.',
    ]);
  });

  it('gives a feed at most 20 folders, the outermost', () => {
    const folders = Array.from({ length: 50 }, (_, i) => `<outline text="F${i}">`).join('');
    const text = `<opml><body>${folders}<outline xmlUrl="https://a.example/feed" category="Extra"/></body></opml>`;

    expect(parseOpml(text).feeds[0]!.tags).toEqual(Array.from({ length: 20 }, (_, i) => `F${i}`));
  });

  it('reads a folder of 100,000 feeds: the first 5,000, each in its folder', () => {
    const feeds = Array.from(
      { length: 100_000 },
      (_, i) => `<outline text="Blog ${i}" xmlUrl="https://blog${i}.example/feed"></outline>`,
    );
    const text = `<opml><body><outline text="Blogs">${feeds.join('')}</outline></body></opml>`;

    const parsed = parseOpml(text);

    expect(parsed.feeds).toHaveLength(5_000);
    expect(parsed.feeds.at(-1)).toEqual({
      url: 'https://blog4999.example/feed',
      title: 'Blog 4999',
      tags: ['Blogs'],
    });
    expect(parsed.feeds.every((feed) => feed.tags.join() === 'Blogs')).toBe(true);
    expect(parsed.problems).toEqual([
      'This file lists more than 5,000 feeds; only the first 5,000 were read.',
    ]);
  });

  it('keeps titles to one line of text, as written otherwise', () => {
    const text =
      '<opml><body><outline title="  Two\n\tlines\u0007 " text="ignored" xmlUrl="https://a.example/"/></body></opml>';

    expect(parseOpml(text).feeds[0]!.title).toBe('Two lines');
  });
});

describe('serializeOpml', () => {
  const feed = (overrides: Partial<Feed>): Feed => ({
    id: 1,
    url: 'https://blog.example/feed.xml',
    aliases: [],
    title: 'Edge Notes',
    addedAt: 1,
    lastCheckedAt: 0,
    lastNewPostAt: 0,
    nextPollAt: 0,
    failures: 0,
    status: 'active',
    ...overrides,
  });

  it('writes OPML 2.0 with a title and an RFC 822 date, feeds in folders by their first tag', () => {
    const text = serializeOpml(
      [
        feed({ url: 'https://a.example/feed', title: 'A', kind: 'atom', tags: ['Tech', 'AI'] }),
        feed({ url: 'https://b.example/feed', title: 'B', siteUrl: 'https://b.example/' }),
        feed({ url: 'https://c.example/feed.json', title: 'C', kind: 'json', tags: ['Tech'] }),
        feed({ url: 'https://d.example/rdf', title: 'D', kind: 'rdf' }),
      ],
      NOW,
    );

    expect(text).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>Dispatch subscriptions</title>
    <dateCreated>Sun, 29 Nov 2026 12:00:00 GMT</dateCreated>
  </head>
  <body>
    <outline text="Tech" title="Tech">
      <outline type="atom" text="A" title="A" xmlUrl="https://a.example/feed" category="AI"/>
      <outline type="json" text="C" title="C" xmlUrl="https://c.example/feed.json"/>
    </outline>
    <outline type="rss" text="B" title="B" xmlUrl="https://b.example/feed" htmlUrl="https://b.example/"/>
    <outline type="rdf" text="D" title="D" xmlUrl="https://d.example/rdf"/>
  </body>
</opml>
`);
  });

  it('escapes every title and address, and drops characters XML cannot hold', () => {
    const title = 'Tom & Jerry\'s <"best"> \u0001blog\u0000\uFFFF \uD800';
    const text = serializeOpml(
      [
        feed({
          title,
          url: 'https://blog.example/feed?a=1&b="2"',
          tags: ['R&D <lab>', 'x, y'],
        }),
      ],
      NOW,
    );

    // oxlint-disable-next-line no-control-regex -- none of them may be in the file
    expect(text).not.toMatch(/[\u0000-\u0008\uFFFF\uD800]/);
    expect(text).toContain(
      'text="Tom &amp; Jerry&apos;s &lt;&quot;best&quot;&gt; blog" title="Tom &amp; Jerry&apos;s &lt;&quot;best&quot;&gt; blog" xmlUrl="https://blog.example/feed?a=1&amp;b=&quot;2&quot;" category="x; y"',
    );
    const [read] = parseOpml(text).feeds;
    expect(read).toEqual({
      url: 'https://blog.example/feed?a=1&b=%222%22',
      title: 'Tom & Jerry\'s <"best"> blog',
      tags: ['R&D <lab>', 'x; y'],
    });
  });

  it('writes an empty list as a valid OPML file', () => {
    expect(parseOpml(serializeOpml([], NOW))).toEqual({ feeds: [], problems: [], duplicates: [] });
  });

  describe('of blogs followed through their listing page', () => {
    const listing = (url: string, title: string) =>
      feed({
        url,
        title,
        listing: { extractor: anExtractor(), lastCount: 9 },
      });
    const feeds = [
      feed({ url: 'https://a.example/feed', title: 'A' }),
      listing('https://research.example/blog', 'Research'),
      feed({ url: 'https://b.example/feed', title: 'B' }),
      listing('https://lab.example/posts', 'Lab'),
    ];

    it('leaves them out: OPML cannot hold what Dispatch reads on their page', () => {
      const text = serializeOpml(feeds, NOW);

      expect(parseOpml(text).feeds.map((outline) => outline.url)).toEqual([
        'https://a.example/feed',
        'https://b.example/feed',
      ]);
      expect(text).not.toContain('research.example');
      expect(opmlExportable(feeds).map((exported) => exported.title)).toEqual(['A', 'B']);
    });

    it.each<[string, Feed[], string]>([
      ['blogs with feeds only', [feeds[0]!, feeds[2]!], 'Exported 2 blogs to blogs.opml.'],
      [
        'a listing blog beside them',
        feeds.slice(0, 3),
        'Exported 2 blogs to blogs.opml. Left out: 1 blog that follows its page (no feed), which OPML cannot hold; a backup keeps it.',
      ],
      [
        'two listing blogs beside them',
        feeds,
        'Exported 2 blogs to blogs.opml. Left out: 2 blogs that follow their pages (no feed), which OPML cannot hold; a backup keeps them.',
      ],
      [
        'only a listing blog',
        [feeds[1]!],
        'Nothing was exported: your blog follows its page (no feed), which OPML cannot hold; a backup keeps it.',
      ],
      [
        'only listing blogs',
        [feeds[1]!, feeds[3]!],
        'Nothing was exported: your 2 blogs follow their pages (no feed), which OPML cannot hold; a backup keeps them.',
      ],
      ['no blogs', [], 'You follow no blogs yet: there is nothing to export.'],
    ])('says what an export of %s did', (_kind, exported, message) => {
      expect(describeOpmlExport(exported, 'blogs.opml')).toBe(message);
    });
  });
});

describe('importOpml', () => {
  const outline = (url: string, overrides: Partial<OpmlOutline> = {}): OpmlOutline => ({
    url,
    tags: [],
    ...overrides,
  });

  it('follows each feed with its title, site and folders, due for polling at once', async () => {
    const db = freshDb();

    const { added, duplicates } = await importOpml(
      db,
      [
        outline('https://a.example/feed', {
          title: 'A',
          siteUrl: 'https://a.example/',
          tags: ['Tech', 'AI'],
        }),
        outline('https://b.example/feed'),
      ],
      NOW,
    );

    expect(duplicates).toEqual([]);
    expect(await listFeeds(db)).toEqual(added);
    expect(added).toEqual([
      expect.objectContaining({
        url: 'https://a.example/feed',
        title: 'A',
        siteUrl: 'https://a.example/',
        tags: ['Tech', 'AI'],
        nextPollAt: NOW,
        addedAt: NOW,
        lastCheckedAt: 0,
        status: 'active',
      }),
      expect.objectContaining({
        url: 'https://b.example/feed',
        title: 'b.example',
        nextPollAt: NOW,
      }),
    ]);
    expect(added[1]).not.toHaveProperty('tags');
  });

  it('gives an untitled feed its host as a placeholder the first poll replaces', async () => {
    const db = freshDb();

    const { added } = await importOpml(db, [outline('https://www.blog.example/rss')], NOW);

    expect(added[0]!.title).toBe('blog.example');
    expect(isPlaceholderTitle(added[0]!)).toBe(true);
  });

  it('skips feeds already followed under any spelling of their address, or an old one', async () => {
    const db = freshDb();
    const followed = await addFeed(db, { url: 'https://blog.example/feed', title: 'Mine' }, 1);
    await db.feeds.update(followed.id, { aliases: ['https://old.example/rss'] });

    const { added, duplicates } = await importOpml(
      db,
      [
        outline('http://www.blog.example/feed/', { title: 'Theirs', tags: ['X'] }),
        outline('https://old.example/rss'),
        outline('https://new.example/feed'),
        outline('https://new.example/feed/'),
      ],
      NOW,
    );

    expect(added.map((feed) => feed.url)).toEqual(['https://new.example/feed']);
    expect(duplicates).toEqual([
      'http://www.blog.example/feed/',
      'https://old.example/rss',
      'https://new.example/feed/',
    ]);
    expect(await db.feeds.get(followed.id)).toMatchObject({ title: 'Mine' });
    expect(await db.feeds.get(followed.id)).not.toHaveProperty('tags');
  });

  it('adds nothing the second time', async () => {
    const db = freshDb();
    const { feeds } = parseOpml(fixture('feedly.opml'));
    await importOpml(db, feeds, NOW);
    const before = await dumpDb(db);

    const again = await importOpml(db, feeds, NOW + 1);

    expect(again.added).toEqual([]);
    expect(again.duplicates).toEqual(feeds.map((feed) => feed.url));
    expect(await dumpDb(db)).toEqual(before);
  });

  it('adds all or nothing: a storage failure part way leaves no feed behind', async () => {
    const db = freshDb();
    const probe = probeStorage(db);
    const { feeds } = parseOpml(fixture('netnewswire.opml'));
    probe.failFrom(3);

    await expect(importOpml(db, feeds, NOW)).rejects.toThrow();

    probe.heal();
    expect(await db.feeds.count()).toBe(0);
  });

  it.each(FIXTURES.map(({ file }) => file))(
    'round-trips %s: import, export, read again gives the same feeds and tags',
    async (file) => {
      const db = freshDb();
      const parsed = parseOpml(fixture(file));
      await importOpml(db, parsed.feeds, NOW);

      const exported = parseOpml(serializeOpml(await listFeeds(db), NOW));

      const expected = parsed.feeds.map((feed) => ({
        ...feed,
        title: feed.title ?? new URL(feed.url).hostname.replace(/^www\./, ''),
      }));
      const byUrl = (a: OpmlOutline, b: OpmlOutline) => (a.url < b.url ? -1 : 1);
      expect(exported.feeds.sort(byUrl)).toEqual(expected.sort(byUrl));
      expect(exported.problems).toEqual([]);
      expect(exported.duplicates).toEqual([]);
    },
  );
});
