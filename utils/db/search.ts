/**
 * Search over every stored post (read and unread) through the multi-entry `terms` index of the
 * `postTerms` table (schema v3). The text rules are in `utils/search.ts`; this file picks how
 * to read.
 *
 * What costs what (headless Chromium, 50,000 posts, measured for issue 4): counting an index
 * range is nearly free (~2 ms for the ~30,000 posts with a word starting with "co"); reading
 * post ids from an index costs ~2 µs an entry; loading posts ~20 µs each as one range of an
 * index, but 50–120 µs each by id (one request each). So: count each token's range first; read
 * the ids of the rare tokens and intersect them; never read the ids of a token that matches a
 * large share of everything (a two-letter prefix typed on the way to a word) — check those
 * words on loaded posts instead, reading the newest posts a range at a time and stopping at
 * `limit`. Many matches are put in date order by walking the `publishedAt` index's ids, not by
 * loading them. Figures: `tests/bench/popup-data.bench.ts` and the report of issue 4.
 */
import { queryTokens } from '@/utils/search';
import type { DispatchDb } from './db';
import { readOrExplain } from './errors';
import type { Post } from './types';

export interface SearchResult {
  /** The first matches, newest first (by `publishedAt`; equal dates: the later stored first). */
  posts: Post[];
  /**
   * How many posts match in all. Exact unless `exact` is false: then an estimate (every word
   * typed matches thousands of posts, so counting them would cost more than the search), to
   * show as "about N".
   */
  total: number;
  /** False when `total` is an estimate. */
  exact: boolean;
  /** What was searched for (`queryTokens`): give it to `highlight`. */
  tokens: string[];
}

/** Where `searchPosts` switches plans; tests shrink them to reach every plan with few posts. */
export interface SearchTuning {
  /** A token whose index range holds more entries than this is checked on loaded posts. */
  keysMax: number;
  /** Up to this many matches are loaded and sorted; more are ordered by the date index. */
  sortLoadedMax: number;
  /**
   * Posts loaded and checked, newest first, before giving up on finding `limit` matches that
   * way and reading every token's ids after all (exact, slower; rare).
   */
  checkMax: number;
  /** Date-index ids read in the first step of a walk (each next step reads four times more). */
  walkStep: number;
}

export const DEFAULT_TUNING: SearchTuning = {
  keysMax: 8_000,
  sortLoadedMax: 250,
  checkMax: 1_500,
  walkStep: 2_048,
};

/** Scattered posts loaded at a time while checking words on them. */
const CHECK_BATCH = 32;

/**
 * The posts (read and unread) with a stored word starting with every token of `query`,
 * newest first, the first `limit` of them, and how many match in all. A query with nothing to
 * search for (`queryTokens` gives none) matches nothing and reads nothing.
 */
export function searchPosts(
  db: DispatchDb,
  query: string,
  limit = 50,
  tuning: SearchTuning = DEFAULT_TUNING,
): Promise<SearchResult> {
  const tokens = queryTokens(query);
  if (tokens.length === 0) {
    return Promise.resolve({ posts: [], total: 0, exact: true, tokens });
  }
  return readOrExplain(() =>
    db.transaction('r', db.posts, db.postTerms, async () => {
      // At least one post is looked for, so that the total is the same whatever `limit` is.
      const found = await search(db, tokens, Math.max(1, limit), tuning);
      return { ...found, posts: found.posts.slice(0, Math.max(0, limit)), tokens };
    }),
  );
}

type Found = Omit<SearchResult, 'tokens'>;

const NOTHING: Found = { posts: [], total: 0, exact: true };

const termRange = (db: DispatchDb, token: string) => db.postTerms.where('terms').startsWith(token);

async function search(
  db: DispatchDb,
  tokens: string[],
  limit: number,
  tuning: SearchTuning,
): Promise<Found> {
  const counts = await Promise.all(tokens.map((token) => termRange(db, token).count()));
  const byCount = tokens
    .map((token, i) => ({ token, entries: counts[i]! }))
    .sort((a, b) => a.entries - b.entries);
  if (byCount[0]!.entries === 0) return NOTHING;
  const rare = byCount.filter(({ entries }) => entries <= tuning.keysMax);
  const common = byCount.filter(({ entries }) => entries > tuning.keysMax);

  const ids =
    rare.length > 0
      ? await intersect(
          db,
          rare.map(({ token }) => token),
        )
      : undefined;
  if (ids?.size === 0) return NOTHING;
  if (ids && common.length === 0) return newestOf(db, ids, limit, tuning);

  const checked = await checkNewest(
    db,
    ids,
    common.map(({ token }) => token),
    limit,
    tuning,
  );
  if (checked?.complete) return { posts: checked.posts, total: checked.posts.length, exact: true };
  if (checked) {
    // The share of checked posts that matched, over all candidates; never more than a
    // token's range holds, never fewer than were found.
    const population = ids?.size ?? (await db.posts.count());
    const bound = Math.min(population, ...common.map(({ entries }) => entries));
    const estimate = Math.round((checked.posts.length / checked.checked) * population);
    return {
      posts: checked.posts,
      total: Math.max(checked.posts.length, Math.min(bound, estimate)),
      exact: false,
    };
  }
  // Too few matches among the newest posts: read the common tokens' ids after all.
  const all = await intersect(
    db,
    common.map(({ token }) => token),
    ids,
  );
  return all.size === 0 ? NOTHING : newestOf(db, all, limit, tuning);
}

/** Ids of the posts with a stored word starting with each token, starting from `within`. */
async function intersect(
  db: DispatchDb,
  tokens: string[],
  within?: Set<number>,
): Promise<Set<number>> {
  let ids = within;
  for (const token of tokens) {
    const found = (await termRange(db, token).primaryKeys()) as number[];
    const current = ids;
    ids = new Set(current ? found.filter((id) => current.has(id)) : found);
    if (ids.size === 0) break;
  }
  return ids ?? new Set();
}

/** The `limit` newest of the posts `ids`, and how many there are (exact). */
async function newestOf(
  db: DispatchDb,
  ids: Set<number>,
  limit: number,
  tuning: SearchTuning,
): Promise<Found> {
  if (ids.size <= Math.max(limit, tuning.sortLoadedMax)) {
    const posts = present(await db.posts.bulkGet([...ids]));
    posts.sort((a, b) => b.publishedAt - a.publishedAt || b.id - a.id);
    return { posts: posts.slice(0, limit), total: ids.size, exact: true };
  }
  const chosen: number[] = [];
  await walkNewest(db, tuning.walkStep, (batch) => {
    for (const id of batch) {
      if (ids.has(id) && chosen.push(id) === limit) return true;
    }
    return false;
  });
  return { posts: present(await db.posts.bulkGet(chosen)), total: ids.size, exact: true };
}

interface Checked {
  /** The matches found, newest first. */
  posts: Post[];
  /** How many posts were loaded and checked. */
  checked: number;
  /** True when every candidate was checked: `posts` are all the matches. */
  complete: boolean;
}

/**
 * The newest posts (among `ids`, when given) whose stored words start with every one of
 * `tokens`, loaded and checked newest first until `limit` are found. Undefined when
 * `checkMax` posts were checked without finding `limit`.
 */
async function checkNewest(
  db: DispatchDb,
  ids: Set<number> | undefined,
  tokens: string[],
  limit: number,
  tuning: SearchTuning,
): Promise<Checked | undefined> {
  const found: Post[] = [];
  let checked = 0;
  let gaveUp = false;
  /** Checks loaded posts; true once done (enough found, or too many checked). */
  const check = (posts: Post[]): boolean => {
    for (const post of posts) {
      if (checked === tuning.checkMax) return (gaveUp = true);
      checked += 1;
      const matches = tokens.every((token) => post.terms.some((term) => term.startsWith(token)));
      if (matches && found.push(post) === limit) return true;
    }
    return false;
  };
  const stopped = ids
    ? await walkNewest(db, tuning.walkStep, async (batch) => {
        // Scattered posts: one request each, so load a few at a time and stop early.
        const candidates = batch.filter((id) => ids.has(id));
        for (let start = 0; start < candidates.length; start += CHECK_BATCH) {
          const posts = await db.posts.bulkGet(candidates.slice(start, start + CHECK_BATCH));
          if (check(present(posts))) return true;
        }
        return false;
      })
    : await walkNewestPosts(db, check);
  return gaveUp ? undefined : { posts: found, checked, complete: !stopped };
}

/** Posts read by `walkNewestPosts` in its first page; each next page is twice as large. */
const FIRST_PAGE = 64;

/**
 * Calls `visit` with every post, newest first (by `publishedAt`, then id), a page at a time,
 * until it returns true; resolves to whether it stopped early. Each page is one range read of
 * the `publishedAt` index (a browser serves a range far faster than the same posts one by
 * one), starting at the last date seen and skipping the posts of that date already visited.
 */
async function walkNewestPosts(
  db: DispatchDb,
  visit: (posts: Post[]) => boolean,
): Promise<boolean> {
  const byDate = db.posts.orderBy('publishedAt').reverse();
  let page = await byDate.limit(FIRST_PAGE).toArray();
  let size = FIRST_PAGE;
  let lastDate: number | undefined;
  let seenAtLastDate = 0;
  for (;;) {
    if (visit(page)) return true;
    const last = page[page.length - 1];
    if (!last || page.length < size) return false;
    // Posts of one date may run over several pages: count all those already visited.
    const atLastDate = page.filter((post) => post.publishedAt === last.publishedAt).length;
    seenAtLastDate = last.publishedAt === lastDate ? seenAtLastDate + atLastDate : atLastDate;
    lastDate = last.publishedAt;
    size *= 2;
    const next = await db.posts
      .where('publishedAt')
      .belowOrEqual(last.publishedAt)
      .reverse()
      .limit(seenAtLastDate + size)
      .toArray();
    page = next.slice(seenAtLastDate);
  }
}

/**
 * Calls `visit` with every post id, newest first (by `publishedAt`, then id), a batch at a
 * time, until it returns true. Resolves to whether it stopped early. Reads ids only.
 */
async function walkNewest(
  db: DispatchDb,
  firstStep: number,
  visit: (ids: number[]) => boolean | Promise<boolean>,
): Promise<boolean> {
  let seen = 0;
  for (let step = firstStep; ; step *= 4) {
    const ids = (await db.posts
      .orderBy('publishedAt')
      .reverse()
      .limit(step)
      .primaryKeys()) as number[];
    if (await visit(ids.slice(seen))) return true;
    if (ids.length < step) return false;
    seen = ids.length;
  }
}

function present(posts: (Post | undefined)[]): Post[] {
  return posts.filter((post): post is Post => !!post);
}
