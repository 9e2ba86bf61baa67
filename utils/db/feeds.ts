/** The feeds repository: the blogs the user follows and their polling state. */
import Dexie from 'dexie';
import { pollTables, postTables, type DispatchDb } from './db';
import { asStorageError, readOrExplain } from './errors';
import { deletePosts, writePoll, type PollWrite, type PollWriteResult } from './posts';
import type { Feed } from './types';

export type NewFeed = Pick<Feed, 'url' | 'title'> & Partial<Pick<Feed, 'siteUrl' | 'kind'>>;

/**
 * A key for "is this the same feed?": scheme-less, host lower-cased without `www.`, default
 * port dropped, trailing slash dropped. Path and query keep their case (they are significant).
 */
export function feedIdentityKey(url: string): string {
  const parsed = new URL(url);
  const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  const port = parsed.port ? `:${parsed.port}` : '';
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${host}${port}${path}${parsed.search}`;
}

/** The feed already followed under this URL or one of its aliases, if any. */
export async function findFeedByUrl(db: DispatchDb, url: string): Promise<Feed | undefined> {
  const key = feedIdentityKey(url);
  const feeds = await db.feeds.toArray();
  return feeds.find((feed) =>
    [feed.url, ...feed.aliases].some((known) => feedIdentityKey(known) === key),
  );
}

/** Adds a feed, due for polling at once. */
export async function addFeed(db: DispatchDb, input: NewFeed, now: number): Promise<Feed> {
  const record: Omit<Feed, 'id'> = {
    aliases: [],
    addedAt: now,
    lastCheckedAt: 0,
    lastNewPostAt: 0,
    nextPollAt: now,
    failures: 0,
    status: 'active',
    ...input,
  };
  const id = await db.feeds.add(record as Feed);
  return { ...record, id: id as number };
}

/**
 * Adds a feed together with the posts of the response that proved it is a feed, in one
 * transaction: either the blog is followed with its posts, or nothing changed. A feed already
 * followed under another spelling of the URL (see {@link feedIdentityKey}) is refused inside
 * the transaction with a `ConstraintError`, as the unique URL index refuses the same spelling:
 * two subscribes racing with `http://` and `https://` cannot both win. Storage failures reject
 * with a `StorageError` in words.
 */
export async function addFeedWithPosts(
  db: DispatchDb,
  input: NewFeed,
  poll: PollWrite,
): Promise<{ feed: Feed } & PollWriteResult> {
  try {
    return await db.transaction('rw', pollTables(db), async () => {
      const followed = await findFeedByUrl(db, input.url);
      if (followed) {
        throw new Dexie.ConstraintError(`${input.url} is already followed as ${followed.url}`);
      }
      const feed = await addFeed(db, input, poll.now);
      return { feed, ...(await writePoll(db, feed.id, poll)) };
    });
  } catch (error) {
    throw asStorageError(error);
  }
}

export function getFeed(db: DispatchDb, id: number): Promise<Feed | undefined> {
  return db.feeds.get(id);
}

/** All feeds, in the order they were added. */
export function listFeeds(db: DispatchDb): Promise<Feed[]> {
  return readOrExplain(() => db.feeds.orderBy('id').toArray());
}

/** Active feeds whose next poll time has come. */
export async function listDueFeeds(db: DispatchDb, now: number): Promise<Feed[]> {
  const feeds = await db.feeds.toArray();
  return feeds.filter((feed) => feed.status === 'active' && feed.nextPollAt <= now);
}

/**
 * Removes a feed with its posts and counters. Reading-list items saved from it stay (their
 * link to the post is cleared): the reading list never depends on the feed.
 */
export async function removeFeed(db: DispatchDb, id: number): Promise<void> {
  await db.transaction(
    'rw',
    [db.feeds, ...postTables(db), db.unreadCounts, db.readingList],
    async () => {
      const postIds = (await db.posts.where('feedId').equals(id).primaryKeys()) as number[];
      const saved = new Set(postIds);
      await db.readingList
        .filter((item) => item.postId !== undefined && saved.has(item.postId))
        .modify((item) => {
          delete item.postId;
        });
      await deletePosts(db, postIds);
      await db.unreadCounts.where('feedId').equals(id).delete();
      await db.feeds.delete(id);
    },
  );
}
