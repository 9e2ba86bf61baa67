/**
 * Set-up shared by the poll and subscribe tests: a fresh database and a loopback feed server
 * per test (with WXT's fake browser reset), a fixed clock, and the dependencies the poll
 * cycle and subscribe take in production, pinned for tests. Also what the hostile-input
 * tests assert with: "keep state" checks, a blog followed for a while, a write interceptor
 * that can fail a transaction mid-way, and a fake Web Locks manager.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DispatchDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import { markRead, savePollResult } from '@/utils/db/posts';
import { saveToReadingList } from '@/utils/db/reading-list';
import type { Feed, Post, PostContent, ReadingListItem, UnreadCount } from '@/utils/db/types';
import type { PollDeps } from '@/utils/poll/poll-feed';
import { aPost, freshDb } from './db';
import { startFeedServer, type FeedServer } from './feeds';

export const MINUTE = 60_000;

/** The regular interval between polls in these tests: the setting's default, 30 min. */
export const INTERVAL = 30 * MINUTE;

/** The tests' clock at the start of each test: 20 Mar 2026, 12:00 UTC. */
export const T0 = Date.UTC(2026, 2, 20, 12);

/** Reading speed the tests run with (the extension's default). */
export const WORDS_PER_MINUTE = 230;

/** The poll tests' clock: `clock.now` is {@link T0} when each test starts; tests move it on. */
export const clock = { now: T0 };

export interface FeedTestBed {
  /** A database of its own, closed after the test. */
  db: DispatchDb;
  /** A feed server on 127.0.0.1, closed after the test. */
  server: FeedServer;
}

/**
 * Registers the hooks that give every test of the file (or `describe`) a fresh
 * {@link FeedTestBed} and set the {@link clock} back to {@link T0}; `onReady` receives the bed
 * before each test, so a file can keep `db` and `server` in variables of its own.
 */
export function useFeedTestBed(onReady: (bed: FeedTestBed) => void): void {
  let bed: FeedTestBed | undefined;
  beforeEach(async () => {
    fakeBrowser.reset();
    clock.now = T0;
    bed = { db: freshDb(), server: await startFeedServer() };
    onReady(bed);
  });
  afterEach(async () => {
    await bed?.server.close();
    bed?.db.close();
    bed = undefined;
  });
}

/**
 * The poll dependencies with the test values: the time from `now` (default: the
 * {@link clock}), {@link INTERVAL}, {@link WORDS_PER_MINUTE} and a jitter pinned to the middle
 * (0.5), so backoff delays are exact.
 */
export function testPollDeps(
  db: DispatchDb,
  now: () => number = () => clock.now,
): Required<Omit<PollDeps, 'fetch' | 'fetchLimits'>> {
  return {
    db,
    now,
    baseIntervalMs: INTERVAL,
    // Nothing learned unless a test says so: the interval stays INTERVAL.
    maxIntervalMs: INTERVAL,
    wordsPerMinute: WORDS_PER_MINUTE,
    random: () => 0.5,
    hasOrigin: () => Promise.resolve(true),
  };
}

/**
 * Fields of a feed record that a failed or skipped poll may change: its status and error
 * fields, and its health record (when failing began, requests per day). Everything else is
 * "state" that HOSTILE-INPUTS.md says must survive.
 */
export const STATUS_FIELDS = [
  'failures',
  'lastError',
  'lastCheckedAt',
  'nextPollAt',
  'status',
  'failingSince',
  'requestDays',
] as const satisfies readonly (keyof Feed)[];

/** Every record a poll could touch, to compare before and after. */
export interface StoredState {
  feeds: Feed[];
  posts: Post[];
  postContents: PostContent[];
  readingList: ReadingListItem[];
  unreadCounts: UnreadCount[];
}

export async function storedState(db: DispatchDb): Promise<StoredState> {
  const [feeds, posts, postContents, readingList, unreadCounts] = await Promise.all([
    db.feeds.orderBy('id').toArray(),
    db.posts.orderBy('id').toArray(),
    db.postContents.orderBy('postId').toArray(),
    db.readingList.orderBy('id').toArray(),
    db.unreadCounts.toArray(),
  ]);
  return { feeds, posts, postContents, readingList, unreadCounts };
}

/** A feed record without its status and error fields. */
export function withoutStatus(feed: Feed): Omit<Feed, (typeof STATUS_FIELDS)[number]> {
  const rest: Partial<Feed> = { ...feed };
  for (const field of STATUS_FIELDS) delete rest[field];
  return rest as Omit<Feed, (typeof STATUS_FIELDS)[number]>;
}

/**
 * Asserts "keep state": posts, their content, read state, counters and the reading list are
 * as they were, and the feed records differ at most in their status and error fields.
 * Returns the state now, for further checks.
 */
export async function expectStateKept(db: DispatchDb, before: StoredState): Promise<StoredState> {
  const after = await storedState(db);
  expect(after.posts).toEqual(before.posts);
  expect(after.postContents).toEqual(before.postContents);
  expect(after.readingList).toEqual(before.readingList);
  expect(after.unreadCounts).toEqual(before.unreadCounts);
  expect(after.feeds.map(withoutStatus)).toEqual(before.feeds.map(withoutStatus));
  return after;
}

/**
 * A blog followed for a while: three posts stored (one read, one on the reading list, one
 * with full content), validators from its last response, due for its next poll at `now`.
 */
export async function aFollowedBlog(db: DispatchDb, url: string, now = clock.now): Promise<Feed> {
  const feed = await addFeed(db, { url, title: 'Edge Notes' }, now - INTERVAL);
  const { added } = await savePollResult(db, feed.id, {
    posts: [aPost({ content: '<p>The whole article.</p>' }), aPost(), aPost()],
    feed: {
      kind: 'rss',
      etag: '"v1"',
      lastModified: 'Fri, 20 Mar 2026 11:00:00 GMT',
      lastCheckedAt: now - INTERVAL,
      lastUnconditionalAt: now - INTERVAL,
      nextPollAt: now,
    },
    now: now - INTERVAL,
  });
  const [first, second] = added;
  await markRead(db, [first!.id], now - INTERVAL);
  await saveToReadingList(
    db,
    { url: second!.url!, title: second!.title, postId: second!.id, source: 'Edge Notes' },
    now - INTERVAL,
  );
  return (await db.feeds.get(feed.id))!;
}

/** What `interceptWrites` saw, and the switch that makes a write fail. */
export interface WriteLog {
  /** Each write request that reached IndexedDB: `table:type` (`posts:add`, `feeds:put`…). */
  writes: string[];
  /**
   * When set, the write whose 1-based number (counting every write since interception
   * began) equals it fails, aborting its transaction, as a worker stopped mid-write would.
   */
  failAt?: number;
}

/**
 * Watches (and can break) every write to `db`, through a Dexie DBCore middleware. Must be
 * called before the database is first used: Dexie builds its middleware stack when it opens.
 */
export function interceptWrites(db: DispatchDb): WriteLog {
  if (db.isOpen()) throw new Error('interceptWrites: call it before the database is opened');
  const log: WriteLog = { writes: [] };
  db.use({
    stack: 'dbcore',
    name: 'test-intercept-writes',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (request) => {
            log.writes.push(`${name}:${request.type}`);
            if (log.writes.length === log.failAt) {
              return Promise.reject(new Error(`injected failure at write ${log.failAt}`));
            }
            return table.mutate(request);
          },
        };
      },
    }),
  });
  return log;
}

/**
 * A minimal Web Locks `LockManager` for Node (which has none before v22): exclusive locks by
 * name, granted in request order, released when the callback settles. Records each request.
 */
export function fakeLockManager(): { locks: LockManager; requested: string[]; held: Set<string> } {
  const requested: string[] = [];
  const held = new Set<string>();
  const queues = new Map<string, Promise<unknown>>();
  const request = (name: string, callback: (lock: Lock | null) => unknown): Promise<unknown> => {
    requested.push(name);
    const previous = queues.get(name) ?? Promise.resolve();
    const run = previous.then(async () => {
      held.add(name);
      try {
        return await callback({ name, mode: 'exclusive' } as Lock);
      } finally {
        held.delete(name);
      }
    });
    queues.set(
      name,
      run.catch(() => undefined),
    );
    return run;
  };
  return { locks: { request } as unknown as LockManager, requested, held };
}
