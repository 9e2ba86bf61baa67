/**
 * The poll cycle: forget expired host holds, pick the feeds to poll, poll them a few at a time
 * (never two at once on one host), then — only when posts were added — refresh the badge once
 * and show one notification for the whole cycle. Cycles are serialised (Web Locks, else a
 * promise chain) so two wake-ups never poll at once.
 */
import { refreshBadge } from '@/utils/badge';
import { hasOrigins } from '@/utils/browser/permissions';
import { reportError } from '@/utils/errors';
import { getDb } from '@/utils/db/db';
import { getFeed, listDueFeeds } from '@/utils/db/feeds';
import { pruneHostHolds } from '@/utils/db/hosts';
import type { Feed } from '@/utils/db/types';
import { originPattern } from '@/utils/format';
import { createHostLimiter } from '@/utils/http/host-queue';
import type { PollSummary, Protocol } from '@/utils/messaging';
import { notifyNewPosts, type NewPostNotice } from '@/utils/notify';
import { maxPollIntervalMinutes, pollIntervalMinutes, wordsPerMinute } from '@/utils/settings';
import { serialised } from '@/utils/serialise';
import { POLL_LOCK } from './lock';
import { pollFeed, type PollDeps, type PollOutcome } from './poll-feed';

const MINUTE = 60 * 1000;
const DEFAULT_INTERVAL_MINUTES = 30;

/** Requests in flight at once over all hosts (one per host at most). */
export const POLL_CONCURRENCY = 4;

export interface PollCycleOptions extends PollDeps {
  /** Poll even when not due: every active feed, or the one named by `feedId`. */
  force?: boolean;
  /** Poll only this feed (whatever its status: checking a 'gone' feed again resumes it). */
  feedId?: number;
}

/**
 * Runs one poll cycle and says what it did. Feeds due (or, forced, all active ones, or the one
 * asked for) are polled; a feed whose poll throws (a database failure) counts as failed and
 * does not stop the others, nor does a feed skipped because its host is held. New posts from a
 * feed's first successful poll are stored but not announced: subscribing or importing must
 * not flood the user. A cycle that added nothing (304s, unchanged feeds, failures) leaves the
 * badge alone: the unread count cannot have changed through it. Which of the announced posts
 * are shown now, held for the quiet-hours digest or never shown is `notifyNewPosts`' policy.
 */
export function pollDueFeeds(options: PollCycleOptions): Promise<PollSummary> {
  return serialised(POLL_LOCK, () => runCycle(options));
}

async function runCycle(options: PollCycleOptions): Promise<PollSummary> {
  const { db } = options;
  await pruneHostHolds(db, options.now()).catch((error: unknown) =>
    reportError(error, 'pruning host holds'),
  );
  const feeds = await pickFeeds(options);
  if (feeds.length === 0) return { checked: 0, newPosts: 0, failed: 0 };

  const limiter = createHostLimiter({ concurrency: POLL_CONCURRENCY });
  const outcomes = await Promise.all(
    feeds.map((feed) =>
      limiter
        .run(feed.url, () => pollFeed(feed, options))
        .catch((error: unknown): undefined => {
          reportError(error, `poll of feed ${feed.id}`);
          return undefined;
        }),
    ),
  );

  const summary: PollSummary = { checked: feeds.length, newPosts: 0, failed: 0 };
  const notices: NewPostNotice[] = [];
  outcomes.forEach((outcome: PollOutcome | undefined, index) => {
    if (!outcome || outcome.status === 'failed' || outcome.status === 'held') summary.failed += 1;
    if (!outcome) return;
    summary.newPosts += outcome.added.length;
    if (outcome.firstSuccess) return;
    const feedTitle = feeds[index]?.title ?? '';
    for (const post of outcome.added) notices.push({ post, feedTitle });
  });

  if (summary.newPosts === 0) return summary;
  await refreshBadge(db).catch((error: unknown) => reportError(error, 'badge refresh'));
  await notifyNewPosts(notices, { db, now: options.now }).catch((error: unknown) =>
    reportError(error, 'notification'),
  );
  return summary;
}

async function pickFeeds({ db, now, force, feedId }: PollCycleOptions): Promise<Feed[]> {
  if (feedId !== undefined) {
    const feed = await getFeed(db, feedId);
    return feed ? [feed] : [];
  }
  if (force) return (await db.feeds.toArray()).filter((feed) => feed.status === 'active');
  return listDueFeeds(db, now());
}

/**
 * The production dependencies: the database, the clock, the user's settings and the
 * browser's record of host access per origin.
 */
export async function defaultPollDeps(): Promise<PollDeps & Required<Pick<PollDeps, 'hasOrigin'>>> {
  const [interval, maxInterval, speed] = await Promise.all([
    pollIntervalMinutes.getValue(),
    maxPollIntervalMinutes.getValue(),
    wordsPerMinute.getValue(),
  ]);
  return {
    db: getDb(),
    now: Date.now,
    // Fractional minutes are allowed (end-to-end tests poll every few seconds).
    baseIntervalMs: (interval > 0 ? interval : DEFAULT_INTERVAL_MINUTES) * MINUTE,
    maxIntervalMs: maxInterval * MINUTE,
    wordsPerMinute: speed,
    hasOrigin: (url) => hasOrigins([originPattern(url)]),
  };
}

/** The `pollNow` message: poll one feed, every active feed, or (`due`) those due, now. */
export async function pollNow({
  feedId,
  due = false,
}: Protocol['pollNow']['request']): Promise<PollSummary> {
  return pollDueFeeds({ ...(await defaultPollDeps()), force: !due, feedId });
}
