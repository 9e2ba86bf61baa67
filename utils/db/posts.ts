/**
 * The posts repository. Every read-state change and every new post updates the unread
 * counters in the same transaction, so counts never drift from the posts.
 */
import { pollTables, type DispatchDb } from './db';
import type { Feed, NewPost, Post, PostContent } from './types';
import { addToDelta, applyDelta } from './unread-counts';

/** Dates more than this far ahead are not believed (the post sorts by first-seen instead). */
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

export interface PollWrite {
  /** The posts in the feed now, in document order. Absent posts are kept as they are. */
  posts: NewPost[];
  /** Changes to the feed record (validators, times, title…), written in the same transaction. */
  feed: Partial<Omit<Feed, 'id'>>;
  now: number;
}

export interface PollWriteResult {
  /** Posts stored for the first time, in feed order. */
  added: Post[];
  /** Posts seen before whose text changed (read state kept). */
  updated: number;
}

/**
 * Stores the result of a successful poll: adds new posts unread, updates the text of known
 * ones (keeping their read state and first-seen time), never deletes, and writes the feed's
 * new validators in the same transaction — so a poll cut off mid-way leaves either nothing or
 * everything, and re-running it creates no duplicates. A feed removed while its poll was in
 * flight gets nothing written: its posts would come back as orphans, unread and counted.
 */
export async function savePollResult(
  db: DispatchDb,
  feedId: number,
  { posts, feed, now }: PollWrite,
): Promise<PollWriteResult> {
  return db.transaction('rw', pollTables(db), async () => {
    if (!(await db.feeds.get(feedId))) return { added: [], updated: 0 };
    const unique = dedupeByGuid(posts);
    const existing = await db.posts
      .where('[feedId+guid]')
      .anyOf(unique.map((p) => [feedId, p.guid]))
      .toArray();
    const known = new Map(existing.map((post) => [post.guid, post]));
    const storedContent = await db.postContents.bulkGet(existing.map((post) => post.id));
    const contentOf = new Map(existing.map((post, i) => [post.id, storedContent[i]?.html]));
    const delta = new Map();
    const added: { post: Post; content?: string }[] = [];
    const changed: Post[] = [];
    const changedContent: PostContent[] = [];

    for (const { content, ...incoming } of unique) {
      const before = known.get(incoming.guid);
      if (!before) {
        const post = {
          ...incoming,
          feedId,
          readAt: 0,
          firstSeenAt: now,
          publishedAt: plausibleDate(incoming.publishedAt, now),
        } as Post;
        added.push({ post, content });
        addToDelta(delta, post, 1);
        continue;
      }
      const contentChanged = content !== undefined && content !== contentOf.get(before.id);
      if (contentChanged) changedContent.push({ postId: before.id, html: content });
      if (!hasChanged(before, incoming)) continue;
      const after: Post = {
        ...before,
        ...incoming,
        id: before.id,
        feedId,
        readAt: before.readAt,
        firstSeenAt: before.firstSeenAt,
        publishedAt: incoming.publishedAt
          ? plausibleDate(incoming.publishedAt, before.firstSeenAt)
          : before.publishedAt,
      };
      if (before.readAt === 0) {
        addToDelta(delta, before, -1);
        addToDelta(delta, after, 1);
      }
      changed.push(after);
    }

    if (added.length > 0) {
      const records = added.map(({ post }) => post as Omit<Post, 'id'> as Post);
      const ids = await db.posts.bulkAdd(records, { allKeys: true });
      added.forEach(({ post }, index) => (post.id = ids[index] as number));
      const contents = added.filter(({ content }) => content !== undefined);
      await db.postContents.bulkAdd(
        contents.map(({ post, content }) => ({ postId: post.id, html: content! })),
      );
    }
    if (changed.length > 0) await db.posts.bulkPut(changed);
    if (changedContent.length > 0) await db.postContents.bulkPut(changedContent);
    await applyDelta(db, delta);
    await db.feeds.update(feedId, { ...feed, ...(added.length > 0 && { lastNewPostAt: now }) });
    return {
      added: added.map(({ post }) => post),
      updated: new Set([...changed.map((p) => p.id), ...changedContent.map((c) => c.postId)]).size,
    };
  });
}

/** A post's full content (untrusted HTML), when the feed gave one. */
export async function getPostContent(db: DispatchDb, postId: number): Promise<string | undefined> {
  return (await db.postContents.get(postId))?.html;
}

/** Marks posts read (already-read ones keep their first read time). */
export async function markRead(db: DispatchDb, postIds: number[], now: number): Promise<void> {
  await setReadState(db, postIds, now);
}

/** Marks posts unread again. */
export async function markUnread(db: DispatchDb, postIds: number[]): Promise<void> {
  await setReadState(db, postIds, 0);
}

async function setReadState(db: DispatchDb, postIds: number[], readAt: number): Promise<void> {
  await db.transaction('rw', db.posts, db.unreadCounts, async () => {
    // Each post once: an id named twice must not move the counters twice.
    const posts = (await db.posts.bulkGet([...new Set(postIds)])).filter(
      (post): post is Post => !!post,
    );
    const toChange = posts.filter((post) => (readAt === 0 ? post.readAt !== 0 : post.readAt === 0));
    if (toChange.length === 0) return;
    const delta = new Map();
    for (const post of toChange) addToDelta(delta, post, readAt === 0 ? 1 : -1);
    await db.posts.bulkPut(toChange.map((post) => ({ ...post, readAt })));
    await applyDelta(db, delta);
  });
}

/** Unread posts, newest first. */
export function listUnread(db: DispatchDb, limit = Infinity): Promise<Post[]> {
  const query = db.posts
    .where('[readAt+publishedAt]')
    .between([0, -Infinity], [0, Infinity])
    .reverse();
  return (Number.isFinite(limit) ? query.limit(limit) : query).toArray();
}

export function getPost(db: DispatchDb, id: number): Promise<Post | undefined> {
  return db.posts.get(id);
}

/** How many posts each feed has stored (for the blog list's status line). */
export async function countPostsByFeed(
  db: DispatchDb,
  feedIds: number[],
): Promise<Map<number, number>> {
  const counts = await Promise.all(
    feedIds.map((id) => db.posts.where('feedId').equals(id).count()),
  );
  return new Map(feedIds.map((id, index) => [id, counts[index] ?? 0]));
}

/** First occurrence of a guid wins: a broken feed repeating an id must not merge posts silently. */
function dedupeByGuid(posts: NewPost[]): NewPost[] {
  const seen = new Set<string>();
  return posts.filter((post) => !seen.has(post.guid) && !!seen.add(post.guid));
}

function plausibleDate(publishedAt: number | undefined, fallback: number): number {
  if (!publishedAt || publishedAt > fallback + FUTURE_TOLERANCE_MS) return fallback;
  return publishedAt;
}

/** The fields whose change makes a known post an update (content is compared on its own). */
const COMPARED = ['url', 'title', 'summary', 'author', 'updatedAt', 'minutes'] as const;

function hasChanged(before: Post, incoming: Omit<NewPost, 'content'>): boolean {
  if (COMPARED.some((key) => before[key] !== incoming[key])) return true;
  return before.categories.join('\u0000') !== incoming.categories.join('\u0000');
}
