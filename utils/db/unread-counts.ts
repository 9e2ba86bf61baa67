/**
 * Unread counters per feed and category. Written only inside the transactions of
 * `posts.ts` and `feeds.ts`; `rebuildUnreadCounts` repairs them from the posts.
 */
import type { DispatchDb } from './db';
import { readOrExplain } from './errors';
import { sectionCategories } from './sections';
import { ALL_CATEGORIES, type Post, type UnreadCount } from './types';

type Delta = Map<string, UnreadCount>;

/**
 * Accumulates the counter change for one post becoming unread (+1) or read (-1): on the feed's
 * total row and on one row per section it is listed in (`sectionCategories`: one spelling per
 * section, Uncategorized when it has none), so a section's count is what it lists.
 */
export function addToDelta(
  delta: Delta,
  post: Pick<Post, 'feedId' | 'categories' | 'minutes'>,
  sign: 1 | -1,
): void {
  for (const category of [ALL_CATEGORIES, ...sectionCategories(post.categories)]) {
    const key = `${post.feedId}\u0000${category}`;
    const row = delta.get(key) ?? { feedId: post.feedId, category, unread: 0, minutes: 0 };
    row.unread += sign;
    row.minutes += sign * post.minutes;
    delta.set(key, row);
  }
}

/** Applies accumulated deltas; call inside a transaction that includes `unreadCounts`. */
export async function applyDelta(db: DispatchDb, delta: Delta): Promise<void> {
  const changes = [...delta.values()].filter((row) => row.unread !== 0 || row.minutes !== 0);
  if (changes.length === 0) return;
  const keys = changes.map((row): [number, string] => [row.feedId, row.category]);
  const current = await db.unreadCounts.bulkGet(keys);
  const next = changes.map((row, index) => {
    const before = current[index];
    return {
      feedId: row.feedId,
      category: row.category,
      unread: Math.max(0, (before?.unread ?? 0) + row.unread),
      minutes: Math.max(0, (before?.minutes ?? 0) + row.minutes),
    };
  });
  await db.unreadCounts.bulkPut(next);
}

/** All counter rows (a few per feed and category): what the popup and badge read. */
export function listUnreadCounts(db: DispatchDb): Promise<UnreadCount[]> {
  return readOrExplain(() => db.unreadCounts.toArray());
}

/** Unread posts over all feeds, each post counted once. */
export async function unreadTotal(db: DispatchDb): Promise<number> {
  const rows = await readOrExplain(() => db.unreadCounts.toArray());
  return rows.reduce((sum, row) => (row.category === ALL_CATEGORIES ? sum + row.unread : sum), 0);
}

/** Recomputes every counter from the posts. Used to repair; tested to agree with upkeep. */
export async function rebuildUnreadCounts(db: DispatchDb): Promise<void> {
  await db.transaction('rw', db.posts, db.unreadCounts, async () => {
    const delta: Delta = new Map();
    await db.posts
      .where('[readAt+publishedAt]')
      .between([0, -Infinity], [0, Infinity])
      .each((post) => addToDelta(delta, post, 1));
    await db.unreadCounts.clear();
    await db.unreadCounts.bulkPut([...delta.values()].filter((row) => row.unread > 0));
  });
}
