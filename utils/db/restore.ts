/**
 * Writing a backup's records (`utils/backup.ts`) into the database, merged with what is there,
 * in one transaction over every table it touches: a failure part way changes nothing, and
 * restoring the same backup again writes nothing. Nothing the user has is replaced:
 * - blogs are matched by {@link feedIdentityKey} of their address and old addresses; a blog
 *   already followed keeps its title, settings and poll state (and its extractor, when it
 *   follows its listing page); a new one is due at once (a listing blog with the backup's
 *   extractor, polled like any listing blog);
 * - posts are matched by blog and guid (`[feedId+guid]`); new ones are added with their read
 *   state (and no body, which the next poll brings); a post read on either side ends up read;
 * - reading-list items are matched by address; new ones go after the list, in the backup's
 *   order (into an empty list, with the backup's own positions, so a restore gives back the
 *   list it was made from).
 * Counters and the posts' derived index fields are written with the posts, as every write does.
 */
import type { Backup, BackupPost, PostReference } from '@/utils/backup';
import type { DispatchDb } from './db';
import { addFeed, feedIdentityKey, feedsByIdentity } from './feeds';
import { withIndexFields } from './posts';
import { postTermsOf } from './schema';
import { sectionKeysOf } from './sections';
import type { Feed, Post, ReadingListItem } from './types';
import { addToDelta, applyDelta } from './unread-counts';

/** What a restore added (and the posts it marked read). */
export interface RestoredCounts {
  feeds: number;
  posts: number;
  readingList: number;
  /** Posts that were unread here and read in the backup. */
  markedRead: number;
}

type Records = Pick<Backup, 'feeds' | 'posts' | 'readingList'>;

/** Merges a backup's records into the database, in one transaction (see the module's doc). */
export async function restoreRecords(
  db: DispatchDb,
  { feeds, posts, readingList }: Records,
  now: number,
): Promise<RestoredCounts> {
  return db.transaction(
    'rw',
    [db.feeds, db.posts, db.postTerms, db.unreadCounts, db.readingList],
    async () => {
      const { feedIds, addedIds } = await restoreFeeds(db, feeds, now);
      const {
        postIds,
        added: addedPosts,
        markedRead,
      } = await restorePosts(db, posts, feedIds, addedIds);
      const addedItems = await restoreReadingList(db, readingList, (ref) => {
        const feedId = feedIds.get(ref.feedUrl);
        return feedId === undefined ? undefined : postIds.get(postKey(feedId, ref.guid));
      });
      return { feeds: addedIds.size, posts: addedPosts, readingList: addedItems, markedRead };
    },
  );
}

/** Adds the blogs not followed yet; answers every backup address's feed id, and the new ids. */
async function restoreFeeds(db: DispatchDb, feeds: Records['feeds'], now: number) {
  const followed = await feedsByIdentity(db);
  const feedIds = new Map<string, number>();
  const addedIds = new Set<number>();
  for (const feed of feeds) {
    const keys = [feed.url, ...feed.aliases].flatMap(identityKeys);
    let match: Feed | undefined = keys.map((key) => followed.get(key)).find(Boolean);
    if (!match) {
      // `addFeed` makes a fresh, due record; the backup's own fields (dates, status, aliases,
      // per-blog settings, tags) are laid over it. A listing blog's page is judged afresh by
      // its first poll: the last count is the extractor's own, and there is no drift.
      const { listing, ...fields } = feed;
      const record = {
        ...fields,
        aliases: [...feed.aliases],
        ...(listing && {
          listing: { extractor: listing.extractor, lastCount: listing.extractor.count },
        }),
      };
      match = await addFeed(db, record, now);
      addedIds.add(match.id);
    }
    for (const key of keys) if (!followed.has(key)) followed.set(key, match);
    feedIds.set(feed.url, match.id);
  }
  return { feedIds, addedIds };
}

/** An address's identity key, or none when it does not parse. */
function identityKeys(url: string): string[] {
  try {
    return [feedIdentityKey(url)];
  } catch {
    return [];
  }
}

function postKey(feedId: number, guid: string): string {
  return `${feedId}\u0000${guid}`;
}

/**
 * Adds the posts not stored yet and marks read those read in the backup; answers the id of
 * every backup post, by {@link postKey}.
 */
async function restorePosts(
  db: DispatchDb,
  posts: readonly BackupPost[],
  feedIds: ReadonlyMap<string, number>,
  addedFeedIds: ReadonlySet<number>,
) {
  // One entry per post (a hand-made file may repeat one): read if any of its copies is.
  const incoming = new Map<string, Omit<Post, 'id' | 'sectionKeys' | 'terms'>>();
  for (const { feedUrl, ...post } of posts) {
    const feedId = feedIds.get(feedUrl)!;
    const key = postKey(feedId, post.guid);
    const first = incoming.get(key);
    if (!first) incoming.set(key, { ...post, feedId });
    else if (first.readAt === 0) first.readAt = post.readAt;
  }
  const byKey = await findStored(db, incoming.values(), addedFeedIds);
  const postIds = new Map([...byKey].map(([key, post]) => [key, post.id]));
  const delta = new Map();
  const fresh: Post[] = [];
  const nowRead: Post[] = [];
  for (const [key, post] of incoming) {
    const before = byKey.get(key);
    if (!before) {
      const record = withIndexFields(post) as Post;
      if (record.readAt === 0) addToDelta(delta, record, 1);
      fresh.push(record);
    } else if (before.readAt === 0 && post.readAt !== 0) {
      addToDelta(delta, before, -1);
      // Only the sections change with the read state; the search words stay (as in markRead).
      nowRead.push({
        ...before,
        readAt: post.readAt,
        sectionKeys: sectionKeysOf({ ...before, readAt: post.readAt }),
      });
    }
  }
  if (fresh.length > 0) {
    const ids = await db.posts.bulkAdd(fresh, { allKeys: true });
    fresh.forEach((post, index) => {
      post.id = ids[index] as number;
      postIds.set(postKey(post.feedId, post.guid), post.id);
    });
    await db.postTerms.bulkAdd(fresh.map(postTermsOf));
  }
  if (nowRead.length > 0) await db.posts.bulkPut(nowRead);
  await applyDelta(db, delta);
  return { postIds, added: fresh.length, markedRead: nowRead.length };
}

/**
 * When a blog stores more than this many posts for each of its posts in the backup, those are
 * looked up one by one rather than the blog's posts read whole: in fake-indexeddb one lookup
 * costs about as much as reading 6 posts.
 */
const LOOKUPS_PER_READ = 8;

/**
 * The stored posts among `wanted`, by {@link postKey}. A blog the restore has just added has
 * none. Of a blog already followed, the posts are read whole (one `getAll` on `feedId`) and
 * matched by guid in memory, one blog at a time; when the backup holds only a few of them
 * (fewer than a {@link LOOKUPS_PER_READ}th), each is looked up by `[feedId+guid]` instead.
 * Not one `anyOf` over every key: over 50,000 stored posts (the bench, fake-indexeddb) it
 * took 2.4 s for 2,000 posts, 11 s for 5,000 and did not finish for 50,000 in 9 minutes;
 * reading the blogs whole, about 1 s for all 50,000.
 */
async function findStored(
  db: DispatchDb,
  wanted: Iterable<Pick<Post, 'feedId' | 'guid'>>,
  addedFeedIds: ReadonlySet<number>,
): Promise<Map<string, Post>> {
  const guidsByFeed = new Map<number, string[]>();
  for (const { feedId, guid } of wanted) {
    if (addedFeedIds.has(feedId)) continue;
    const guids = guidsByFeed.get(feedId);
    if (guids) guids.push(guid);
    else guidsByFeed.set(feedId, [guid]);
  }
  const found = new Map<string, Post>();
  for (const [feedId, guids] of guidsByFeed) {
    const blog = db.posts.where('feedId').equals(feedId);
    let matches: (Post | undefined)[];
    if (guids.length * LOOKUPS_PER_READ < (await blog.count())) {
      matches = await Promise.all(guids.map((guid) => db.posts.get({ feedId, guid })));
    } else {
      const guidSet = new Set(guids);
      matches = (await blog.toArray()).filter((post) => guidSet.has(post.guid));
    }
    for (const post of matches) if (post) found.set(postKey(feedId, post.guid), post);
  }
  return found;
}

/**
 * Adds the items whose address is not in the list, after it, in the backup's order; into an
 * empty list with the backup's positions when they are distinct. Answers how many were added.
 */
async function restoreReadingList(
  db: DispatchDb,
  items: Records['readingList'],
  postIdOf: (ref: PostReference) => number | undefined,
): Promise<number> {
  const existing = await db.readingList.orderBy('position').toArray();
  const urls = new Set(existing.map((item) => item.url));
  const fresh = [...items]
    .sort((a, b) => a.position - b.position)
    .filter((item) => !urls.has(item.url) && !!urls.add(item.url));
  if (fresh.length === 0) return 0;
  const keepPositions =
    existing.length === 0 && new Set(fresh.map((item) => item.position)).size === fresh.length;
  let next = (existing.at(-1)?.position ?? 0) + 1;
  const records = fresh.map(({ post, position, ...item }) => {
    const postId = post && postIdOf(post);
    const record: Omit<ReadingListItem, 'id'> = {
      ...item,
      ...(postId !== undefined && { postId }),
      position: keepPositions ? position : next++,
    };
    return record as ReadingListItem;
  });
  await db.readingList.bulkAdd(records);
  return records.length;
}
