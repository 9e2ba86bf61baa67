/**
 * The posts repository. Every read-state change and every new post updates the unread
 * counters in the same transaction, so counts never drift from the posts, and every write
 * derives the post's index fields (`withIndexFields`: its sections while unread, its search
 * words), so the popup's indexes never drift either.
 */
import { searchTerms } from '@/utils/search';
import { pollTables, type DispatchDb } from './db';
import { asStorageError, readOrExplain } from './errors';
import { sectionKeysOf } from './sections';
import { postTermsOf } from './schema';
import type { Feed, NewPost, Post, PostContent, PostIndexFields } from './types';
import { addToDelta, applyDelta } from './unread-counts';

/** Dates more than this far ahead are not believed (the post sorts by first-seen instead). */
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

/**
 * How many of a feed's most recently stored posts a post with a new guid is compared with, by
 * link (HOSTILE-INPUTS.md E42). Feeds carry 10 to 100 items; a site that changes its guids
 * re-sends the items it carries, which were stored recently.
 */
export const RELINK_WINDOW = 250;

/** How far apart two dates may be and still name the same post when its guid changed. */
const RELINK_DATE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

export interface PollWrite {
  /** The posts in the feed now, in document order. Absent posts are kept as they are. */
  posts: NewPost[];
  /** Changes to the feed record (validators, times, title…), written in the same transaction. */
  feed: Partial<Omit<Feed, 'id'>>;
  now: number;
  /**
   * Posts this write adds are stored read at this time: out of every section and unread
   * counter, and not news (the feed's `lastNewPostAt` stays). A listing's backfill of older
   * posts uses it; known posts keep their read state either way.
   */
  addAsReadAt?: number;
  /**
   * Known posts keep their stored `words`, `minutes`, `minutesFromSummary`, `siteMinutes` and
   * `articleCounted`: a listing card's reading time is rougher than the one measured on the
   * article page (`setReadingTimes`), which must not be overwritten by the next poll.
   */
  keepReadingTimes?: boolean;
}

export interface PollWriteResult {
  /** Posts stored for the first time, in feed order. */
  added: Post[];
  /** Posts seen before whose text changed, or whose guid changed (read state kept). */
  updated: number;
  /**
   * False when no post, content or counter row was written: the feed said nothing new, so
   * callers can leave the badge and the notification alone. (The feed record itself —
   * validators, check times — is written either way.)
   */
  changed: boolean;
}

const NOTHING: PollWriteResult = { added: [], updated: 0, changed: false };

/**
 * Stores the result of a successful poll: adds new posts unread, updates the text of known
 * ones in place (keeping their read state and first-seen time), never deletes, and writes the
 * feed's new validators in the same transaction — so a poll cut off mid-way leaves either
 * nothing or everything, and re-running it creates no duplicates. A feed removed while its
 * poll was in flight gets nothing written: its posts would come back as orphans, unread and
 * counted.
 *
 * Identity is the guid within the feed; the first item with a guid wins (E41). A post whose
 * guid changed (an edit, a site migration: E42) is recognised by its link — see
 * {@link postLinkKey} and `findRelinked` — and keeps its record and read state.
 *
 * Storage failures (a full disk, no database) reject with a `StorageError` in words; the
 * transaction is aborted, so nothing of the poll is written.
 */
export async function savePollResult(
  db: DispatchDb,
  feedId: number,
  write: PollWrite,
): Promise<PollWriteResult> {
  try {
    return await db.transaction('rw', pollTables(db), () => writePoll(db, feedId, write));
  } catch (error) {
    throw asStorageError(error);
  }
}

/** The body of {@link savePollResult}; call inside a transaction over `pollTables(db)`. */
export async function writePoll(
  db: DispatchDb,
  feedId: number,
  { posts, feed, now, addAsReadAt, keepReadingTimes = false }: PollWrite,
): Promise<PollWriteResult> {
  if (!(await db.feeds.get(feedId))) return NOTHING;
  const unique = dedupeByGuid(posts);
  const existing = await db.posts
    .where('[feedId+guid]')
    .anyOf(unique.map((p) => [feedId, p.guid]))
    .toArray();
  const known = new Map(existing.map((post) => [post.guid, post]));
  const relinked = await findRelinked(db, feedId, unique, known);
  const matched = [...existing, ...relinked.values()];
  const storedContent = await db.postContents.bulkGet(matched.map((post) => post.id));
  const contentOf = new Map(matched.map((post, i) => [post.id, storedContent[i]?.html]));
  const delta = new Map();
  const added: { post: Post; content?: string }[] = [];
  const changed: Post[] = [];
  const changedContent: PostContent[] = [];

  const readAt = addAsReadAt ?? 0;
  for (const { content, ...sent } of unique) {
    const before = known.get(sent.guid) ?? relinked.get(sent.guid);
    if (!before) {
      const post = withIndexFields({
        ...sent,
        feedId,
        readAt,
        firstSeenAt: now,
        // Undated posts (a listing's cards, some feeds) keep their document order, newest
        // first, one millisecond apart: all stamped `now`, they would list in reverse.
        publishedAt: plausibleDate(sent.publishedAt, now - added.length),
      }) as Post;
      added.push({ post, content });
      if (readAt === 0) addToDelta(delta, post, 1);
      continue;
    }
    const incoming = keepReadingTimes ? withReadingTimeOf(before, sent) : sent;
    const contentChanged = content !== undefined && content !== contentOf.get(before.id);
    if (contentChanged) changedContent.push({ postId: before.id, html: content });
    // A missing or implausible date keeps the stored one (the first-seen time, in the
    // order the post was found).
    const publishedAt = isPlausibleDate(incoming.publishedAt, before.firstSeenAt)
      ? incoming.publishedAt
      : before.publishedAt;
    if (!hasChanged(before, incoming) && publishedAt === before.publishedAt) continue;
    const after: Post = withIndexFields({
      ...withoutOptional(before),
      ...incoming,
      id: before.id,
      feedId,
      readAt: before.readAt,
      firstSeenAt: before.firstSeenAt,
      publishedAt,
    });
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
    await db.postTerms.bulkAdd(added.map(({ post }) => postTermsOf(post)));
    const contents = added.filter(({ content }) => content !== undefined);
    if (contents.length > 0) {
      await db.postContents.bulkAdd(
        contents.map(({ post, content }) => ({ postId: post.id, html: content! })),
      );
    }
  }
  if (changed.length > 0) {
    await db.posts.bulkPut(changed);
    await db.postTerms.bulkPut(changed.map(postTermsOf));
  }
  if (changedContent.length > 0) await db.postContents.bulkPut(changedContent);
  await applyDelta(db, delta);
  const news = added.length > 0 && readAt === 0;
  await db.feeds.update(feedId, { ...feed, ...(news && { lastNewPostAt: now }) });
  const updated = new Set([...changed.map((p) => p.id), ...changedContent.map((c) => c.postId)])
    .size;
  return {
    added: added.map(({ post }) => post),
    updated,
    changed: added.length > 0 || updated > 0,
  };
}

/** A post's reading time measured again (its article page read: `utils/listing/measure.ts`). */
export interface ReadingTimeUpdate {
  postId: number;
  words: number;
  minutes: number;
  minutesFromSummary: boolean;
}

/**
 * Writes measured reading times, in one transaction with the unread counters (an unread post's
 * minutes are in its sections' totals), and marks each post `articleCounted`: its minutes are
 * Dispatch's count of the article now. The site's own figure (`siteMinutes`) stays. A post
 * removed meanwhile is skipped. Resolves to how many posts changed.
 */
export async function setReadingTimes(
  db: DispatchDb,
  updates: readonly ReadingTimeUpdate[],
): Promise<number> {
  if (updates.length === 0) return 0;
  try {
    return await db.transaction('rw', db.posts, db.unreadCounts, async () => {
      const posts = await db.posts.bulkGet(updates.map((update) => update.postId));
      const delta = new Map();
      const changed: Post[] = [];
      updates.forEach(({ postId, words, minutes, minutesFromSummary }, index) => {
        const before = posts[index];
        if (!before || before.id !== postId) return;
        if (
          before.words === words &&
          before.minutes === minutes &&
          before.minutesFromSummary === minutesFromSummary &&
          before.articleCounted === true
        ) {
          return;
        }
        // The sections and search words do not depend on the reading time: only it changes.
        const after: Post = { ...before, words, minutes, minutesFromSummary, articleCounted: true };
        if (before.readAt === 0) {
          addToDelta(delta, before, -1);
          addToDelta(delta, after, 1);
        }
        changed.push(after);
      });
      if (changed.length === 0) return 0;
      await db.posts.bulkPut(changed);
      await applyDelta(db, delta);
      return changed.length;
    });
  } catch (error) {
    throw asStorageError(error);
  }
}

/**
 * The {@link postLinkKey} of every stored post of a feed: "does the blog have this post?" for
 * posts that come with no guid of the feed's (a listing's older pages), where a post must be
 * neither stored twice nor relinked; and the date of its oldest post (`Infinity` when it has
 * none), before which older posts go. Call inside the transaction that writes, to be exact.
 */
export async function feedPostIndex(
  db: DispatchDb,
  feedId: number,
): Promise<{ links: Set<string>; oldest: number }> {
  const links = new Set<string>();
  let oldest = Infinity;
  await db.posts
    .where('feedId')
    .equals(feedId)
    .each((post) => {
      const key = postLinkKey(post.url);
      if (key) links.add(key);
      oldest = Math.min(oldest, post.publishedAt);
    });
  return { links, oldest };
}

/**
 * Deletes posts with their content and search words. Call inside a transaction over
 * `postTables(db)` (and the counters, which the caller fixes).
 */
export async function deletePosts(db: DispatchDb, postIds: number[]): Promise<void> {
  await db.posts.bulkDelete(postIds);
  await db.postContents.bulkDelete(postIds);
  await db.postTerms.bulkDelete(postIds);
}

/** A post's full content (untrusted HTML), when the feed gave one. */
export async function getPostContent(db: DispatchDb, postId: number): Promise<string | undefined> {
  return (await db.postContents.get(postId))?.html;
}

/**
 * A post with its index fields derived from what it says now (`PostIndexFields`): its
 * sections while unread (none once read) and its search words. Every write of a post goes
 * through this.
 */
export function withIndexFields<
  T extends Pick<Post, 'title' | 'summary' | 'categories' | 'publishedAt' | 'readAt'>,
>(post: T): Omit<T, keyof PostIndexFields> & PostIndexFields {
  return { ...post, sectionKeys: sectionKeysOf(post), terms: searchTerms(post) };
}

/**
 * Marks posts read (already-read ones keep their first read time). Resolves to the ids whose
 * state changed, in the order given: what an undo marks unread again, and nothing more.
 */
export function markRead(db: DispatchDb, postIds: number[], now: number): Promise<number[]> {
  return setReadState(db, postIds, now);
}

/** Marks posts unread again. Resolves to the ids that were read (the ones that changed). */
export function markUnread(db: DispatchDb, postIds: number[]): Promise<number[]> {
  return setReadState(db, postIds, 0);
}

async function setReadState(db: DispatchDb, postIds: number[], readAt: number): Promise<number[]> {
  return db.transaction('rw', db.posts, db.unreadCounts, async () => {
    // Each post once: an id named twice must not move the counters twice.
    const posts = (await db.posts.bulkGet([...new Set(postIds)])).filter(
      (post): post is Post => !!post,
    );
    const toChange = posts.filter((post) => (readAt === 0 ? post.readAt !== 0 : post.readAt === 0));
    if (toChange.length === 0) return [];
    const delta = new Map();
    for (const post of toChange) addToDelta(delta, post, readAt === 0 ? 1 : -1);
    // Only the sections change with the read state; the search words stay as they are.
    await db.posts.bulkPut(
      toChange.map((post) => ({
        ...post,
        readAt,
        sectionKeys: sectionKeysOf({ ...post, readAt }),
      })),
    );
    await applyDelta(db, delta);
    return toChange.map((post) => post.id);
  });
}

/** Unread posts, newest first. */
export function listUnread(db: DispatchDb, limit = Infinity): Promise<Post[]> {
  const query = db.posts
    .where('[readAt+publishedAt]')
    .between([0, -Infinity], [0, Infinity])
    .reverse();
  return readOrExplain(() => (Number.isFinite(limit) ? query.limit(limit) : query).toArray());
}

export function getPost(db: DispatchDb, id: number): Promise<Post | undefined> {
  return db.posts.get(id);
}

/** How many posts each feed has stored (for the blog list's status line). */
export async function countPostsByFeed(
  db: DispatchDb,
  feedIds: number[],
): Promise<Map<number, number>> {
  const counts = await readOrExplain(() =>
    Promise.all(feedIds.map((id) => db.posts.where('feedId').equals(id).count())),
  );
  return new Map(feedIds.map((id, index) => [id, counts[index] ?? 0]));
}

/** First occurrence of a guid wins: a broken feed repeating an id must not merge posts silently. */
function dedupeByGuid(posts: NewPost[]): NewPost[] {
  const seen = new Set<string>();
  return posts.filter((post) => !seen.has(post.guid) && !!seen.add(post.guid));
}

/**
 * A link as an identity for "is this the same post?": scheme folded (http = https), host
 * lower-cased without `www.`, default port dropped, `utm_*` parameters removed. The path,
 * the other parameters and the fragment keep their case and stay significant (one page may
 * hold several posts, told apart by fragment). Undefined for a missing or non-http(s) link.
 */
export function postLinkKey(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  const port = parsed.port ? `:${parsed.port}` : '';
  const params = [...parsed.searchParams].filter(
    ([name]) => !name.toLowerCase().startsWith('utm_'),
  );
  const query = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : '';
  return `${host}${port}${parsed.pathname}${query}${parsed.hash}`;
}

/**
 * Posts whose guid changed (HOSTILE-INPUTS.md E42): for each incoming post with an unknown
 * guid, the stored post it replaces, keyed by the new guid. A stored post qualifies only when
 * nothing else could be meant:
 * - it is one of the feed's {@link RELINK_WINDOW} most recently stored posts;
 * - its link is the same by {@link postLinkKey}, and no other stored post in that window or
 *   other item of this poll has that link (a feed whose items all link to its home page
 *   matches nothing);
 * - its own guid is not in this poll (two live items are two posts);
 * - the dates agree within a day, or one of them is unknown (a page re-published under the same
 *   address later is a new post).
 * The title is never used: it changes with edits (and with comment counts on some sites).
 * Costs one bounded query, and only when a post with an unknown guid arrives.
 */
async function findRelinked(
  db: DispatchDb,
  feedId: number,
  incoming: NewPost[],
  known: ReadonlyMap<string, Post>,
): Promise<Map<string, Post>> {
  const relinked = new Map<string, Post>();
  const linkCount = new Map<string, number>();
  for (const post of incoming) {
    const key = postLinkKey(post.url);
    if (key) linkCount.set(key, (linkCount.get(key) ?? 0) + 1);
  }
  const candidates = incoming.filter((post) => {
    const key = postLinkKey(post.url);
    return !known.has(post.guid) && key !== undefined && linkCount.get(key) === 1;
  });
  if (candidates.length === 0) return relinked;

  const recent = await db.posts
    .where('feedId')
    .equals(feedId)
    .reverse()
    .limit(RELINK_WINDOW)
    .toArray();
  const byLink = new Map<string, Post[]>();
  for (const post of recent) {
    const key = postLinkKey(post.url);
    if (key) byLink.set(key, [...(byLink.get(key) ?? []), post]);
  }
  const live = new Set(incoming.map((post) => post.guid));
  for (const post of candidates) {
    const matches = byLink.get(postLinkKey(post.url)!) ?? [];
    const [stored] = matches;
    if (matches.length !== 1 || !stored || live.has(stored.guid)) continue;
    if (!datesAgree(stored, post.publishedAt)) continue;
    relinked.set(post.guid, stored);
  }
  return relinked;
}

/** Whether a stored post's date and an incoming one can name the same post. */
function datesAgree(stored: Post, incoming: number | undefined): boolean {
  if (incoming === undefined || stored.publishedAt === stored.firstSeenAt) return true;
  return Math.abs(incoming - stored.publishedAt) <= RELINK_DATE_TOLERANCE_MS;
}

/**
 * The date rule the store applies to a post's dates: set (not 0) and no more than a day past
 * `reference` (when the post was first seen, or now): a feed's clock may run a little ahead,
 * and a date years ahead would pin the post to the top of every list.
 */
export function isPlausibleDate(date: number | undefined, reference: number): date is number {
  return !!date && date <= reference + FUTURE_TOLERANCE_MS;
}

function plausibleDate(publishedAt: number | undefined, fallback: number): number {
  return isPlausibleDate(publishedAt, fallback) ? publishedAt : fallback;
}

/**
 * The fields whose change makes a known post an update (content and the date are compared on
 * their own). `guid` differs only for a post recognised by its link.
 */
const COMPARED = [
  'guid',
  'url',
  'title',
  'summary',
  'author',
  'updatedAt',
  'words',
  'minutes',
  'minutesFromSummary',
] as const;

/**
 * Fields a feed may leave out; an update that leaves one out removes it from the post. A poll
 * never sends `articleCounted`: an update that brings its own minutes drops it, and one that
 * keeps the stored reading time (`keepReadingTimes`) brings it back.
 */
const OPTIONAL = ['url', 'summary', 'author', 'updatedAt', 'articleCounted'] as const;

function withoutOptional(post: Post): Post {
  const copy = { ...post };
  for (const key of OPTIONAL) delete copy[key];
  return copy;
}

/** `incoming` with the reading time `before` has (see `PollWrite.keepReadingTimes`). */
function withReadingTimeOf(
  before: Post,
  incoming: Omit<NewPost, 'content'>,
): Omit<NewPost, 'content'> {
  const kept = {
    ...incoming,
    words: before.words,
    minutes: before.minutes,
    minutesFromSummary: before.minutesFromSummary,
  };
  delete kept.siteMinutes;
  delete kept.articleCounted;
  return {
    ...kept,
    ...(before.siteMinutes !== undefined && { siteMinutes: before.siteMinutes }),
    ...(before.articleCounted && { articleCounted: true }),
  };
}

function hasChanged(before: Post, incoming: Omit<NewPost, 'content'>): boolean {
  if (COMPARED.some((key) => before[key] !== incoming[key])) return true;
  return before.categories.join('\u0000') !== incoming.categories.join('\u0000');
}
