import { afterEach, describe, expect, it } from 'vitest';
import type { DispatchDb } from '@/utils/db/db';
import { markRead } from '@/utils/db/posts';
import { saveToReadingList } from '@/utils/db/reading-list';
import { ALL_CATEGORIES } from '@/utils/db/types';
import { listUnreadCounts, unreadTotal } from '@/utils/db/unread-counts';
import { withFieldRole, type ListingExtractor } from '@/utils/listing/extract';
import {
  followListing,
  previewListing,
  relearnListing,
  setListingExtractor,
  type ListingDeps,
} from '@/utils/listing/follow';
import { learnExtractor } from '@/utils/listing/learn';
import { listingWorkDone } from '@/utils/listing/poll';
import { pollFeed } from '@/utils/poll/poll-feed';
import { expectCountersToAgree, expectIndexFieldsToAgree } from '../../helpers/db';
import type { FeedServer } from '../../helpers/feeds';
import { clock, MINUTE, storedState, T0, testPollDeps, useFeedTestBed } from '../../helpers/poll';
import { readSeedListing, renderSeedListing } from './seed';
import {
  articlePath,
  HTML,
  LISTING_PATH,
  listingPage,
  olderCards,
  serveSeedArticles,
  serveSeedListing,
  withOlderLink,
} from './site';

let db: DispatchDb;
let server: FeedServer;

useFeedTestBed((bed) => ({ db, server } = bed));
// The work after an answer (measuring, backfill) ends before the test's server closes.
afterEach(() => listingWorkDone());

function deps(extra: Partial<ListingDeps> = {}): ListingDeps {
  return { ...testPollDeps(db), ...extra };
}

const pageUrl = () => `${server.baseUrl}${LISTING_PATH}`;

/** What the options page holds after the preview: the extractor learned from the page. */
function learned(html = renderSeedListing()): ListingExtractor {
  const result = learnExtractor(html, pageUrl());
  if (!result.ok) throw new Error(result.reason);
  return result.extractor;
}

/** Follows the seed listing and waits for the work after the answer. */
async function followSeed(): Promise<number> {
  const result = await followListing({ url: pageUrl(), extractor: learned() }, deps());
  if (!result.ok) throw new Error(result.message);
  await listingWorkDone();
  return result.feedId;
}

const postsOf = (feedId: number) => db.posts.where('feedId').equals(feedId).toArray();

describe('followListing', () => {
  it('stores the blog and its 9 posts unread, in 2 categories, with the card\u2019s 2 min', async () => {
    serveSeedListing(server, {}, { etag: '"v1"' });

    const result = await followListing({ url: pageUrl(), extractor: learned() }, deps());
    await listingWorkDone();

    expect(result).toEqual({ ok: true, feedId: expect.any(Number), title: 'Blog', added: 9 });
    const feedId = result.ok ? result.feedId : -1;
    const feed = await db.feeds.get(feedId);
    expect(feed).toMatchObject({
      url: pageUrl(),
      title: 'Blog',
      siteUrl: `${server.baseUrl}/`,
      etag: '"v1"',
      lastCheckedAt: T0,
      lastUnconditionalAt: T0,
      failures: 0,
      status: 'active',
      listing: { lastCount: 9, extractor: { count: 9 } },
    });
    expect(feed?.kind).toBeUndefined();
    expect(feed?.listing?.drift).toBeUndefined();
    const posts = await postsOf(feedId);
    expect(posts.map((post) => post.title)).toEqual(
      readSeedListing().posts.map((post) => post.title),
    );
    expect(new Set(posts.flatMap((post) => post.categories))).toEqual(
      new Set(['State Space Model', 'Transformer']),
    );
    // The articles answered 404: the card's figure stays.
    expect(
      posts.every(
        (post) =>
          post.readAt === 0 &&
          post.minutes === 2 &&
          post.siteMinutes === 2 &&
          !post.minutesFromSummary,
      ),
    ).toBe(true);
    expect(await unreadTotal(db)).toBe(9);
    await expectCountersToAgree(db);
  });

  it("measures the new posts on their article pages, keeping the site's figure", async () => {
    serveSeedListing(server);
    serveSeedArticles(server, 1150);

    const feedId = await followSeed();

    const posts = await postsOf(feedId);
    expect(
      posts.map(({ words, minutes, minutesFromSummary, siteMinutes }) => ({
        words,
        minutes,
        minutesFromSummary,
        siteMinutes,
      })),
    ).toEqual(
      Array(9).fill({ words: 1150, minutes: 5, minutesFromSummary: false, siteMinutes: 2 }),
    );
    const total = (await listUnreadCounts(db)).find(
      (row) => row.feedId === feedId && row.category === ALL_CATEGORIES,
    );
    expect(total).toMatchObject({ unread: 9, minutes: 45 });
    await expectCountersToAgree(db);
    await expectIndexFieldsToAgree(db);
    // The page and its 9 articles, each once.
    expect(server.requests).toHaveLength(10);
    expect((await db.feeds.get(feedId))?.requestDays?.[0]?.requests).toBe(10);
  });

  it('measures at most 10 articles', async () => {
    serveSeedListing(server, { extraPosts: olderCards(3, 100) });

    await followSeed();

    expect(server.requests.filter((request) => request.url !== LISTING_PATH)).toHaveLength(10);
  });

  it('marks counted only the posts whose article it counted', async () => {
    // 12 cards: the first 3 articles are missing, the next 7 counted, the last 2 not fetched.
    serveSeedListing(server, { extraPosts: olderCards(3, 100) });
    serveSeedArticles(server, 1150);

    const feedId = await followSeed();

    const posts = await postsOf(feedId);
    const counted = posts.filter((post) => post.articleCounted);
    const label = posts.filter((post) => !post.articleCounted);
    expect(counted.map((post) => post.minutes)).toEqual(Array(7).fill(5));
    expect(label).toHaveLength(5);
    expect(label.every((post) => post.minutes === post.siteMinutes)).toBe(true);
    expect(label.every((post) => !('articleCounted' in post))).toBe(true);
  });

  it('fills in 2 older pages as read, and never touches a stored post', async () => {
    const [first] = readSeedListing().posts;
    server.route(LISTING_PATH, {
      body: withOlderLink(renderSeedListing(), `${LISTING_PATH}/page/2`),
      headers: HTML,
    });
    server.route(`${LISTING_PATH}/page/2`, {
      body: listingPage(olderCards(3, 1), `${LISTING_PATH}/page/3`),
      headers: HTML,
    });
    // The last page repeats a post the blog has (a card moved down a page).
    server.route(`${LISTING_PATH}/page/3`, {
      body: listingPage([...olderCards(2, 4), { ...first!, summary: 'Changed summary.' }]),
      headers: HTML,
    });
    const queued: (() => Promise<unknown>)[] = [];
    const later = (_: string, task: () => Promise<unknown>) => void queued.push(task);
    const result = await followListing({ url: pageUrl(), extractor: learned() }, deps({ later }));
    const feedId = result.ok ? result.feedId : -1;
    const before = await postsOf(feedId);

    for (const task of queued) await task();

    const posts = await postsOf(feedId);
    expect(posts).toHaveLength(14);
    const older = posts.filter((post) => post.title.startsWith('Older post'));
    expect(older.map((post) => post.title)).toEqual([1, 2, 3, 4, 5].map((n) => `Older post ${n}`));
    expect(older.every((post) => post.readAt === T0 && post.sectionKeys.length === 0)).toBe(true);
    expect(posts.filter((post) => !post.title.startsWith('Older post'))).toEqual(before);
    expect(posts.find((post) => post.title === first!.title)?.summary).not.toBe('Changed summary.');
    expect(await unreadTotal(db)).toBe(9);
    await expectCountersToAgree(db);
  });

  it('reads at most 5 older pages', async () => {
    server.route(LISTING_PATH, {
      body: withOlderLink(renderSeedListing(), `${LISTING_PATH}/page/2`),
      headers: HTML,
    });
    for (let n = 2; n <= 8; n += 1) {
      server.route(`${LISTING_PATH}/page/${n}`, {
        body: listingPage(olderCards(3, n * 10), `${LISTING_PATH}/page/${n + 1}`),
        headers: HTML,
      });
    }

    const feedId = await followSeed();

    expect(server.requestsTo(`${LISTING_PATH}/page/6`)).toHaveLength(1);
    expect(server.requestsTo(`${LISTING_PATH}/page/7`)).toHaveLength(0);
    expect(await postsOf(feedId)).toHaveLength(9 + 5 * 3);
  });

  it('asks for host access first, and sends nothing without it', async () => {
    serveSeedListing(server);

    const result = await followListing(
      { url: pageUrl(), extractor: learned() },
      deps({ hasOrigin: async () => false }),
    );

    expect(result).toEqual({
      ok: false,
      code: 'needs-permission',
      message: 'Dispatch needs access to 127.0.0.1 to read this page.',
      origin: 'http://127.0.0.1/*',
    });
    expect(server.requests).toHaveLength(0);
    expect(await db.feeds.count()).toBe(0);
  });

  it('says the blog is already followed', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();

    const again = await followListing({ url: pageUrl(), extractor: learned() }, deps());

    expect(again).toMatchObject({ ok: false, code: 'already-followed', feedId });
  });

  it('refuses an extractor that is not one, or that reads no post now', async () => {
    serveSeedListing(server);
    const broken = { version: 1, cards: '', fields: [], count: 0 } as unknown as ListingExtractor;
    const elsewhere = { ...learned(), cards: 'main > ul > li' };

    const results = [
      await followListing({ url: pageUrl(), extractor: broken }, deps()),
      await followListing({ url: pageUrl(), extractor: elsewhere }, deps()),
    ];

    expect(results).toEqual([
      {
        ok: false,
        code: 'not-found',
        message: expect.stringMatching(/^What Dispatch would read on this page cannot be used: /),
      },
      {
        ok: false,
        code: 'not-found',
        message: `Dispatch cannot follow ${pageUrl()}: with these choices Dispatch finds no posts on the page.`,
      },
    ]);
    expect(await db.feeds.count()).toBe(0);
  });

  it('says why the page could not be fetched', async () => {
    server.route(LISTING_PATH, { status: 500, body: 'Oops', headers: HTML });

    const result = await followListing({ url: pageUrl(), extractor: learned() }, deps());

    expect(result).toMatchObject({
      ok: false,
      code: 'fetch-failed',
      message: expect.stringContaining(`Could not fetch ${pageUrl()}`),
    });
  });
});

describe('previewListing', () => {
  it('previews the posts the page lists', async () => {
    serveSeedListing(server);

    const result = await previewListing({ url: pageUrl() }, deps());

    expect(result).toMatchObject({
      ok: true,
      preview: {
        url: pageUrl(),
        title: 'Blog',
        count: 9,
        summary: '9 posts in 2 categories: State Space Model, Transformer',
      },
    });
  });

  it("reads the page with the user's correction", async () => {
    serveSeedListing(server);
    const extractor = learned();
    const category = extractor.fields.find((field) => field.role === 'category')!;

    const result = await previewListing(
      { url: pageUrl(), extractor: withFieldRole(extractor, category.path, 'none') },
      deps(),
    );

    expect(result).toMatchObject({ ok: true, preview: { summary: '9 posts, without categories' } });
  });

  it('answers the origin to ask for when it has no access', async () => {
    const result = await previewListing({ url: pageUrl() }, deps({ hasOrigin: async () => false }));

    expect(result).toEqual({
      ok: false,
      message: 'Dispatch needs access to 127.0.0.1 to read this page.',
      origin: 'http://127.0.0.1/*',
    });
  });
});

/** The seed redesigned: every class renamed, so the learned card path finds nothing. */
const REDESIGN = { cardClass: 'post-tile', gridClass: 'tiles' };

/** Polls the blog as stored now, a minute after the previous poll. */
async function poll(feedId: number) {
  clock.now += MINUTE;
  return pollFeed((await db.feeds.get(feedId))!, testPollDeps(db));
}

/**
 * The seed listing in `options`' layout, its cards linking to `/projects/…` instead of the
 * posts, but for the first `keep` cards: a reading of other links than the blog's posts.
 */
function otherLinks(options: Parameters<typeof renderSeedListing>[0] = {}, keep = 0): string {
  let card = 0;
  return renderSeedListing(options).replace(/href="\/blog\//g, (link) =>
    card++ < keep ? link : 'href="/projects/',
  );
}

const REFUSED_OTHER_LINKS =
  'The new reading finds none of the 9 posts Dispatch already has from this page, so it may be reading the wrong links (every post would come again). Nothing was changed.';

describe('relearnListing', () => {
  it('learns the redesigned page: the drift ends, posts and read state stay', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    const [read] = await postsOf(feedId);
    const readAt = clock.now;
    await markRead(db, [read!.id], readAt);
    serveSeedListing(server, REDESIGN);
    expect((await poll(feedId)).drift).toBeDefined();
    const oldCards = (await db.feeds.get(feedId))?.listing?.extractor.cards;

    const result = await relearnListing({ feedId }, deps());

    expect(result).toEqual({
      ok: true,
      description: expect.stringMatching(/^Cards: .*\(9 found\)/),
      count: 9,
      added: 0,
    });
    const { listing } = (await db.feeds.get(feedId))!;
    expect(listing?.drift).toBeUndefined();
    expect(listing?.lastCount).toBe(9);
    expect(listing?.extractor.cards).not.toBe(oldCards);
    expect(listing?.extractor.cards).toContain('post-tile');
    const posts = await postsOf(feedId);
    expect(posts).toHaveLength(9);
    expect(posts.find((post) => post.id === read!.id)?.readAt).toBe(readAt);
    expect((await poll(feedId)).drift).toBeUndefined();
  });

  it('changes nothing when the page lists no posts now, and says why', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    server.route(LISTING_PATH, {
      body: '<!doctype html><html><body><form><input name="user"></form></body></html>',
      headers: HTML,
    });
    const before = await storedState(db);

    const result = await relearnListing({ feedId }, deps());

    expect(result).toEqual({ ok: false, message: expect.stringMatching(/No list of posts/) });
    const after = await storedState(db);
    expect(after.posts).toEqual(before.posts);
    expect(after.feeds[0]?.listing).toEqual(before.feeds[0]?.listing);
  });

  it('refuses a reading that finds none of the stored posts, and changes nothing', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    server.route(LISTING_PATH, { body: otherLinks(REDESIGN), headers: HTML });
    const before = await storedState(db);

    const result = await relearnListing({ feedId }, deps());

    expect(result).toEqual({ ok: false, message: REFUSED_OTHER_LINKS });
    const after = await storedState(db);
    expect(after.posts).toEqual(before.posts);
    expect(after.feeds[0]?.listing).toEqual(before.feeds[0]?.listing);
  });

  it('keeps a reading that finds one of the stored posts, and adds the rest', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    server.route(LISTING_PATH, { body: otherLinks(REDESIGN, 1), headers: HTML });

    const result = await relearnListing({ feedId }, deps());

    expect(result).toMatchObject({ ok: true, count: 9, added: 8 });
    expect((await db.feeds.get(feedId))?.listing?.extractor.cards).toContain('post-tile');
    expect(await postsOf(feedId)).toHaveLength(17);
  });

  it('says a feed is not a page', async () => {
    const { id } = await db.feeds
      .add({
        url: `${server.baseUrl}/feed.xml`,
        title: 'Edge Notes',
        aliases: [],
        addedAt: T0,
        lastCheckedAt: 0,
        lastNewPostAt: 0,
        nextPollAt: T0,
        failures: 0,
        status: 'active',
      } as never)
      .then((feedId) => ({ id: feedId as number }));

    expect(await relearnListing({ feedId: id }, deps())).toEqual({
      ok: false,
      message: 'Edge Notes follows a feed, not a page.',
    });
  });
});

describe('setListingExtractor', () => {
  it("stores the user's correction once it reads the page", async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    const extractor = learned();
    const category = extractor.fields.find((field) => field.role === 'category')!;
    const corrected = withFieldRole(extractor, category.path, 'none');

    const result = await setListingExtractor({ feedId, extractor: corrected }, deps());

    expect(result).toMatchObject({ ok: true, count: 9, added: 0 });
    const { listing } = (await db.feeds.get(feedId))!;
    expect(listing?.extractor.fields.map((field) => field.role)).not.toContain('category');
  });

  it('refuses an extractor that reads no post, or is not one, and changes nothing', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    const { listing } = (await db.feeds.get(feedId))!;
    const broken = { ...learned(), version: 2 } as unknown as ListingExtractor;

    const results = [
      await setListingExtractor(
        { feedId, extractor: { ...learned(), cards: 'main > ul > li' } },
        deps(),
      ),
      await setListingExtractor({ feedId, extractor: broken }, deps()),
    ];

    expect(results).toEqual([
      { ok: false, message: 'Not saved: with these choices Dispatch finds no posts on the page.' },
      {
        ok: false,
        message: expect.stringMatching(/^What Dispatch would read on this page cannot be used: /),
      },
    ]);
    expect((await db.feeds.get(feedId))?.listing).toEqual(listing);
  });

  it('refuses one that reads none of the stored posts, and changes nothing', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    server.route(LISTING_PATH, { body: otherLinks(), headers: HTML });
    const before = await storedState(db);
    const category = learned().fields.find((field) => field.role === 'category')!;
    const corrected = withFieldRole(learned(), category.path, 'none');

    const result = await setListingExtractor({ feedId, extractor: corrected }, deps());

    expect(result).toEqual({ ok: false, message: REFUSED_OTHER_LINKS });
    const after = await storedState(db);
    expect(after.posts).toEqual(before.posts);
    expect(after.feeds[0]?.listing).toEqual(before.feeds[0]?.listing);
  });

  it('keeps one that reads one of the stored posts', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    server.route(LISTING_PATH, { body: otherLinks({}, 1), headers: HTML });

    const result = await setListingExtractor({ feedId, extractor: learned() }, deps());

    expect(result).toMatchObject({ ok: true, count: 9, added: 8 });
    expect(await postsOf(feedId)).toHaveLength(17);
  });

  it('refuses one that reads under half the posts of the last read', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    const extractor = learned();
    const narrowed = { ...extractor, cards: `${extractor.cards}:nth-of-type(1)` };

    const result = await setListingExtractor({ feedId, extractor: narrowed }, deps());

    expect(result).toEqual({
      ok: false,
      message: 'Not saved: with these choices Dispatch finds 1 post on the page, where it found 9.',
    });
  });
});

describe('reading list and saved posts', () => {
  it('keep their links through a relearn', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    const [saved] = await postsOf(feedId);
    await saveToReadingList(
      db,
      { url: saved!.url!, title: saved!.title, postId: saved!.id, source: 'Blog' },
      clock.now,
    );
    serveSeedListing(server, REDESIGN);

    await relearnListing({ feedId }, deps());

    expect(await db.readingList.toArray()).toEqual([
      expect.objectContaining({ postId: saved!.id, url: saved!.url }),
    ]);
    expect(articlePath({ title: saved!.title })).toBe(new URL(saved!.url!).pathname);
  });
});
