import { describe, expect, it } from 'vitest';
import type { DispatchDb } from '@/utils/db/db';
import { addFeed, removeFeed } from '@/utils/db/feeds';
import { holdHost } from '@/utils/db/hosts';
import { markRead } from '@/utils/db/posts';
import type { Feed } from '@/utils/db/types';
import { unreadTotal } from '@/utils/db/unread-counts';
import {
  baseInterval,
  isUnconditionalDue,
  mergePostDates,
  noAccessMessage,
  pollFeed,
  POST_DATES_KEPT,
  UNCONDITIONAL_EVERY_MS,
  type PollDeps,
} from '@/utils/poll/poll-feed';
import { countRequest, REQUEST_DAYS_KEPT } from '@/utils/poll/requests';
import { rss, someItems, type FeedServer, type RssItemSpec } from '../../helpers/feeds';
import { clock, INTERVAL, MINUTE, T0, testPollDeps, useFeedTestBed } from '../../helpers/poll';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let db: DispatchDb;
let server: FeedServer;

useFeedTestBed((bed) => ({ db, server } = bed));

function deps(): PollDeps {
  return testPollDeps(db);
}

async function followed(path = '/feed.xml', title = 'Edge Notes'): Promise<Feed> {
  return addFeed(db, { url: `${server.baseUrl}${path}`, title }, T0);
}

/** Polls the feed as stored now (as the cycle does), a minute after the previous poll. */
async function poll(feedId: number) {
  clock.now += MINUTE;
  const feed = await db.feeds.get(feedId);
  if (!feed) throw new Error('feed gone');
  return pollFeed(feed, deps());
}

async function stored(feedId: number) {
  const feed = await db.feeds.get(feedId);
  const posts = await db.posts.where('feedId').equals(feedId).sortBy('guid');
  return { feed: feed!, posts };
}

describe('pollFeed', () => {
  it('adds new posts unread and records the success on the feed', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(3) }) });
    const feed = await followed();

    const outcome = await poll(feed.id);

    expect(outcome).toMatchObject({ feedId: feed.id, status: 'new-posts', firstSuccess: true });
    expect(outcome.added.map((post) => post.title)).toEqual(['Post 3', 'Post 2', 'Post 1']);
    const { feed: after, posts } = await stored(feed.id);
    expect(posts).toHaveLength(3);
    expect(posts.every((post) => post.readAt === 0)).toBe(true);
    expect(posts[0]).toMatchObject({
      categories: ['Transformer'],
      minutes: 1,
      minutesFromSummary: true,
    });
    expect(await unreadTotal(db)).toBe(3);
    expect(after).toMatchObject({
      title: 'Edge Notes',
      kind: 'rss',
      failures: 0,
      lastCheckedAt: clock.now,
      lastNewPostAt: clock.now,
      nextPollAt: clock.now + INTERVAL,
      siteUrl: 'https://blog.example/',
    });
  });

  it('adds only the new item on the next poll and keeps the read state of the others', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(2) }) });
    const feed = await followed();
    const first = await poll(feed.id);
    const read = first.added.find((post) => post.guid === 'post-1')!;
    await markRead(db, [read.id], clock.now);

    server.route('/feed.xml', { body: rss({ items: someItems(3) }) });
    const second = await poll(feed.id);

    expect(second).toMatchObject({ status: 'new-posts', firstSuccess: false });
    expect(second.added.map((post) => post.guid)).toEqual(['post-3']);
    const { posts } = await stored(feed.id);
    expect(posts.map((post) => post.guid)).toEqual(['post-1', 'post-2', 'post-3']);
    expect(posts.find((post) => post.guid === 'post-1')!.readAt).toBeGreaterThan(0);
    expect(await unreadTotal(db)).toBe(2);
  });

  it('records a failure in words, backs off, and changes nothing else', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(2) }), headers: { etag: '"v1"' } });
    const feed = await followed();
    const first = await poll(feed.id);
    await markRead(db, [first.added[0]!.id], clock.now);
    const before = await stored(feed.id);

    server.route('/feed.xml', {
      status: 500,
      body: 'oops',
      headers: { 'content-type': 'text/plain' },
    });
    const outcome = await poll(feed.id);

    expect(outcome.status).toBe('failed');
    expect(outcome.added).toEqual([]);
    const after = await stored(feed.id);
    expect(after.posts).toEqual(before.posts);
    expect(after.feed).toEqual({
      ...before.feed,
      failures: 1,
      lastCheckedAt: clock.now,
      // First failure: the regular interval (jitter pinned to its middle).
      nextPollAt: clock.now + INTERVAL,
      lastError: { code: 'http', message: expect.stringContaining('500'), at: clock.now },
      failingSince: clock.now,
      requestDays: [{ day: Math.floor(clock.now / DAY), requests: 2, notModified: 0 }],
    });
    expect(outcome.error).toEqual(after.feed.lastError);

    const since = clock.now;
    await poll(feed.id);
    expect((await stored(feed.id)).feed).toMatchObject({
      failures: 2,
      nextPollAt: clock.now + 2 * INTERVAL,
      failingSince: since,
    });
  });

  it('does not fetch a feed without host access and says so in words', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(2) }) });
    const feed = await followed();
    const checked: string[] = [];
    const hasOrigin = (url: string) => (checked.push(url), Promise.resolve(false));
    clock.now += MINUTE;

    const outcome = await pollFeed(feed, { ...deps(), hasOrigin });

    expect(checked).toEqual([feed.url]);
    expect(server.requests).toHaveLength(0);
    expect(outcome).toMatchObject({ status: 'failed', added: [] });
    const { feed: after, posts } = await stored(feed.id);
    expect(posts).toEqual([]);
    expect(after).toMatchObject({
      failures: 1,
      lastCheckedAt: clock.now,
      lastError: { code: 'no-access', message: noAccessMessage(feed.url), at: clock.now },
    });
    expect(after.lastError?.message).toContain('127.0.0.1');
  });

  it('does not fetch a feed whose host is held, and waits for the hold to end', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(2) }) });
    const feed = await followed();
    const until = clock.now + 2 * INTERVAL;
    await holdHost(db, {
      host: '127.0.0.1',
      until,
      reason: '127.0.0.1 asked Dispatch to wait (HTTP 429)',
    });

    const outcome = await poll(feed.id);

    expect(server.requests).toHaveLength(0);
    const error = {
      code: 'host-held',
      message: expect.stringMatching(
        /^127\.0\.0\.1 asked Dispatch to wait \(HTTP 429\); next request in /,
      ),
      at: clock.now,
    };
    expect(outcome).toEqual({
      feedId: feed.id,
      status: 'held',
      added: [],
      updated: 0,
      error,
      firstSuccess: false,
    });
    expect((await stored(feed.id)).feed).toMatchObject({
      failures: 0,
      lastCheckedAt: 0,
      nextPollAt: until,
      lastError: error,
    });
  });

  it('clears the last error after a success', async () => {
    server.route('/feed.xml', { status: 503, body: '' });
    const feed = await followed();
    await poll(feed.id);
    server.route('/feed.xml', { body: rss({ items: someItems(1) }) });

    const outcome = await poll(feed.id);

    expect(outcome).toMatchObject({ status: 'new-posts', firstSuccess: true });
    const { feed: after } = await stored(feed.id);
    expect(after.failures).toBe(0);
    expect('lastError' in after).toBe(false);
  });

  it('is idempotent: polling the same document again stores no duplicate', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(4) }) });
    const feed = await followed();
    await poll(feed.id);

    const again = await poll(feed.id);

    expect(again).toMatchObject({ status: 'no-change', added: [] });
    expect((await stored(feed.id)).posts).toHaveLength(4);
    expect(await unreadTotal(db)).toBe(4);
  });

  it('stores nothing for a blog removed while its feed was being fetched', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(3) }) });
    const feed = await followed();
    const removedMidway: typeof fetch = async (input, init) => {
      await removeFeed(db, feed.id);
      return fetch(input, init);
    };

    const outcome = await pollFeed(feed, { ...deps(), fetch: removedMidway });

    expect(outcome.added).toEqual([]);
    expect(await db.feeds.count()).toBe(0);
    expect(await db.posts.count()).toBe(0);
    expect(await unreadTotal(db)).toBe(0);
  });

  it('names a feed from its channel when it has only a placeholder title', async () => {
    server.route('/feed.xml', { body: rss({ title: 'Edge Notes', items: someItems(1) }) });
    const feed = await followed('/feed.xml', '127.0.0.1');

    await poll(feed.id);

    expect((await stored(feed.id)).feed.title).toBe('Edge Notes');
  });

  it('keeps a title the user chose', async () => {
    server.route('/feed.xml', { body: rss({ title: 'Channel name', items: someItems(1) }) });
    const feed = await followed('/feed.xml', 'My favourite blog');

    await poll(feed.id);

    expect((await stored(feed.id)).feed.title).toBe('My favourite blog');
  });
});

describe('isUnconditionalDue', () => {
  const now = T0;

  it.each([
    ['no validators', {}, true],
    [
      'an ETag, and an unconditional GET an hour ago',
      { etag: '"v1"', lastUnconditionalAt: now - 2 * INTERVAL },
      false,
    ],
    [
      'Last-Modified, and an unconditional GET a day ago',
      { lastModified: 'x', lastUnconditionalAt: now - UNCONDITIONAL_EVERY_MS },
      true,
    ],
    ['validators, and no record of an unconditional GET', { etag: '"v1"' }, true],
  ])('with %s: %s', (_, feed, expected) => {
    expect(isUnconditionalDue(feed, now)).toBe(expected);
  });
});

/** Items dated `gapMs` apart, the newest at `newest`; guids `p-<n>`. */
function itemsEvery(count: number, gapMs: number, newest: number): RssItemSpec[] {
  return Array.from({ length: count }, (_, index) => ({
    title: `Post ${count - index}`,
    guid: `p-${count - index}`,
    link: `https://blog.example/p/${count - index}/`,
    pubDate: new Date(newest - index * gapMs),
  }));
}

/** An RSS document with channel elements of its own (ttl, sy:…) before the items. */
function rssWithChannel(channel: string, items: RssItemSpec[]): string {
  return rss({ items }).replace(
    '<channel>',
    `<channel xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">${channel}`,
  );
}

/** Answers 304 to the ETag it gave, else the document. */
function withEtag(body: string) {
  return (headers: Record<string, string | string[] | undefined>) =>
    headers['if-none-match'] === '"v1"' ? { status: 304 } : { body, headers: { etag: '"v1"' } };
}

describe('pollFeed: the health record', () => {
  const today = (): number => Math.floor(clock.now / DAY);

  it('counts every request of a UTC day, with the 304s apart', async () => {
    server.route('/feed.xml', withEtag(rss({ items: someItems(2) })));
    const feed = await followed();
    await poll(feed.id); // 200
    await poll(feed.id); // 304
    await poll(feed.id); // 304
    server.route('/feed.xml', { status: 500, body: '' });
    await poll(feed.id); // error

    expect((await stored(feed.id)).feed.requestDays).toEqual([
      { day: today(), requests: 4, notModified: 2 },
    ]);
    expect(server.requestsTo('/feed.xml')).toHaveLength(4);
  });

  it('starts a new day at midnight UTC and keeps the days before it', async () => {
    server.route('/feed.xml', withEtag(rss({ items: someItems(2) })));
    const feed = await followed();
    await poll(feed.id);
    clock.now = Date.UTC(2026, 2, 21, 0, 0);
    await poll(feed.id);

    expect((await stored(feed.id)).feed.requestDays).toEqual([
      { day: today(), requests: 1, notModified: 1 },
      { day: today() - 1, requests: 1, notModified: 0 },
    ]);
  });

  it('counts nothing when nothing was sent: no host access, or a held host', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(2) }) });
    const feed = await followed();
    clock.now += MINUTE;
    await pollFeed(feed, { ...deps(), hasOrigin: () => Promise.resolve(false) });
    await holdHost(db, { host: '127.0.0.1', until: clock.now + DAY, reason: 'wait' });
    await poll(feed.id);

    expect(server.requests).toHaveLength(0);
    expect((await stored(feed.id)).feed.requestDays).toBeUndefined();
  });

  it('counts a request whose answer was a web page or broken', async () => {
    server.route('/feed.xml', {
      body: '<!DOCTYPE html><html><body>Parked</body></html>',
      headers: { 'content-type': 'text/html' },
    });
    const feed = await followed();

    await poll(feed.id);

    expect((await stored(feed.id)).feed).toMatchObject({
      lastError: { code: 'not-a-feed' },
      requestDays: [{ day: today(), requests: 1, notModified: 0 }],
    });
  });

  it('remembers when failing began through a run of failures, and forgets it on a 304', async () => {
    server.route('/feed.xml', withEtag(rss({ items: someItems(2) })));
    const feed = await followed();
    await poll(feed.id);
    server.route('/feed.xml', { status: 503, body: '' });
    await poll(feed.id);
    const began = clock.now;
    clock.now += DAY;
    await poll(feed.id);

    expect((await stored(feed.id)).feed).toMatchObject({ failures: 2, failingSince: began });

    server.route('/feed.xml', withEtag(rss({ items: someItems(2) })));
    await poll(feed.id);
    const after = (await stored(feed.id)).feed;
    expect(after.failures).toBe(0);
    expect('failingSince' in after).toBe(false);
  });

  it('marks a gone feed as failing from its 410', async () => {
    server.route('/feed.xml', { status: 410, body: '' });
    const feed = await followed();

    await poll(feed.id);

    expect((await stored(feed.id)).feed).toMatchObject({
      status: 'gone',
      failingSince: clock.now,
    });
  });

  it('keeps the dates of recent posts, newest first, each once, merged with earlier ones', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(3) }) });
    const feed = await followed();
    await poll(feed.id);
    // The blog drops its oldest item and adds one; one item has no date.
    server.route('/feed.xml', {
      body: rss({ items: [{ title: 'Undated', guid: 'u' }, ...someItems(3, 2)] }),
    });
    await poll(feed.id);

    expect((await stored(feed.id)).feed.recentPostDates).toEqual(
      [4, 3, 2, 1].map((day) => Date.UTC(2026, 2, day, 9)),
    );
  });

  it('stores the interval the feed asks for, and removes it when the feed stops asking', async () => {
    server.route('/feed.xml', { body: rssWithChannel('<ttl>120</ttl>', someItems(2)) });
    const feed = await followed();
    await poll(feed.id);
    expect((await stored(feed.id)).feed.publisherIntervalMs).toBe(2 * HOUR);

    server.route('/feed.xml', { body: rss({ items: someItems(2) }) });
    await poll(feed.id);
    expect('publisherIntervalMs' in (await stored(feed.id)).feed).toBe(false);
  });
});

describe('pollFeed: how often a blog is checked', () => {
  /** Polls with the user's maximum at a day, so the interval can be learned. */
  async function pollLearning(feedId: number, extra: Partial<PollDeps> = {}) {
    clock.now += MINUTE;
    const feed = (await db.feeds.get(feedId))!;
    await pollFeed(feed, { ...deps(), maxIntervalMs: DAY, ...extra });
    return (await db.feeds.get(feedId))!;
  }

  it('checks a blog that posts weekly once a day, not every 30 minutes', async () => {
    server.route('/feed.xml', { body: rss({ items: itemsEvery(6, 7 * DAY, T0 - DAY) }) });
    const feed = await followed();

    const after = await pollLearning(feed.id);

    expect(after.nextPollAt).toBe(clock.now + DAY);
  });

  it('checks a blog that posts daily every 6 hours (a quarter of its rhythm)', async () => {
    server.route('/feed.xml', { body: rss({ items: itemsEvery(10, DAY, T0 - HOUR) }) });
    const feed = await followed();

    const after = await pollLearning(feed.id);

    expect(after.nextPollAt).toBe(clock.now + 6 * HOUR);
  });

  it('keeps a new blog with one post at the regular interval', async () => {
    server.route('/feed.xml', { body: rss({ items: itemsEvery(1, DAY, T0 - 30 * DAY) }) });
    const feed = await followed();

    const after = await pollLearning(feed.id);

    expect(after.nextPollAt).toBe(clock.now + INTERVAL);
  });

  it('learns from the stored dates on a 304, and never goes past the user’s maximum', async () => {
    server.route('/feed.xml', withEtag(rss({ items: itemsEvery(6, 7 * DAY, T0 - DAY) })));
    const feed = await followed();
    await pollLearning(feed.id);

    const after = await pollLearning(feed.id, { maxIntervalMs: 4 * HOUR });

    expect(after.requestDays?.[0]).toMatchObject({ notModified: 1 });
    expect(after.nextPollAt).toBe(clock.now + 4 * HOUR);
  });

  it('waits at least what ttl or sy:updatePeriod ask, up to the maximum', async () => {
    const hourlyItems = itemsEvery(10, HOUR, T0 - HOUR);
    server.route('/feed.xml', { body: rssWithChannel('<ttl>180</ttl>', hourlyItems) });
    const feed = await followed();
    expect((await pollLearning(feed.id)).nextPollAt).toBe(clock.now + 3 * HOUR);

    server.route('/feed.xml', {
      body: rssWithChannel('<sy:updatePeriod>weekly</sy:updatePeriod>', hourlyItems),
    });
    expect((await pollLearning(feed.id)).nextPollAt).toBe(clock.now + DAY);
  });

  it('waits at least Cache-Control: max-age', async () => {
    server.route('/feed.xml', {
      body: rss({ items: itemsEvery(10, HOUR, T0 - HOUR) }),
      headers: { 'cache-control': 'max-age=7200' },
    });
    const feed = await followed();

    expect((await pollLearning(feed.id)).nextPollAt).toBe(clock.now + 2 * HOUR);
  });

  it('uses the blog’s own interval as its shortest, for successes and for the backoff', async () => {
    server.route('/feed.xml', { body: rss({ items: itemsEvery(10, HOUR, T0 - HOUR) }) });
    const feed = await followed();
    await db.feeds.update(feed.id, { intervalMinutes: 120 });
    expect((await pollLearning(feed.id)).nextPollAt).toBe(clock.now + 2 * HOUR);

    server.route('/feed.xml', { status: 500, body: '' });
    await pollLearning(feed.id);
    // Second failure: twice the blog's interval (jitter pinned to its middle).
    expect((await pollLearning(feed.id)).nextPollAt).toBe(clock.now + 4 * HOUR);
  });

  it('keeps a blog whose own interval is longer than the maximum at its own interval', async () => {
    server.route('/feed.xml', { body: rss({ items: itemsEvery(10, HOUR, T0 - HOUR) }) });
    const feed = await followed();
    await db.feeds.update(feed.id, { intervalMinutes: 2 * 24 * 60 });

    expect((await pollLearning(feed.id)).nextPollAt).toBe(clock.now + 2 * DAY);
  });

  it('learns nothing when the maximum is not given (the regular interval)', async () => {
    server.route('/feed.xml', { body: rss({ items: itemsEvery(6, 7 * DAY, T0 - DAY) }) });
    const feed = await followed();

    const after = await pollLearning(feed.id, { maxIntervalMs: undefined });

    expect(after.nextPollAt).toBe(clock.now + INTERVAL);
  });
});

describe('countRequest', () => {
  const day = Math.floor(T0 / DAY);

  it('starts a day, then adds to it', () => {
    const first = countRequest(undefined, T0, false);
    expect(first).toEqual([{ day, requests: 1, notModified: 0 }]);
    expect(countRequest(first, T0 + HOUR, true)).toEqual([{ day, requests: 2, notModified: 1 }]);
  });

  it(`keeps ${REQUEST_DAYS_KEPT} days, newest first`, () => {
    const older = Array.from({ length: 10 }, (_, index) => ({
      day: day - 1 - index,
      requests: 3,
      notModified: 1,
    }));

    const days = countRequest(older, T0, false);

    expect(days.map((entry) => entry.day)).toEqual(
      Array.from({ length: REQUEST_DAYS_KEPT }, (_, index) => day - index),
    );
  });
});

describe('mergePostDates', () => {
  const now = T0;

  it('merges newest first, each date once, leaving out posts dated in the future', () => {
    expect(
      mergePostDates(
        [now - 2 * DAY, now - 4 * DAY],
        [now - DAY, now - 2 * DAY, undefined, now + 9 * DAY],
        now,
      ),
    ).toEqual([now - DAY, now - 2 * DAY, now - 4 * DAY]);
  });

  it(`keeps the ${POST_DATES_KEPT} newest`, () => {
    const many = Array.from({ length: 50 }, (_, index) => now - index * HOUR);

    const kept = mergePostDates([], many, now);

    expect(kept).toHaveLength(POST_DATES_KEPT);
    expect(kept[0]).toBe(now);
  });
});

describe('baseInterval', () => {
  it.each([
    [undefined, INTERVAL],
    [0, INTERVAL],
    [-5, INTERVAL],
    [Number.NaN, INTERVAL],
    [120, 120 * 60_000],
    [0.001, 5 * 60_000],
    [1e12, 7 * 24 * 60 * 60_000],
  ])('holds a blog interval of %s minutes to %s ms', (intervalMinutes, expected) => {
    expect(baseInterval({ intervalMinutes }, { baseIntervalMs: INTERVAL })).toBe(expected);
  });
});
