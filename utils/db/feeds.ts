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

/**
 * Every followed feed by {@link feedIdentityKey} of its URL and of each alias: one read for
 * many "is this followed?" questions (an OPML import, a restore), where {@link findFeedByUrl}
 * would read the table once per question. A stored URL that no longer parses is left out.
 */
export async function feedsByIdentity(db: DispatchDb): Promise<Map<string, Feed>> {
  const byKey = new Map<string, Feed>();
  for (const feed of await db.feeds.toArray()) {
    for (const known of [feed.url, ...feed.aliases]) {
      try {
        const key = feedIdentityKey(known);
        if (!byKey.has(key)) byKey.set(key, feed);
      } catch {
        // Not a URL: it cannot be the same feed as any valid address.
      }
    }
  }
  return byKey;
}

/** A blog's own preferences, as the options page sets them. */
export interface FeedPreferences {
  notify?: boolean;
  /** Minutes; undefined: back to the default setting. */
  intervalMinutes?: number | undefined;
}

/**
 * Writes a blog's preferences. An interval shorter than the wait before its next check brings
 * that check forward (a longer one takes effect after it).
 */
export async function updateFeedPreferences(
  db: DispatchDb,
  id: number,
  preferences: FeedPreferences,
  now: number,
): Promise<void> {
  await db.transaction('rw', db.feeds, async () => {
    const feed = await db.feeds.get(id);
    if (!feed) throw new Error('This blog is no longer followed.');
    const changes: Partial<Feed> = {};
    if ('notify' in preferences) changes.notify = preferences.notify;
    if ('intervalMinutes' in preferences) {
      changes.intervalMinutes = preferences.intervalMinutes;
      const minutes = preferences.intervalMinutes;
      if (minutes !== undefined && feed.status === 'active' && feed.lastCheckedAt > 0) {
        const due = Math.max(now, feed.lastCheckedAt + minutes * 60_000);
        if (due < feed.nextPollAt) changes.nextPollAt = due;
      }
    }
    await db.feeds.update(id, changes);
  });
}
