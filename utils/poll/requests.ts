/**
 * A blog's health record of requests (issue 5): how many requests Dispatch sent it per UTC day,
 * and how many were answered 304 — what "12 requests in the last 7 days, 10 answered 304" is
 * made of. Every request to a blog's site counts: its feed or page, and (issue 6) its article
 * and older pages.
 */
import type { DispatchDb } from '@/utils/db/db';
import type { RequestDay } from '@/utils/db/types';

const DAY = 24 * 60 * 60 * 1000;

/** UTC days of request counts kept on a feed: the 7 days the health line sums, and today. */
export const REQUEST_DAYS_KEPT = 8;

/**
 * `days` with one more request counted on `now`'s UTC day (and, when `notModified`, one more
 * 304), newest first; days older than {@link REQUEST_DAYS_KEPT} are dropped.
 */
export function countRequest(
  days: readonly RequestDay[] | undefined,
  now: number,
  notModified: boolean,
): RequestDay[] {
  const day = Math.floor(now / DAY);
  const today = days?.find((entry) => entry.day === day);
  const others = (days ?? []).filter(
    (entry) => entry.day !== day && Math.abs(day - entry.day) < REQUEST_DAYS_KEPT,
  );
  const counted: RequestDay = {
    day,
    requests: (today?.requests ?? 0) + 1,
    notModified: (today?.notModified ?? 0) + (notModified ? 1 : 0),
  };
  return [counted, ...others].sort((a, b) => b.day - a.day).slice(0, REQUEST_DAYS_KEPT);
}

/**
 * Counts `count` more requests sent to a blog at `now` (its article or older pages, issue 6)
 * in its health record, in one transaction. Does nothing for a blog removed meanwhile.
 */
export async function recordRequests(
  db: DispatchDb,
  feedId: number,
  count: number,
  now: number,
): Promise<void> {
  if (count <= 0) return;
  await db.transaction('rw', db.feeds, async () => {
    const feed = await db.feeds.get(feedId);
    if (!feed) return;
    let requestDays = feed.requestDays;
    for (let n = 0; n < count; n += 1) requestDays = countRequest(requestDays, now, false);
    await db.feeds.update(feedId, { requestDays });
  });
}
