/**
 * Search over every stored post (read and unread) through the multi-entry `terms` index of the
 * `postTerms` table (schema v3). The text rules are in `utils/search.ts`; this file picks how
 * to read.
 *
 * What costs what in Chromium's IndexedDB (headless, 50,000 posts, measured for issue 4):
 * counting an index range costs as much as reading its keys, ~4 µs an entry (the range of a
 * word in 39,000 posts: ~180 ms; `posts.count()`: ~65 ms), so nothing here counts. Reading ids
 * from an index costs ~4 µs an entry; loading posts ~20 µs each as one range of an index, but
 * ~60 µs each by id (one request each). So: read at most `keysMax + 1` ids of each token —
 * fewer, and the token is rare and all its ids are known; intersect those. When every token
 * is common, a sample of a few hundred posts' words spread over all ids says how common: a
 * token in a few percent of the posts (`idsMax`) has all its ids read after all; the words of
 * one in more (a two-letter prefix typed on the way to a word) are checked on loaded posts
 * instead, reading the newest posts a range at a time, each range as long as the share
 * matched so far says is needed, and stopping at `limit`; the sample then estimates how many
 * match in all. Many matches are put in date order by walking the `publishedAt` index's ids,
 * not by loading them. Figures: `tests/bench/popup.browser.ts` and the report of issue 4.
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
  /**
   * A token whose index range holds more entries than this is checked on loaded posts (told by
   * reading at most this many and one more of its ids: counting the range costs as much as
   * reading all of it).
   */
  keysMax: number;
  /**
   * When every token is common by `keysMax`, the one that a sample of all posts says is in the
   * fewest posts has all its ids read after all if it is in at most this many: that costs
   * less than finding its posts among the newest ones (a word in a few percent of them), and
   * counts exactly. The next ones are read too while that costs less than checking them on
   * the posts loaded by id.
   */
  idsMax: number;
  /** Up to this many matches are loaded and sorted; more are ordered by the date index. */
  sortLoadedMax: number;
  /**
   * Posts loaded and checked, newest first, before giving up on finding `limit` matches that
   * way and reading every token's ids after all (exact, slower; rare). It gives up sooner when
   * the share matched so far says this many would not be enough.
   */
  checkMax: number;
  /** Date-index ids read in the first step of a walk (the next steps are sized by what it found). */
  walkStep: number;
}

export const DEFAULT_TUNING: SearchTuning = {
  keysMax: 250,
  idsMax: 3_000,
  sortLoadedMax: 400,
  checkMax: 2_000,
  walkStep: 1_024,
};

/** Loading a post by id costs about as much as reading this many ids from an index. */
const LOAD_PER_ID = 14;

/** Scattered posts loaded at a time while checking words on them. */
const CHECK_BATCH = 32;

/** Posts read by `walkNewestPosts` in its first page. */
const FIRST_PAGE = 64;

/** Posts checked before the share matched so far may make `checkNewest` give up early. */
const EARLY_GIVE_UP = 256;

/** Places spread over the post ids where `samplePosts` reads a run of posts' words. */
const SAMPLE_RUNS = 8;
/** Posts' words read at each of those places. */
const SAMPLE_RUN = 32;

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

/** Whether stored words `terms` have a word starting with each one of `tokens`. */
const hasEvery = (terms: string[], tokens: string[]) =>
  tokens.every((token) => terms.some((term) => term.startsWith(token)));

async function search(
  db: DispatchDb,
  tokens: string[],
  limit: number,
  tuning: SearchTuning,
): Promise<Found> {
  // All the ids of a rare token, a few of a common one: enough to tell which it is. And the
  // largest id, for the sample and for walks.
  const [probes, last] = await Promise.all([
    Promise.all(
      tokens.map(
        (token) =>
          termRange(db, token)
            .limit(tuning.keysMax + 1)
            .primaryKeys() as Promise<number[]>,
      ),
    ),
    db.postTerms
      .toCollection()
      .lastKey()
      .then((key) => (key as number | undefined) ?? 0),
  ]);
  const lists = probes.filter((ids) => ids.length <= tuning.keysMax);
  let common = tokens.filter((_, i) => probes[i]!.length > tuning.keysMax);
  let ids = lists.length > 0 ? intersectLists(lists) : undefined;
  // Every token common: a sample of all posts says how common (and, later, how many match);
  // the newest posts, read meanwhile, are where their matches are looked for first.
  const [sample, newest] = ids
    ? []
    : await Promise.all([
        samplePosts(db, last),
        db.posts.orderBy('publishedAt').reverse().limit(FIRST_PAGE).toArray(),
      ]);
  if (sample) {
    const matches = Math.max(1, estimateIn(sample, tokens));
    const byPosts = common
      .map((token) => ({ token, posts: estimateIn(sample, [token]) }))
      .sort((a, b) => a.posts - b.posts);
    for (const { token, posts } of byPosts) {
      // Reading its ids, against loading the candidates met until `limit` matches are found.
      const worth = ids
        ? posts < (LOAD_PER_ID * limit * ids.size) / matches
        : posts <= tuning.idsMax;
      if (!worth) break;
      ids = await intersect(db, [token], ids);
      common = common.filter((other) => other !== token);
    }
  }
  if (ids?.size === 0) return NOTHING;
  if (ids && common.length === 0) return newestOf(db, ids, limit, tuning, last);

  const checked = await checkNewest(db, ids, common, limit, tuning, newest);
  if (checked?.complete) {
    return { posts: checked.posts.slice(0, limit), total: checked.posts.length, exact: true };
  }
  if (checked) {
    // Among a few hundred candidates, the share of those checked that matched; among all
    // posts, the share in the sample (the newest posts would overstate a word in fashion).
    // Never fewer than were found.
    const estimate = ids
      ? Math.round((checked.posts.length / checked.checked) * ids.size)
      : estimateIn(sample!, tokens);
    return {
      posts: checked.posts,
      total: Math.max(checked.posts.length, estimate),
      exact: false,
    };
  }
  // Too few matches among the newest posts: read the common tokens' ids after all.
  const all = await intersect(db, common, ids);
  return all.size === 0 ? NOTHING : newestOf(db, all, limit, tuning, last);
}

/** The ids in every one of `lists`. */
function intersectLists(lists: number[][]): Set<number> {
  const [shortest, ...rest] = [...lists].sort((a, b) => a.length - b.length);
  let ids = new Set(shortest);
  for (const list of rest) {
    const other = new Set(list);
    ids = new Set([...ids].filter((id) => other.has(id)));
  }
  return ids;
}

/** Posts' words read here and there, each standing for `weight` posts. */
type Sample = { terms: string[]; weight: number }[];

/**
 * A sample of all posts' words: the ids up to the largest are cut into {@link SAMPLE_RUNS}
 * equal stretches, and the first {@link SAMPLE_RUN} posts of each are read (one range read of
 * the small `postTerms` records each). Each post read stands for as many ids as its stretch
 * has per post read, so gaps (posts deleted with a removed blog) count as nothing and no count
 * is needed.
 */
async function samplePosts(db: DispatchDb, last: number): Promise<Sample> {
  const bounds = Array.from({ length: SAMPLE_RUNS + 1 }, (_, i) =>
    Math.round((i * last) / SAMPLE_RUNS),
  );
  const runs = await Promise.all(
    bounds
      .slice(1)
      .map((end, i) =>
        db.postTerms
          .where('postId')
          .between(bounds[i]!, end, false, true)
          .limit(SAMPLE_RUN)
          .toArray(),
      ),
  );
  return runs.flatMap((run, i) => {
    const from = bounds[i]!;
    const to = bounds[i + 1]!;
    // The ids the run covered: its whole stretch, unless it stopped at SAMPLE_RUN posts.
    const covered = run.length < SAMPLE_RUN ? to - from : run[run.length - 1]!.postId - from;
    return run.map(({ terms }) => ({ terms, weight: (to - from) / covered }));
  });
}

/** About how many posts have a stored word starting with every one of `tokens`. */
function estimateIn(sample: Sample, tokens: string[]): number {
  let estimate = 0;
  for (const { terms, weight } of sample) if (hasEvery(terms, tokens)) estimate += weight;
  return Math.round(estimate);
}

/**
 * How far a walk that found `found` of `limit` matches in its first `seen` entries should have
 * read after its next step: enough, at the share matched so far, for the matches still
 * missing, and a quarter more; at least twice and at most eight times as far as now.
 */
function nextReach(seen: number, found: number, limit: number): number {
  const enough = found === 0 ? Infinity : seen + (((limit - found) * seen) / found) * 1.25;
  return Math.ceil(Math.min(Math.max(enough, 2 * seen), 8 * seen));
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
  /** The largest post id. */
  last: number,
): Promise<Found> {
  if (ids.size <= Math.max(limit, tuning.sortLoadedMax)) {
    const posts = present(await db.posts.bulkGet([...ids]));
    posts.sort(newestFirst);
    return { posts: posts.slice(0, limit), total: ids.size, exact: true };
  }
  // As far into the date index as `limit` of them lie, if they are spread evenly.
  const spread = Math.ceil(((limit * last) / ids.size) * 1.25);
  const chosen: number[] = [];
  await walkNewest(
    db,
    Math.max(tuning.walkStep, spread),
    (seen) => nextReach(seen, chosen.length, limit),
    (batch) => {
      for (const id of batch) {
        if (ids.has(id) && chosen.push(id) === limit) return true;
      }
      return false;
    },
  );
  return { posts: present(await db.posts.bulkGet(chosen)), total: ids.size, exact: true };
}

interface Checked {
  /** The matches found, newest first (all of them when `complete`, else `limit`). */
  posts: Post[];
  /** How many posts were loaded and checked. */
  checked: number;
  /** True when every candidate was checked: `posts` are all the matches. */
  complete: boolean;
}

/**
 * The newest posts (among `ids`, when given) whose stored words start with every one of
 * `tokens`, loaded and checked newest first until `limit` are found. Undefined when that
 * would take more than `checkMax` posts checked (seen after checking them, or foreseen from
 * the share matched in the first ones).
 */
async function checkNewest(
  db: DispatchDb,
  ids: Set<number> | undefined,
  tokens: string[],
  limit: number,
  tuning: SearchTuning,
  /** The first page of the newest posts, when already read. */
  newest?: Post[],
): Promise<Checked | undefined> {
  if (ids && ids.size <= tuning.sortLoadedMax) {
    // Few candidates: loading them all costs less than finding them in the date index.
    const posts = present(await db.posts.bulkGet([...ids])).filter((post) =>
      hasEvery(post.terms, tokens),
    );
    posts.sort(newestFirst);
    return { posts, checked: ids.size, complete: true };
  }
  const found: Post[] = [];
  let checked = 0;
  let gaveUp = false;
  /** Checks loaded posts; true once done (enough found, or too many to check). */
  const check = (posts: Post[]): boolean => {
    for (const post of posts) {
      if (checked === tuning.checkMax) return (gaveUp = true);
      checked += 1;
      if (hasEvery(post.terms, tokens) && found.push(post) === limit) return true;
    }
    const foreseen =
      found.length === 0 ? Infinity : checked * (1 + (limit - found.length) / found.length);
    return checked >= EARLY_GIVE_UP && foreseen > tuning.checkMax && (gaveUp = true);
  };
  const next = (seen: number) => nextReach(seen, found.length, limit);
  const stopped = ids
    ? await walkNewest(db, tuning.walkStep, next, async (batch) => {
        // Scattered posts: one request each, so load a few at a time and stop early.
        const candidates = batch.filter((id) => ids.has(id));
        for (let start = 0; start < candidates.length; start += CHECK_BATCH) {
          const posts = await db.posts.bulkGet(candidates.slice(start, start + CHECK_BATCH));
          if (check(present(posts))) return true;
        }
        return false;
      })
    : await walkNewestPosts(db, next, check, newest);
  return gaveUp ? undefined : { posts: found, checked, complete: !stopped };
}

/**
 * Calls `visit` with every post, newest first (by `publishedAt`, then id), a page at a time,
 * until it returns true; resolves to whether it stopped early. Each page is one range read of
 * the `publishedAt` index (a browser serves a range far faster than the same posts one by
 * one), starting at the last date seen and skipping the posts of that date already visited;
 * after the first, a page ends where `reach` says, given the posts visited so far.
 */
async function walkNewestPosts(
  db: DispatchDb,
  reach: (seen: number) => number,
  visit: (posts: Post[]) => boolean,
  /** Its first page, when already read. */
  first?: Post[],
): Promise<boolean> {
  let page = first ?? (await db.posts.orderBy('publishedAt').reverse().limit(FIRST_PAGE).toArray());
  let size = FIRST_PAGE;
  let seen = 0;
  let lastDate: number | undefined;
  let seenAtLastDate = 0;
  for (;;) {
    if (visit(page)) return true;
    seen += page.length;
    const last = page[page.length - 1];
    if (!last || page.length < size) return false;
    // Posts of one date may run over several pages: count all those already visited.
    const atLastDate = page.filter((post) => post.publishedAt === last.publishedAt).length;
    seenAtLastDate = last.publishedAt === lastDate ? seenAtLastDate + atLastDate : atLastDate;
    lastDate = last.publishedAt;
    size = reach(seen) - seen;
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
 * time, until it returns true. Resolves to whether it stopped early. Reads ids only: the
 * first `firstStep`, then each time the first `reach(seen)` (re-reading the ones seen: ids
 * alone do not say where a run of posts of one date was cut).
 */
async function walkNewest(
  db: DispatchDb,
  firstStep: number,
  reach: (seen: number) => number,
  visit: (ids: number[]) => boolean | Promise<boolean>,
): Promise<boolean> {
  let seen = 0;
  for (let step = firstStep; ; step = reach(seen)) {
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

const newestFirst = (a: Post, b: Post) => b.publishedAt - a.publishedAt || b.id - a.id;

function present(posts: (Post | undefined)[]): Post[] {
  return posts.filter((post): post is Post => !!post);
}
