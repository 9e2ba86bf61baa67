/**
 * Unread counters per feed and category. Written only inside the transactions of
 * `posts.ts` and `feeds.ts`; `rebuildUnreadCounts` repairs them from the posts.
 */
import type { DispatchDb } from './db';
import { readOrExplain } from './errors';
import { isLeftOut, sectionCategories, sectionKey } from './section-summary';

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

/**
 * What a count leaves out (the badge's modes, muted categories): a post is left out when its
 * blog is excluded, or when every one of its sections is excluded (a post in a muted and an
 * unmuted category still counts, as it is still listed under the unmuted one).
 */
export interface UnreadFilter {
  excludedFeeds?: ReadonlySet<number>;
  /** Section keys (`sectionKey`). */
  excludedSections?: ReadonlySet<string>;
}

/**
 * Unread posts and their minutes over all blogs, each post counted once, without the posts
 * `filter` leaves out. Reads the counters; only posts of excluded sections are loaded (through
 * the `sectionKeys` index, unread posts only), to find those also listed in a counted section.
 * The cost grows with the unread posts of excluded sections, never with the whole store.
 */
export async function unreadVisible(
  db: DispatchDb,
  { excludedFeeds = new Set(), excludedSections = new Set() }: UnreadFilter = {},
): Promise<{ unread: number; minutes: number }> {
  const rows = await listUnreadCounts(db);
  let unread = 0;
  let minutes = 0;
  const sectionsToCheck = new Set<string>();
  for (const row of rows) {
    if (excludedFeeds.has(row.feedId) || row.unread <= 0) continue;
    if (row.category === ALL_CATEGORIES) {
      unread += row.unread;
      minutes += row.minutes;
    } else if (excludedSections.has(sectionKey(row.category))) {
      sectionsToCheck.add(sectionKey(row.category));
    }
  }
  if (sectionsToCheck.size === 0) return { unread, minutes };
  // Each section's posts in one request (`toArray`): a cursor (`each`) costs a round trip per
  // post, ~0.25 ms each, which made one muted category of 330 unread posts cost ~90 ms.
  const lists = await readOrExplain(() =>
    db.transaction('r', db.posts, () =>
      Promise.all(
        [...sectionsToCheck].map((key) =>
          db.posts
            .where('sectionKeys')
            .between([key, -Infinity], [key, Infinity], true, true)
            .toArray(),
        ),
      ),
    ),
  );
  const seen = new Set<number>();
  for (const post of lists.flat()) {
    if (seen.has(post.id) || excludedFeeds.has(post.feedId)) continue;
    seen.add(post.id);
    if (isLeftOut(post, excludedSections)) {
      unread -= 1;
      minutes -= post.minutes;
    }
  }
  return { unread: Math.max(0, unread), minutes: Math.max(0, minutes) };
}
