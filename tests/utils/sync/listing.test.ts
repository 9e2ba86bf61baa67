import { beforeEach, describe, expect, it } from 'vitest';
import { addFeed, listFeeds } from '@/utils/db/feeds';
import type { Feed } from '@/utils/db/types';
import type { ListingExtractor } from '@/utils/listing/extract';
import { learnExtractor } from '@/utils/listing/learn';
import {
  byteLength,
  decodeItems,
  emptyDoc,
  feedValue,
  layoutDoc,
  packExtractor,
  PACKED_EXTRACTOR_MAX_BYTES,
  QUOTA_BYTES,
  QUOTA_BYTES_PER_ITEM,
  unpackExtractor,
} from '@/utils/sync/doc';
import { listingFixture, POSITIVE_FIXTURES } from '../listing/fixtures';
import { renderSeedListing } from '../listing/seed';
import { aBrowser, fakeArea, type FakeArea } from './fakes';

const MINUTE = 60_000;
const PAGE = 'https://research.example/blog';
type Browser = Awaited<ReturnType<typeof aBrowser>>;

function learned(html: string, pageUrl: string): ListingExtractor {
  const result = learnExtractor(html, pageUrl);
  if (!result.ok) throw new Error(result.reason);
  return result.extractor;
}

const seedExtractor = () => learned(renderSeedListing(), PAGE);

/** The largest extractor `checkExtractor` accepts: six fields, paths of 500, samples of 200. */
function largestExtractor(): ListingExtractor {
  const path = (name: string) => `${name}${'.c'.repeat((500 - name.length) / 2)}`.slice(0, 500);
  const roles = ['link', 'title', 'category', 'summary', 'date', 'readingTime'] as const;
  return {
    version: 1,
    cards: path('article'),
    // Characters past U+07FF: each counts 3 bytes in the quota.
    fields: roles.map((role) => ({ role, path: path('div'), sample: '文'.repeat(200) })),
    count: 9_007_199_254_740_991,
  };
}

describe('packExtractor and unpackExtractor', () => {
  it.each([...POSITIVE_FIXTURES])(
    'give back the extractor learned on %s, in under 1 KB',
    (name) => {
      const { html, pageUrl } = listingFixture(name);
      const extractor = learned(html, pageUrl);

      const packed = packExtractor(extractor);

      expect(unpackExtractor(JSON.parse(JSON.stringify(packed)))).toEqual(extractor);
      expect(byteLength(JSON.stringify(packed))).toBeLessThan(1_024);
    },
  );

  it('packs without field names: the seed extractor takes about 350 bytes', () => {
    const packed = packExtractor(seedExtractor());

    expect(packed.slice(0, 3)).toEqual(['div.grid > a', 9, ['link', '', expect.any(String)]]);
    expect(byteLength(JSON.stringify(packed))).toBeLessThan(450);
  });

  it(`leaves the samples out of an extractor past ${PACKED_EXTRACTOR_MAX_BYTES} bytes`, () => {
    const extractor = largestExtractor();

    const packed = packExtractor(extractor);

    expect(byteLength(JSON.stringify(packed))).toBeLessThan(4_096);
    expect(unpackExtractor(packed)).toEqual({
      ...extractor,
      fields: extractor.fields.map(({ role, path }) => ({ role, path })),
    });
  });

  it.each<[string, unknown, string]>([
    ['nothing', undefined, 'The synced extractor is not a list.'],
    ['an object', { cards: 'main > article' }, 'The synced extractor is not a list.'],
    ['a list without a card path', [], 'The extractor’s card path is not text.'],
    [
      'fields that are no lists',
      ['main > article', 3, 'link', 'title'],
      'Field 1 of the extractor is not an object.',
    ],
    [
      'a field of an unknown role',
      ['main > article', 3, ['link', 'a'], ['title', 'h2'], ['__proto__', 'p']],
      'Field 3 of the extractor has an unknown role, “__proto__”.',
    ],
    [
      'a card path of CSS Dispatch does not write',
      ['main article[onclick]', 3, ['link', 'a'], ['title', 'h2']],
      'The extractor’s card path, “main article[onclick]”, is not one Dispatch can read.',
    ],
    [
      'a count in words',
      ['main > article', 'nine', ['link', 'a'], ['title', 'h2']],
      'The extractor’s count is not a whole number of posts.',
    ],
  ])('refuse %s, saying what is wrong', (_kind, packed, message) => {
    expect(unpackExtractor(packed)).toBe(message);
  });
});

describe('a listing blog in the synced document', () => {
  it('writes items that read back as the same document, the largest extractor in one item', () => {
    const doc = emptyDoc();
    doc.feeds.set('research.example/blog', {
      t: 1,
      v: feedValue({ url: PAGE, title: 'Research', listing: packExtractor(seedExtractor()) }),
    });
    doc.feeds.set('large.example/blog', {
      t: 1,
      v: feedValue({
        url: 'https://large.example/blog',
        title: 'Large',
        listing: packExtractor(largestExtractor()),
      }),
    });

    const layout = layoutDoc(doc)!;

    expect(decodeItems(layout.items)).toEqual(doc);
    for (const [key, value] of Object.entries(layout.items)) {
      expect(byteLength(key) + byteLength(JSON.stringify(value))).toBeLessThanOrEqual(
        QUOTA_BYTES_PER_ITEM,
      );
    }
  });

  it('keeps an extractor it cannot read as the copy holds it, to write it back unchanged', () => {
    const items = {
      'dispatch:f:0': [[5, PAGE, 'Research', { x: ['body *', -1, { role: 'link' }] }]],
    };

    const doc = decodeItems(items);

    expect(doc.feeds.get('research.example/blog')?.v?.listing).toEqual([
      'body *',
      -1,
      { role: 'link' },
    ]);
    expect(layoutDoc(doc)!.items['dispatch:f:0']).toEqual(items['dispatch:f:0']);
  });

  it('fits 200 listing blogs in the quota', () => {
    const doc = emptyDoc();
    const listing = packExtractor(seedExtractor());
    for (let i = 0; i < 200; i++) {
      doc.feeds.set(`blog${i}.example/posts`, {
        t: 1,
        v: feedValue({ url: `https://blog${i}.example/posts`, title: `Blog ${i}`, listing }),
      });
    }

    const layout = layoutDoc(doc);

    expect(layout!.bytes).toBeLessThanOrEqual(QUOTA_BYTES);
  });
});

describe('sync of a listing blog between two browsers', () => {
  let sync: FakeArea;
  let clock: { now: number };
  let a: Browser;
  let b: Browser;

  beforeEach(async () => {
    sync = fakeArea({ quotas: true });
    clock = { now: Date.UTC(2026, 5, 1) };
    a = await aBrowser(sync, clock);
    b = await aBrowser(sync, clock);
  });

  async function syncBoth(): Promise<void> {
    await a.syncNow();
    await b.syncNow();
    await a.syncNow();
  }

  async function followPage(
    browser: Browser,
    extractor: ListingExtractor = seedExtractor(),
    url = PAGE,
  ): Promise<Feed> {
    const feed = await addFeed(browser.db, { url, title: 'Research blog' }, clock.now);
    const listing = { extractor, lastCount: extractor.count };
    await browser.db.feeds.update(feed.id, { listing });
    return { ...feed, listing };
  }

  const only = async (browser: Browser) => (await listFeeds(browser.db))[0]!;

  /** Replaces the synced entry of the blog at `url` by `entry` (another browser's write). */
  async function writeEntry(entry: unknown[]) {
    const [key, items] = [...sync.data].find(([k]) => k.startsWith('dispatch:f:'))!;
    const others = (items as unknown[][]).filter((item) => item[1] !== entry[1]);
    await sync.set({ [key]: [...others, entry] });
  }

  it('brings the blog with its extractor: it follows its page in the other browser', async () => {
    await followPage(a);

    await syncBoth();

    const copy = await only(b);
    expect(copy).toMatchObject({
      url: PAGE,
      title: 'Research blog',
      nextPollAt: clock.now,
      listing: { extractor: seedExtractor(), lastCount: 9 },
    });
    expect(copy).not.toHaveProperty('kind');
    expect(copy.listing).not.toHaveProperty('drift');
  });

  it('carries a re-learned extractor, clearing the other browser’s drift', async () => {
    const feed = await followPage(a);
    await syncBoth();
    const copy = await only(b);
    await b.db.feeds.update(copy.id, {
      listing: {
        ...copy.listing!,
        drift: { reason: 'No posts were found on the listing page.', since: 1, found: 0 },
      },
    });
    clock.now += MINUTE;
    const relearned = { ...seedExtractor(), cards: 'main > div.grid > a', count: 10 };
    await a.db.feeds.update(feed.id, { listing: { extractor: relearned, lastCount: 10 } });

    await syncBoth();

    expect((await only(b)).listing).toEqual({ extractor: relearned, lastCount: 10 });
  });

  it('does not sync drift or the last count: they are each browser’s own reading', async () => {
    const feed = await followPage(a);
    await syncBoth();
    const writes = sync.writes;
    clock.now += MINUTE;
    const drift = { reason: 'No posts were found on the listing page.', since: 1, found: 0 };
    await a.db.feeds.update(feed.id, { listing: { ...feed.listing!, lastCount: 4, drift } });

    await syncBoth();

    expect(sync.writes).toBe(writes);
    expect((await only(b)).listing).toEqual({ extractor: seedExtractor(), lastCount: 9 });
  });

  it('syncs the largest extractor within the item quota', async () => {
    await followPage(a, largestExtractor());

    const report = await a.syncNow();
    await b.syncNow();

    expect(report.ok).toBe(true);
    const { fields, ...rest } = largestExtractor();
    expect((await only(b)).listing!.extractor).toEqual({
      ...rest,
      fields: fields.map(({ role, path }) => ({ role, path })),
    });
  });

  describe('with an extractor another browser wrote that does not pass the check', () => {
    const bad = (t: number) => [t, PAGE, 'Doctored', { x: ['body *', 9, ['link', 'a']] }];

    it('does not add the blog, and goes on with the rest of the merge', async () => {
      await addFeed(a.db, { url: 'https://feed.example/rss', title: 'A feed' }, clock.now);
      await a.syncNow();
      await writeEntry(bad(Math.floor(clock.now / 1000)));

      const report = await b.syncNow();

      expect(report.ok).toBe(true);
      expect((await listFeeds(b.db)).map((feed) => feed.title)).toEqual(['A feed']);
    });

    it('keeps the blog here as it was, title and extractor', async () => {
      await followPage(a);
      await syncBoth();
      const before = await only(b);
      clock.now += MINUTE;
      await writeEntry(bad(Math.floor(clock.now / 1000)));

      const report = await b.syncNow();

      expect(report.ok).toBe(true);
      expect(await only(b)).toEqual(before);
    });

    it('leaves it in the copy as it is, without writing back and forth', async () => {
      await followPage(a);
      await syncBoth();
      clock.now += MINUTE;
      await writeEntry(bad(Math.floor(clock.now / 1000)));
      await syncBoth();
      const writes = sync.writes;

      await syncBoth();

      expect(sync.writes).toBe(writes);
      expect(JSON.stringify([...sync.data.values()])).toContain('body *');
    });
  });

  it('never turns a feed here into a listing blog', async () => {
    await followPage(a);
    await a.syncNow();
    await addFeed(b.db, { url: PAGE, title: 'Research blog', kind: 'rss' }, clock.now);

    await b.syncNow();

    const feed = await only(b);
    expect(feed).toMatchObject({ kind: 'rss' });
    expect(feed).not.toHaveProperty('listing');
  });

  it('keeps the extractor here when an older Dispatch rewrote the blog without it', async () => {
    await followPage(a);
    await syncBoth();
    clock.now += MINUTE;
    // An older version knows no `x`: renaming the blog, it writes the entry without it.
    await writeEntry([Math.floor(clock.now / 1000), PAGE, 'Renamed']);

    await a.syncNow();

    expect(await only(a)).toMatchObject({
      title: 'Renamed',
      listing: { extractor: seedExtractor(), lastCount: 9 },
    });
  });
});
