/**
 * Per-host holds (HOSTILE-INPUTS.md A9): a `Retry-After` on a 429 or 503 is about the server,
 * not one feed, so every feed on that host waits (Reddit, Tumblr, Substack serve thousands of
 * feeds from one host). The holds live in Dexie (`utils/db/hosts.ts`), because the worker
 * keeps no state in memory; this module decides when to hold and words it. Pure but for
 * `checkHostHold` and `recordHostHold`, which take the database.
 */
import type { DispatchDb } from '@/utils/db/db';
import { activeHostHold, holdHost } from '@/utils/db/hosts';
import type { HostHold } from '@/utils/db/types';
import { formatDuration, type FetchErrorInfo } from '@/utils/http/fetch-feed';

/** The key of a URL's host: its hostname, lower case (the port is the same server). */
export function holdKey(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The hold a failed request asks for, if any: a 429 or 503 with `Retry-After` holds the host
 * for that long (already clamped to 1 min–24 h by fetchFeed). A 429 without `Retry-After`
 * still says "too many requests from you": the host is held for the regular interval, so
 * the other feeds on it are not asked in the same cycle. A 503 without it is an outage, not
 * a request to slow down: that feed backs off on its own.
 */
export function holdFor(
  url: string,
  error: FetchErrorInfo,
  { now, baseIntervalMs }: { now: number; baseIntervalMs: number },
): HostHold | undefined {
  const host = holdKey(url);
  if (!host || error.code !== 'rate-limited' || error.status === undefined) return undefined;
  const waitMs = error.retryAfterMs ?? (error.status === 429 ? baseIntervalMs : undefined);
  if (waitMs === undefined) return undefined;
  return {
    host,
    until: now + waitMs,
    reason: `${host} asked Dispatch to wait (HTTP ${error.status})`,
  };
}

/** For the blog's status line and the subscribe answer: who asked, and how long is left. */
export function heldMessage(hold: HostHold, now: number): string {
  return `${hold.reason}; next request in ${formatDuration(Math.max(0, hold.until - now))}`;
}

/** The hold on `url`'s host still in force at `now`, if any. */
export async function checkHostHold(
  db: DispatchDb,
  url: string,
  now: number,
): Promise<HostHold | undefined> {
  const host = holdKey(url);
  return host ? activeHostHold(db, host, now) : undefined;
}

/** Stores the hold a failed request asks for (see `holdFor`); does nothing when it asks none. */
export async function recordHostHold(
  db: DispatchDb,
  url: string,
  error: FetchErrorInfo,
  timing: { now: number; baseIntervalMs: number },
): Promise<void> {
  const hold = holdFor(url, error, timing);
  if (hold) await holdHost(db, hold);
}
