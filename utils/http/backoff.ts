/**
 * When to poll a feed next, from how its recent polls went (DESIGN.md §5, HOSTILE-INPUTS.md
 * A8–A10). Pure: `random` is a parameter so tests can pin the jitter.
 */

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Longest wait between polls of a failing feed: we keep trying daily rather than give up. */
export const MAX_POLL_DELAY_MS = DAY;

/** Spread of the random jitter on error delays: ±20 %. */
export const JITTER = 0.2;

export interface PollDelayInput {
  /** Consecutive failed polls, 0 after a success (a 304 is a success). */
  failures: number;
  /** The feed's regular polling interval. */
  baseIntervalMs: number;
  /** From `Retry-After`; the next poll never comes sooner. */
  retryAfterMs?: number;
  /** From `Cache-Control: max-age`; the next poll never comes sooner. */
  maxAgeMs?: number;
  /** Uniform in [0, 1); default `Math.random`. */
  random?: () => number;
}

/**
 * Milliseconds until the next poll.
 *
 * - After a success (`failures` 0): the regular interval, or longer when the server said its
 *   content stays fresh longer (`max-age`) or asked us to wait (`Retry-After`). No jitter.
 *   (A followed blog's successful polls use `nextInterval` in `utils/poll/rhythm.ts`, which
 *   also learns from the blog's rhythm; this case serves the first fetch when subscribing.)
 * - After `n` consecutive failures: `baseIntervalMs × 2^(n−1)` with ±20 % jitter, so the first
 *   failure keeps the regular cadence and each further one doubles the wait. We back off from
 *   the regular interval rather than from a short fixed step (say 5 min) because a short step
 *   would poll a failing server *more* often than a healthy one (5, 10, 20, 40 min: four
 *   requests in the first hour and a quarter against one for an hourly feed), the opposite of
 *   polite when many feeds share a struggling host (HOSTILE A9). A poll that fails because the
 *   machine is offline should not be counted as a failure at all; that is the scheduler's
 *   call. The jitter keeps feeds that failed together from retrying in lockstep.
 * - Always: `Retry-After` and `max-age` are floors, and the result is capped at 24 h (or at
 *   the regular interval if that is longer), so a broken feed keeps being tried once a day
 *   instead of being dropped (Miniflux #3334).
 *
 * Throws `RangeError` for a negative or fractional `failures` or a non-positive interval:
 * those are programmer errors, not feed outcomes.
 */
export function nextPollDelay({
  failures,
  baseIntervalMs,
  retryAfterMs,
  maxAgeMs,
  random = Math.random,
}: PollDelayInput): number {
  if (!Number.isInteger(failures) || failures < 0) {
    throw new RangeError(`failures must be a whole number ≥ 0, got ${failures}`);
  }
  if (!Number.isFinite(baseIntervalMs) || baseIntervalMs <= 0) {
    throw new RangeError(`baseIntervalMs must be a positive number, got ${baseIntervalMs}`);
  }

  const cap = Math.max(MAX_POLL_DELAY_MS, baseIntervalMs);
  const floor = Math.max(baseIntervalMs, retryAfterMs ?? 0, maxAgeMs ?? 0);
  if (failures === 0) return Math.min(cap, floor);

  // The exponent is bounded so that 2 ** n stays finite; the cap takes over long before.
  const backoff = Math.min(cap, baseIntervalMs * 2 ** Math.min(failures - 1, 52));
  const jittered = backoff * (1 - JITTER + 2 * JITTER * random());
  const floors = Math.max(retryAfterMs ?? 0, maxAgeMs ?? 0);
  return Math.round(Math.min(cap, Math.max(jittered, floors)));
}
