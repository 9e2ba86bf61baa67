/**
 * The popup's unread sections (one per category), its reading-time budget and its "Show read"
 * list, read through indexes so that only what is shown is loaded: the section headers come
 * from the maintained counters (`unread-counts.ts`), a section's rows from the multi-entry
 * `sectionKeys` index (schema v3), the budget from `[readAt+minutes]`. Nothing here counts or
 * scans the posts when the popup opens.
 */
import type { DispatchDb } from './db';
import { readOrExplain } from './errors';
import { sectionKey } from './section-summary';
import { UNCATEGORIZED, type Post } from './types';

// The section headers and totals are pure and Dexie-free, for the popup's first paint.
export {
  sectionKey,
  summarizeSections,
  UNCATEGORIZED_KEY,
  unreadTotals,
  type SectionSummary,
} from './section-summary';

/**
 * A post's categories as sections count them: one spelling per section key (the first), and
 * {@link UNCATEGORIZED} when it has none. The counters and `sectionKeys` both follow this, so a
 * section's count is the number of posts it lists.
 */
export function sectionCategories(categories: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const category of categories.length > 0 ? categories : [UNCATEGORIZED]) {
    const key = sectionKey(category);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(category);
  }
  return kept;
}

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

/** Every unread post id, newest first ("Mark all read"). */
export function unreadPostIds(db: DispatchDb): Promise<number[]> {
  return readOrExplain(() => unreadRange(db).reverse().primaryKeys());
}

/** Unread posts whose reading time is at most `maxMinutes`, as `[readAt+minutes]` orders them. */
function fittingRange(db: DispatchDb, maxMinutes: number) {
  return db.posts.where('[readAt+minutes]').between([0, -Infinity], [0, maxMinutes], true, true);
}

/**
 * One page of the reading-time budget ("fits in N minutes"): unread posts whose reading time
 * is at most `maxMinutes`, shortest first (equal times: first stored first).
 */
export function listFitting(
  db: DispatchDb,
  maxMinutes: number,
  offset: number,
  limit: number,
): Promise<Post[]> {
  return readOrExplain(() => fittingRange(db, maxMinutes).offset(offset).limit(limit).toArray());
}

/**
 * Above this budget, `countFitting` adds the minutes up from the index keys instead of one
 * count per whole minute.
 */
const COUNTED_MINUTES_MAX = 60;

/**
 * How many unread posts fit in `maxMinutes`, and their minutes added up. Reading times are
 * whole minutes (at least 1), so the minutes come from one index count per minute value (a
 * handful for the popup's 5, 10 and 20), never from loading posts.
 */
export function countFitting(
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
