/**
 * The popup's unread sections (one per category), its reading-time budget and its "Show read"
 * list, read through indexes so that only what is shown is loaded: the section headers come
 * from the maintained counters (`unread-counts.ts`), a section's rows from the multi-entry
 * `sectionKeys` index (schema v3), the budget from `[readAt+minutes]`. Nothing here counts or
 * scans the posts when the popup opens.
 */
import type { DispatchDb } from './db';
import { readOrExplain } from './errors';
import { hiddenAmong } from './first-paint';
import { isLeftOut, sectionCategories, sectionKey } from './section-summary';
import { type Post, type UnreadCount } from './types';
import { listUnreadCounts } from './unread-counts';

// The section headers and totals are pure and Dexie-free, for the popup's first paint.
export {
  sectionCategories,
  sectionKey,
  summarizeSections,
  UNCATEGORIZED_KEY,
  unreadTotals,
  type SectionSummary,
} from './section-summary';

/** The `sectionKeys` index entries of a post: one per section while unread, none once read. */
export function sectionKeysOf(
  post: Pick<Post, 'categories' | 'publishedAt' | 'readAt'>,
): [string, number][] {
  if (post.readAt !== 0) return [];
  return sectionCategories(post.categories).map((category) => [
    sectionKey(category),
    post.publishedAt,
  ]);
}

/** The index range of one section's entries, oldest to newest. */
function sectionRange(db: DispatchDb, key: string) {
  return db.posts.where('sectionKeys').between([key, -Infinity], [key, Infinity], true, true);
}

/**
 * One page of a section's unread posts, newest first (ties: the later stored first). Reads
 * `offset + limit` index entries and loads `limit` posts, whatever the section's size.
 */
export function listSectionPosts(
  db: DispatchDb,
  key: string,
  offset: number,
  limit: number,
): Promise<Post[]> {
  return readOrExplain(() => sectionRange(db, key).reverse().offset(offset).limit(limit).toArray());
}

/** Every unread post id of a section, newest first ("Mark all read" in that section). */
export function sectionPostIds(db: DispatchDb, key: string): Promise<number[]> {
  return readOrExplain(() => sectionRange(db, key).reverse().primaryKeys());
}

/** The unread range of `[readAt+publishedAt]`, oldest to newest. */
function unreadRange(db: DispatchDb) {
  return db.posts.where('[readAt+publishedAt]').between([0, -Infinity], [0, Infinity], true, true);
}

/**
 * An unread post that muted categories hide: every one of its sections is muted. What the
 * popup's totals, its reading-time budget and its "Mark all read" leave out.
 */
export type HiddenPost = Pick<Post, 'id' | 'minutes'>;

/** What the popup's Unread header and sections are made of, read together (`readUnreadView`). */
export interface UnreadView {
  /** Every counter row (`listUnreadCounts`). */
  counts: UnreadCount[];
  /** The section keys muted when this was read: their sections are not shown. */
  muted: ReadonlySet<string>;
  /** The unread posts those mutes hide (`listHiddenUnread`), by id. */
  hidden: readonly HiddenPost[];
}

/**
 * The unread posts that `muted` (section keys) hides: those whose every section is muted, by
 * `isLeftOut`, the rule `unreadVisible` counts the badge by, so the popup and the badge agree.
 * A post in a muted and an unmuted category is not hidden: it is listed under the unmuted one.
 * Reads only the muted sections' unread posts (`sectionKeys`), so the cost grows with them,
 * never with the store; with nothing muted it reads nothing. Ordered by id.
 */
export function listHiddenUnread(
  db: DispatchDb,
  muted: ReadonlySet<string>,
): Promise<HiddenPost[]> {
  if (muted.size === 0) return Promise.resolve([]);
  return readOrExplain(() =>
    db.transaction('r', db.posts, async () => {
      const lists = await Promise.all([...muted].map((key) => sectionRange(db, key).toArray()));
      return hiddenAmong(lists.flat(), muted);
    }),
  );
}

/**
 * The counters and the posts `muted` hides, in one read transaction, so that the popup's
 * totals (counters minus hidden posts) never mix two moments. With nothing muted it reads the
 * counters alone.
 */
export function readUnreadView(db: DispatchDb, muted: ReadonlySet<string>): Promise<UnreadView> {
  if (muted.size === 0) {
    return listUnreadCounts(db).then((counts) => ({ counts, muted, hidden: [] }));
  }
  return readOrExplain(() =>
    db.transaction('r', db.unreadCounts, db.posts, async () => {
      const [counts, hidden] = await Promise.all([
        listUnreadCounts(db),
        listHiddenUnread(db, muted),
      ]);
      return { counts, muted, hidden };
    }),
  );
}

/**
 * Every unread post id the popup lists, newest first ("Mark all read"): none that `muted`
 * hides, so muted posts stay unread.
 */
export function unreadPostIds(
  db: DispatchDb,
  muted: ReadonlySet<string> = new Set(),
): Promise<number[]> {
  if (muted.size === 0) return readOrExplain(() => unreadRange(db).reverse().primaryKeys());
  return readOrExplain(() =>
    db.transaction('r', db.posts, async () => {
      const [ids, hidden] = await Promise.all([
        unreadRange(db).reverse().primaryKeys(),
        listHiddenUnread(db, muted),
      ]);
      const skipped = new Set(hidden.map((post) => post.id));
      return ids.filter((id) => !skipped.has(id));
    }),
  );
}

/** Unread posts whose reading time is at most `maxMinutes`, as `[readAt+minutes]` orders them. */
function fittingRange(db: DispatchDb, maxMinutes: number) {
  return db.posts.where('[readAt+minutes]').between([0, -Infinity], [0, maxMinutes], true, true);
}

/**
 * One page of the reading-time budget ("fits in N minutes"): unread posts whose reading time
 * is at most `maxMinutes`, shortest first (equal times: first stored first), without those
 * `muted` hides. With mutes the page is read with a cursor that skips hidden posts (Dexie counts
 * `offset` and `limit` after the filter), so its cost grows with the hidden posts before it.
 */
export function listFitting(
  db: DispatchDb,
  maxMinutes: number,
  offset: number,
  limit: number,
  muted: ReadonlySet<string> = new Set(),
): Promise<Post[]> {
  const range = fittingRange(db, maxMinutes);
  const shown = muted.size === 0 ? range : range.filter((post) => !isLeftOut(post, muted));
  return readOrExplain(() => shown.offset(offset).limit(limit).toArray());
}

/**
 * Above this budget, `countFitting` adds the minutes up from the index keys instead of one
 * count per whole minute.
 */
const COUNTED_MINUTES_MAX = 60;

/**
 * How many unread posts fit in `maxMinutes`, and their minutes added up, without those `muted`
 * hides. Reading times are whole minutes (at least 1), so the minutes come from one index count
 * per minute value (a handful for the popup's 5, 10 and 20), never from loading posts; hidden
 * posts (`listHiddenUnread`, read in the same transaction) are then taken off.
 */
export function countFitting(
  db: DispatchDb,
  maxMinutes: number,
  muted: ReadonlySet<string> = new Set(),
): Promise<{ count: number; minutes: number }> {
  if (muted.size === 0) return countAllFitting(db, maxMinutes);
  return readOrExplain(() =>
    db.transaction('r', db.posts, async () => {
      const [all, hidden] = await Promise.all([
        countAllFitting(db, maxMinutes),
        listHiddenUnread(db, muted),
      ]);
      let { count, minutes } = all;
      for (const post of hidden) {
        if (post.minutes > maxMinutes) continue;
        count -= 1;
        minutes -= post.minutes;
      }
      return { count: Math.max(0, count), minutes: Math.max(0, minutes) };
    }),
  );
}

/** {@link countFitting} over every unread post. */
function countAllFitting(
  db: DispatchDb,
  maxMinutes: number,
): Promise<{ count: number; minutes: number }> {
  return readOrExplain(() =>
    db.transaction('r', db.posts, async () => {
      const count = await fittingRange(db, maxMinutes).count();
      if (count === 0) return { count, minutes: 0 };
      const whole = Math.floor(maxMinutes);
      if (whole > COUNTED_MINUTES_MAX) {
        const keys = (await fittingRange(db, maxMinutes).keys()) as unknown as [number, number][];
        return { count, minutes: keys.reduce((sum, [, minutes]) => sum + minutes, 0) };
      }
      const values = Array.from({ length: whole }, (_, i) => i + 1);
      const counts = await Promise.all(
        values.map((minutes) => db.posts.where('[readAt+minutes]').equals([0, minutes]).count()),
      );
      return {
        count,
        minutes: counts.reduce((sum, n, i) => sum + n * values[i]!, 0),
      };
    }),
  );
}

/**
 * One page of read posts, most recently read first (the "Show read" list, where they can be
 * marked unread again).
 */
export function listRecentlyRead(db: DispatchDb, offset: number, limit: number): Promise<Post[]> {
  return readOrExplain(() =>
    db.posts
      .where('[readAt+publishedAt]')
      .between([0, Infinity], [Infinity, Infinity], false, true)
      .reverse()
      .offset(offset)
      .limit(limit)
      .toArray(),
  );
}
