import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DispatchDb } from '@/utils/db/db';
import type { FollowedListing } from '@/utils/db/types';
import { markRead, savePollResult } from '@/utils/db/posts';
import { saveToReadingList } from '@/utils/db/reading-list';
import { unreadTotal } from '@/utils/db/unread-counts';
import { followListing } from '@/utils/listing/follow';
import { withFieldRole } from '@/utils/listing/extract';
import { learnExtractor } from '@/utils/listing/learn';
import {
  backfillListing,
  driftOf,
  fetchPage,
  listingWorkDone,
  queueListingWork,
  readListing,
} from '@/utils/listing/poll';
import { pollDueFeeds } from '@/utils/poll/poll-all';
import { pollFeed } from '@/utils/poll/poll-feed';
import { aPost, expectCountersToAgree } from '../../helpers/db';
import type { FeedServer } from '../../helpers/feeds';
import {
  clock,
  INTERVAL,
  MINUTE,
  storedState,
  T0,
  testPollDeps,
  useFeedTestBed,
} from '../../helpers/poll';
import { readSeedListing, renderSeedListing } from './seed';
import {
  aNewCard,
  articlePage,
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
afterEach(() => listingWorkDone());

const pageUrl = () => `${server.baseUrl}${LISTING_PATH}`;

/** Follows the seed listing (as the options page would) and waits for the work after it. */
async function followSeed(): Promise<number> {
  const learned = learnExtractor(renderSeedListing(), pageUrl());
  if (!learned.ok) throw new Error(learned.reason);
  const result = await followListing(
    { url: pageUrl(), extractor: learned.extractor },
    testPollDeps(db),
  );
  if (!result.ok) throw new Error(result.message);
  await listingWorkDone();
  return result.feedId;
}

/** Polls the blog as stored now, a minute after the previous poll. */
async function poll(feedId: number, deps = testPollDeps(db)) {
  clock.now += MINUTE;
  return pollFeed((await db.feeds.get(feedId))!, deps);
}

const postsOf = (feedId: number) => db.posts.where('feedId').equals(feedId).toArray();

/** The seed redesigned: every class renamed, so the learned card path finds nothing. */
const REDESIGN = { cardClass: 'post-tile', gridClass: 'tiles' };

describe('pollFeed on a listing blog', () => {
  it('adds a new card as exactly one unread post, announced', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    const card = aNewCard();
    serveSeedListing(server, { extraPosts: [card] });

    const outcome = await poll(feedId);

    expect(outcome).toMatchObject({ status: 'new-posts', updated: 0, firstSuccess: false });
    expect(outcome.added.map((post) => post.title)).toEqual([card.title]);
    expect(outcome.added[0]).toMatchObject({
      categories: ['State Space Model'],
      minutes: 4,
      siteMinutes: 4,
      readAt: 0,
    });
    expect(await postsOf(feedId)).toHaveLength(10);
    expect(await unreadTotal(db)).toBe(10);
    expect((await db.feeds.get(feedId))?.listing).toMatchObject({ lastCount: 10 });
    await expectCountersToAgree(db);
  });

  it("measures the new post's article in the poll, and known posts keep theirs", async () => {
    serveSeedListing(server);
    serveSeedArticles(server, 1150);
    const feedId = await followSeed();
    const card = aNewCard();
    server.route(articlePath(card), { body: articlePage(card.title, 460), headers: HTML });
    serveSeedListing(server, { extraPosts: [card] });

    const outcome = await poll(feedId);

    expect(outcome.added[0]).toMatchObject({
      words: 460,
      minutes: 2,
      siteMinutes: 4,
      articleCounted: true,
    });
    const posts = await postsOf(feedId);
    expect(posts.map((post) => post.minutes).sort()).toEqual([2, ...Array(9).fill(5)]);
    expect(posts.every((post) => !post.minutesFromSummary)).toBe(true);
    // The poll rewrote the known posts' cards (keepReadingTimes): still counted.
    expect(posts.every((post) => post.articleCounted)).toBe(true);
    await expectCountersToAgree(db);
    // Each article once: a poll measures only the posts it added.
    expect(server.requestsTo(articlePath(card))).toHaveLength(1);
  });

  it('records drift on a layout change, and changes no post', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    const [read, saved] = await postsOf(feedId);
    await markRead(db, [read!.id], clock.now);
    await saveToReadingList(
      db,
      { url: saved!.url!, title: saved!.title, postId: saved!.id, source: 'Blog' },
      clock.now,
    );
    serveSeedListing(server, REDESIGN);
    const before = await storedState(db);

    const outcome = await poll(feedId);

    const drift = {
      reason: 'No posts were found on the listing page: the page layout may have changed.',
      since: clock.now,
      found: 0,
    };
    expect(outcome).toEqual({
      feedId,
      status: 'no-change',
      added: [],
      updated: 0,
      firstSuccess: false,
      drift,
    });
    const after = await storedState(db);
    expect(after.posts).toEqual(before.posts);
    expect(after.readingList).toEqual(before.readingList);
    expect(after.unreadCounts).toEqual(before.unreadCounts);
    const feed = after.feeds[0]!;
    expect(feed.listing).toEqual({ ...before.feeds[0]!.listing, drift });
    // The site answered: a success for scheduling, not a failure.
    expect(feed).toMatchObject({ failures: 0, lastCheckedAt: clock.now });
    expect(feed.nextPollAt).toBe(clock.now + INTERVAL);
  });

  it('keeps when the drift began over two polls, and a good read ends it', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    serveSeedListing(server, REDESIGN);
    const first = await poll(feedId);

    const second = await poll(feedId);

    expect(second.drift?.since).toBe(first.drift?.since);
    expect((await db.feeds.get(feedId))?.listing?.drift?.since).toBe(T0 + MINUTE);

    serveSeedListing(server);
    const healed = await poll(feedId);

    expect(healed).toMatchObject({ status: 'no-change', added: [] });
    expect(healed.drift).toBeUndefined();
    expect((await db.feeds.get(feedId))?.listing).toEqual({
      extractor: expect.objectContaining({ count: 9 }),
      lastCount: 9,
    });
  });

  it('calls a sudden drop in posts drift', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    serveSeedListing(server, { count: 3 });

    const outcome = await poll(feedId);

    expect(outcome.drift).toMatchObject({
      reason: expect.stringMatching(
        /^Only 3 posts were found on the listing page, where there were 9/,
      ),
      found: 3,
    });
    expect(await postsOf(feedId)).toHaveLength(9);
  });

  it('takes a 304 as "nothing new", drift or not', async () => {
    const page = renderSeedListing();
    server.route(LISTING_PATH, (headers) =>
      headers['if-none-match'] === '"v1"'
        ? { status: 304, headers: { etag: '"v1"' } }
        : { body: page, headers: { ...HTML, etag: '"v1"' } },
    );
    const feedId = await followSeed();
    const before = await storedState(db);

    const outcome = await poll(feedId);

    expect(outcome).toMatchObject({ status: 'not-modified', added: [] });
    expect(server.requestsTo(LISTING_PATH).at(-1)?.headers['if-none-match']).toBe('"v1"');
    const after = await storedState(db);
    expect(after.posts).toEqual(before.posts);
    expect(after.feeds[0]?.listing).toEqual(before.feeds[0]?.listing);
  });

  it('says so when host access is missing, and fetches nothing', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    const sent = server.requests.length;

    const outcome = await poll(feedId, { ...testPollDeps(db), hasOrigin: async () => false });

    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'no-access' } });
    expect(server.requests).toHaveLength(sent);
  });

  it('counts a drifting blog as checked, not failed, in the poll cycle', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    serveSeedListing(server, REDESIGN);
    clock.now += INTERVAL;

    const summary = await pollDueFeeds({ ...testPollDeps(db), feedId });

    expect(summary).toEqual({ checked: 1, newPosts: 0, failed: 0 });
  });
});

describe('pollFeed on a listing blog while a sync brings another extractor', () => {
  /**
   * Deps whose fetch of the listing page first stores `listing` on the blog, as a sync from a
   * browser where the user re-learned the page does while this poll is reading it.
   */
  const syncedDuringFetch = (feedId: number, listing: FollowedListing) => ({
    ...testPollDeps(db),
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      await db.feeds.update(feedId, { listing });
      return fetch(input, init);
    },
  });

  it('does not write its drift, nor the old extractor, over the synced one', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    serveSeedListing(server, REDESIGN);
    const relearned = learnExtractor(renderSeedListing(REDESIGN), pageUrl());
    if (!relearned.ok) throw new Error(relearned.reason);
    const synced = { extractor: relearned.extractor, lastCount: 9 };

    const outcome = await poll(feedId, syncedDuringFetch(feedId, synced));

    expect(outcome).toMatchObject({ status: 'no-change', added: [] });
    expect(outcome.drift).toBeUndefined();
    expect((await db.feeds.get(feedId))?.listing).toEqual(synced);
    // The next poll reads the redesigned page with the synced extractor: no drift.
    expect((await poll(feedId)).drift).toBeUndefined();
    expect(await postsOf(feedId)).toHaveLength(9);
  });

  it('stores no post read with the old extractor, and the next poll reads with the new one', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    const stored = (await db.feeds.get(feedId))!.listing!;
    const category = stored.extractor.fields.find((field) => field.role === 'category')!;
    const synced = {
      extractor: withFieldRole(stored.extractor, category.path, 'none'),
      lastCount: 9,
    };
    const card = aNewCard();
    serveSeedListing(server, { extraPosts: [card] });

    const outcome = await poll(feedId, syncedDuringFetch(feedId, synced));

    expect(outcome).toMatchObject({ status: 'no-change', added: [] });
    expect((await db.feeds.get(feedId))?.listing).toEqual(synced);
    expect(await postsOf(feedId)).toHaveLength(9);

    const next = await poll(feedId);

    expect(next.added.map((post) => [post.title, post.categories])).toEqual([
      [card.title, ['Uncategorized']],
    ]);
    await expectCountersToAgree(db);
  });
});

describe('readListing', () => {
  it('gives the posts, or the drift in words', () => {
    const url = 'https://chaos.example/blog';
    const learned = learnExtractor(renderSeedListing(), url);
    if (!learned.ok) throw new Error(learned.reason);
    const listing = { extractor: learned.extractor, lastCount: 9 };

    const good = readListing(renderSeedListing(), url, listing, { wordsPerMinute: 230 });
    const drifted = readListing(renderSeedListing(REDESIGN), url, listing, {
      wordsPerMinute: 230,
    });

    expect(good).toMatchObject({ ok: true, count: 9 });
    expect(drifted).toEqual({ ok: false, reason: expect.any(String), found: 0 });
  });
});

describe('driftOf', () => {
  it('keeps when the drift was first seen', () => {
    const listing = {
      extractor: { version: 1 as const, cards: 'a', fields: [], count: 1 },
      lastCount: 9,
      drift: { reason: 'Before.', since: 5, found: 0 },
    };

    expect(driftOf(listing, { reason: 'Now.', found: 2 }, 99)).toEqual({
      reason: 'Now.',
      since: 5,
      found: 2,
    });
    expect(driftOf({ ...listing, drift: undefined }, { reason: 'Now.', found: 2 }, 99).since).toBe(
      99,
    );
  });
});

describe('fetchPage', () => {
  it('does not fetch while the host asked to wait, and holds it when it asks', async () => {
    server.route('/busy', { status: 429, body: '', headers: { 'retry-after': '120' } });
    const deps = testPollDeps(db);

    const first = await fetchPage(`${server.baseUrl}/busy`, deps);
    const second = await fetchPage(`${server.baseUrl}/busy`, deps);

    expect(first).toMatchObject({ ok: false, code: 'rate-limited', sent: true });
    expect(second).toMatchObject({
      ok: false,
      code: 'held',
      sent: false,
      message: expect.stringMatching(/^127\.0\.0\.1 asked Dispatch to wait/),
    });
    expect(server.requestsTo('/busy')).toHaveLength(1);
  });

  it('refuses what is not a web page', async () => {
    server.route('/data.json', {
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });

    expect(await fetchPage(`${server.baseUrl}/data.json`, testPollDeps(db))).toMatchObject({
      ok: false,
      code: 'not-html',
    });
  });
});

describe('backfillListing', () => {
  /** A blog with one post its feed gave: the first seed card's, under a guid of the feed's. */
  async function aFeedWithFirstSeedPost(): Promise<number> {
    const feedId = (await db.feeds.add({
      url: `${server.baseUrl}/blog/feed.xml`,
      title: 'Blog',
      aliases: [],
      addedAt: T0,
      lastCheckedAt: T0,
      lastNewPostAt: 0,
      nextPollAt: T0,
      failures: 0,
      status: 'active',
    } as never)) as number;
    const [first] = readSeedListing().posts;
    await savePollResult(db, feedId, {
      posts: [aPost({ guid: 'feed-0', url: `${server.baseUrl}${articlePath(first!)}` })],
      feed: {},
      now: T0,
    });
    return feedId;
  }

  it('stops at a page that gives no post, and at a link off the site', async () => {
    const url = pageUrl();
    const learned = learnExtractor(renderSeedListing(), url);
    if (!learned.ok) throw new Error(learned.reason);
    const feed = await aFeedWithFirstSeedPost();
    const offSite = renderSeedListing().replace(
      '</main>',
      '<a rel="next" href="https://elsewhere.example/blog/page/2">Older posts</a></main>',
    );

    const result = await backfillListing(
      feed,
      { url, html: offSite },
      learned.extractor,
      testPollDeps(db),
      { includeFirst: true },
    );

    // The 8 seed posts the blog lacks; the first it has.
    expect(result).toEqual({ added: 8, requests: 0 });
    const posts = await postsOf(feed);
    expect(posts).toHaveLength(9);
    expect(posts.filter((post) => post.guid !== 'feed-0').every((post) => post.readAt === T0)).toBe(
      true,
    );
  });

  it('stores nothing from a first page whose cards are none of the blog’s posts, and reads no further page', async () => {
    // A site page with a grid of projects, linking elsewhere on the site, and more of them.
    const url = `${server.baseUrl}/`;
    const projects = withOlderLink(
      renderSeedListing().replace(/href="\/blog\//g, 'href="/projects/'),
      '/projects/page/2',
    );
    server.route('/projects/page/2', { body: listingPage(olderCards(3)), headers: HTML });
    const learned = learnExtractor(projects, url);
    if (!learned.ok) throw new Error(learned.reason);
    const feed = await aFeedWithFirstSeedPost();
    const before = await storedState(db);

    const result = await backfillListing(
      feed,
      { url, html: projects },
      learned.extractor,
      testPollDeps(db),
      { includeFirst: true },
    );

    expect(result).toEqual({ added: 0, requests: 0 });
    expect(await storedState(db)).toEqual(before);
    expect(server.requests).toEqual([]);
  });
});

describe('queueListingWork', () => {
  it('runs tasks one after the other, past a failure, and says when all are done', async () => {
    const reported = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const ran: string[] = [];
    queueListingWork('first', async () => {
      ran.push('first');
      queueListingWork('queued meanwhile', async () => void ran.push('queued meanwhile'));
    });
    queueListingWork('failing', async () => {
      throw new Error('no network');
    });
    queueListingWork('last', async () => void ran.push('last'));

    await listingWorkDone();

    expect(ran).toEqual(['first', 'last', 'queued meanwhile']);
    expect(reported).toHaveBeenCalledWith(
      '[Dispatch] failing: Error: no network',
      expect.any(Error),
    );
    reported.mockRestore();
  });

  it('waits for a poll cycle in flight, and a cycle waits for it: one request at a time', async () => {
    serveSeedListing(server);
    const feedId = await followSeed();
    let finishBackfill!: () => void;
    const events: string[] = [];
    queueListingWork('backfill', async () => {
      events.push('backfill starts');
      await new Promise<void>((resolve) => (finishBackfill = resolve));
      events.push('backfill ends');
    });
    await vi.waitFor(() => expect(events).toEqual(['backfill starts']));
    const sent = server.requestsTo(LISTING_PATH).length;

    const cycle = pollDueFeeds({ ...testPollDeps(db), feedId }).then(() => {
      events.push('poll done');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(server.requestsTo(LISTING_PATH)).toHaveLength(sent);
    finishBackfill();
    await cycle;
    expect(events).toEqual(['backfill starts', 'backfill ends', 'poll done']);
    expect(server.requestsTo(LISTING_PATH)).toHaveLength(sent + 1);
  });
});
