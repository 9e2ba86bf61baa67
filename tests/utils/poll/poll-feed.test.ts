import { describe, expect, it } from 'vitest';
import type { DispatchDb } from '@/utils/db/db';
import { addFeed, removeFeed } from '@/utils/db/feeds';
import { holdHost } from '@/utils/db/hosts';
import { markRead } from '@/utils/db/posts';
import type { Feed } from '@/utils/db/types';
import { unreadTotal } from '@/utils/db/unread-counts';
import {
  isUnconditionalDue,
  noAccessMessage,
  pollFeed,
  UNCONDITIONAL_EVERY_MS,
  type PollDeps,
} from '@/utils/poll/poll-feed';
import { rss, someItems, type FeedServer } from '../../helpers/feeds';
import { clock, INTERVAL, MINUTE, T0, testPollDeps, useFeedTestBed } from '../../helpers/poll';

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
    });
    expect(outcome.error).toEqual(after.feed.lastError);

    await poll(feed.id);
    expect((await stored(feed.id)).feed).toMatchObject({
      failures: 2,
      nextPollAt: clock.now + 2 * INTERVAL,
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
