/**
 * A blog's rhythm from the dates of its posts (issue 5): how often it usually posts, whether
 * it has gone quiet, and how often to check it. Pure and free of imports: the popup's
 * first-paint path reaches it through `utils/health.ts`.
 */

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

/** Silence counts as quiet from this many usual gaps… */
export const QUIET_GAPS = 3;
/** …and never before two weeks: a blog that posts daily is not "quiet" after three days off. */
export const QUIET_MIN_MS = 14 * DAY;

/**
 * The learned interval is the usual gap (or the silence, when longer) divided by this: a blog
 * is checked about four times per post, so a new post is seen on average an eighth of its
 * usual gap after it appears (a daily blog: checked every 6 h, seen ~3 h late).
 */
export const CHECKS_PER_GAP = 4;

/** Distinct, finite dates, newest first. */
function newestFirst(dates: readonly number[]): number[] {
  return [...new Set(dates.filter(Number.isFinite))].sort((a, b) => b - a);
}

/**
 * The median time between consecutive posts (ms); undefined with fewer than 3 distinct dates
 * (one gap says nothing about a rhythm). The median, not the mean, so one long holiday or one
 * burst of posts on a launch day does not decide it.
 */
export function usualGap(dates: readonly number[]): number | undefined {
  const sorted = newestFirst(dates);
  if (sorted.length < 3) return undefined;
  const gaps = sorted.slice(1).map((date, index) => sorted[index]! - date);
  gaps.sort((a, b) => a - b);
  const middle = gaps.length >> 1;
  return gaps.length % 2 ? gaps[middle]! : (gaps[middle - 1]! + gaps[middle]!) / 2;
}

export interface Quietness {
  /** Time since the newest post. */
  silenceMs: number;
  usualGapMs: number;
}

/**
 * The blog's silence when it is well past its own rhythm: at least {@link QUIET_GAPS} usual
 * gaps and at least {@link QUIET_MIN_MS}; otherwise (or with no rhythm yet) undefined.
 */
export function quietness(dates: readonly number[], now: number): Quietness | undefined {
  const usualGapMs = usualGap(dates);
  if (usualGapMs === undefined) return undefined;
  const silenceMs = now - Math.max(...dates.filter(Number.isFinite));
  if (silenceMs < QUIET_GAPS * usualGapMs || silenceMs < QUIET_MIN_MS) return undefined;
  return { silenceMs, usualGapMs };
}

export interface IntervalInput {
  /** The shortest interval: the blog's own (`Feed.intervalMinutes`), else the setting. */
  baseMs: number;
  /** The user's maximum (`maxPollIntervalMinutes`); below `baseMs` it is raised to it. */
  maxMs: number;
  /** From the response's `Cache-Control: max-age`. */
  maxAgeMs?: number;
  /** From the feed's `ttl` or `sy:updatePeriod` / `sy:updateFrequency`. */
  publisherIntervalMs?: number;
  /** Publication dates of the blog's recent posts, any order. */
  dates: readonly number[];
  now: number;
}

/**
 * Milliseconds until the next check after a successful one (200 or 304):
 *
 *   clamp(max(learned, maxAge, publisher), base, max(base, maxMs))
 *   learned = max(usual gap, silence since the newest post) / CHECKS_PER_GAP
 *
 * - `max-age` and the publisher's `ttl`/`sy:` hint are floors: the server and the blog said
 *   how long the feed stays fresh, so asking sooner only costs them.
 * - The rhythm term backs off toward the blog's own pace: a daily blog is checked every 6 h,
 *   a weekly one at the user's maximum (24 h by default), an hourly one at the base. A
 *   bursty blog (a few posts in an afternoon, then weeks of nothing) has a short median gap,
 *   so it is checked often while it posts and backs off with the silence between bursts.
 * - While the blog is silent for longer than its usual gap, the silence replaces the gap, so
 *   a blog that stopped posting drifts to the maximum instead of being checked at its old
 *   pace for ever; the first new post brings the pace back at once.
 * - With fewer than 3 post dates (a new blog, a feed without dates) nothing is learned: the
 *   base interval, so a new subscription is checked as often as the user asked.
 * - Never below `baseMs`, never above the user's maximum (nor above `baseMs`, when the user's
 *   own interval for the blog is longer than the maximum).
 */
export function nextInterval({
  baseMs,
  maxMs,
  maxAgeMs = 0,
  publisherIntervalMs = 0,
  dates,
  now,
}: IntervalInput): number {
  const gap = usualGap(dates);
  const learned =
    gap === undefined
      ? 0
      : Math.max(gap, now - Math.max(...dates.filter(Number.isFinite))) / CHECKS_PER_GAP;
  const wanted = Math.max(baseMs, learned, maxAgeMs, publisherIntervalMs);
  return Math.round(Math.min(Math.max(baseMs, maxMs), wanted));
}
