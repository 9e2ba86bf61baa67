/**
 * Builders for database tests: a fresh database per test and plausible records, and the checks
 * every write path must pass (counters and index fields in step with the posts).
 */
import { expect } from 'vitest';
import { createDb, type DispatchDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import { withIndexFields } from '@/utils/db/posts';
import { postTermsOf } from '@/utils/db/schema';
import type { Feed, NewPost, UnreadCount } from '@/utils/db/types';
import { listUnreadCounts, rebuildUnreadCounts } from '@/utils/db/unread-counts';

export function freshDb(): DispatchDb {
  return createDb(`test-${crypto.randomUUID()}`);
}

let counter = 0;

export function aPost(overrides: Partial<NewPost> = {}): NewPost {
  counter += 1;
  return {
    guid: `guid-${counter}`,
    url: `https://blog.example/posts/${counter}/`,
    title: `Post ${counter}`,
    summary: 'A summary.',
    categories: ['Transformer'],
    publishedAt: Date.UTC(2026, 2, 1) + counter * 60_000,
    words: 460,
    minutes: 2,
    minutesFromSummary: false,
    ...overrides,
  };
}

export async function aFeed(db: DispatchDb, overrides: Partial<Feed> = {}): Promise<Feed> {
  const feed = await addFeed(
    db,
    { url: `https://blog.example/feed-${crypto.randomUUID()}.xml`, title: 'Edge Notes' },
    1_000,
  );
  if (Object.keys(overrides).length > 0) await db.feeds.update(feed.id, overrides);
  return { ...feed, ...overrides };
}

/** One write that reached IndexedDB (through Dexie's DBCore), by table. */
export interface RecordedWrite {
  table: string;
  type: 'add' | 'put' | 'delete' | 'deleteRange';
  /** Records (or keys) in the request. */
  count: number;
}

/** What {@link probeStorage} gives a test: the reads and writes seen, and faults to inject. */
export interface StorageProbe {
  /** Every write request since the probe was installed or {@link StorageProbe.clear}ed. */
  readonly writes: RecordedWrite[];
  /** The table of every read request (get, query, cursor, count) since then, in order. */
  readonly reads: string[];
  clear(): void;
  /**
   * From now on, the `n`-th write request (1 = the next one) and every one after it fail with
   * `error` (default: a `QuotaExceededError`), as IndexedDB fails when the disk is full; the
   * transaction it belongs to aborts.
   */
  failFrom(n: number, error?: unknown): void;
  /** Writes succeed again. */
  heal(): void;
}

/** The error a browser gives a write when the origin's quota or the disk is full. */
export function quotaExceeded(): DOMException {
  return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
}

/**
 * Watches every read and write `db` makes, below Dexie's hooks and above IndexedDB (a DBCore
 * middleware), and can make writes fail. Call it on a fresh database before its first use.
 */
export function probeStorage(db: DispatchDb): StorageProbe {
  const writes: RecordedWrite[] = [];
  const reads: string[] = [];
  let failAt = Infinity;
  let failure: unknown;
  let seen = 0;
  db.use({
    stack: 'dbcore',
    name: 'test-storage-probe',
    create: (down) => ({
      ...down,
      table(name) {
        const table = down.table(name);
        const read =
          <A extends unknown[], R>(method: (...args: A) => R) =>
          (...args: A): R => {
            reads.push(name);
            return method.apply(table, args);
          };
        return {
          ...table,
          get: read(table.get),
          getMany: read(table.getMany),
          query: read(table.query),
          openCursor: read(table.openCursor),
          count: read(table.count),
          mutate(request) {
            seen += 1;
            if (seen >= failAt) return Promise.reject(failure);
            const count =
              'values' in request
                ? request.values.length
                : 'keys' in request
                  ? request.keys.length
                  : 1;
            writes.push({ table: name, type: request.type, count });
            return table.mutate(request);
          },
        };
      },
    }),
  });
  return {
    writes,
    reads,
    clear: () => {
      writes.splice(0);
      reads.splice(0);
    },
    failFrom(n, error = quotaExceeded()) {
      failAt = seen + n;
      failure = error;
    },
    heal() {
      failAt = Infinity;
    },
  };
}

/** Every record of every table, by table name: to compare a database before and after. */
export async function dumpDb(db: DispatchDb): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of db.tables) dump[table.name] = await table.toArray();
  return dump;
}

const byFeedAndCategory = (rows: UnreadCount[]) =>
  [...rows].sort(
    (a, b) =>
      a.feedId - b.feedId || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0),
  );

/**
 * Checks that the counters kept by the writes so far are what `rebuildUnreadCounts` computes
 * from the posts (rows left at zero aside). Rebuilds them, so call it between steps freely.
 */
export async function expectCountersToAgree(db: DispatchDb): Promise<void> {
  const kept = byFeedAndCategory((await listUnreadCounts(db)).filter((row) => row.unread > 0));
  await rebuildUnreadCounts(db);
  expect(byFeedAndCategory(await listUnreadCounts(db))).toEqual(kept);
}

/**
 * Checks that every stored post's index fields are those its text and read state give now,
 * and that the search table holds each post's words and nothing else.
 */
export async function expectIndexFieldsToAgree(db: DispatchDb): Promise<void> {
  const posts = await db.posts.toArray();
  for (const post of posts) {
    expect(post, `post ${post.id}`).toEqual(withIndexFields(post));
  }
  expect(await db.postTerms.toArray()).toEqual(posts.map(postTermsOf));
}
