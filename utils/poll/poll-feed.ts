/**
 * One poll of one feed: host hold → conditional GET → parse → store, and every outcome
 * recorded on the feed in words (DESIGN.md §5). Depends on fetchFeed, the parser, the posts,
 * feeds and hosts repositories, the backoff rule and the blog's rhythm; `fetch`, `now` and
 * `random` are parameters.
 *
 * Also keeps the blog's health record (issue 5): requests per UTC day (every request sent,
 * whatever its answer), when the current run of failures began, the dates of recent posts
 * and the interval the feed asks for, from which the next check is learned (`rhythm.ts`).
 *
 * Idempotent: the posts and the new validators are written in one transaction, so a poll cut
 * off mid-way leaves nothing half-done and running it again creates no duplicates.
 *
 * A blog followed through its listing page (issue 6, `Feed.listing`) is polled the same way;
 * only the reading of the page differs (`storeListing`).
 */
import { findFeedByUrl } from '@/utils/db/feeds';
import { reportError } from '@/utils/errors';
import type { StorageError } from '@/utils/db/errors';
import { pollTables, type DispatchDb } from '@/utils/db/db';
import { asStorageError } from '@/utils/db/errors';
import { savePollResult, writePoll, type PollWriteResult } from '@/utils/db/posts';
import type {
  Feed,
  FeedProblem,
  FollowedListing,
  HostHold,
  ListingDrift,
  Post,
} from '@/utils/db/types';
import type { ParsedFeed } from '@/utils/feed/types';
import { hostOf } from '@/utils/format';
import { isPrivateAddress } from '@/utils/http/address';
import { nextPollDelay } from '@/utils/http/backoff';
import {
  fetchFeed,
  type FetchFeedOptions,
  type FetchResult,
  type Validators,
} from '@/utils/http/fetch-feed';
import { measureArticles, withMeasured } from '@/utils/listing/measure';
import { driftOf, pageText, readListing, sameExtractor } from '@/utils/listing/poll';
import { safeHttpUrl } from '@/utils/url';
import { checkHostHold, heldMessage, recordHostHold } from './host-holds';
import { readFeed, WEB_PAGE_MESSAGE } from './read-feed';
import { countRequest } from './requests';
import { nextInterval } from './rhythm';
import { cleanTitle, toNewPosts } from './to-posts';

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

/** Post dates kept on a feed for its rhythm: enough for a median, small enough to store. */
export const POST_DATES_KEPT = 30;

/** Consecutive successful polls that must end at the same new URL before the feed moves. */
export const REDIRECT_AGREEMENT = 3;

/**
 * …and those polls must span at least a day: a redirect during an evening's maintenance, or a
 * short hijack, is seen on every poll of it, but does not last a day.
 */
export const REDIRECT_MIN_SPAN_MS = DAY;

/**
 * How often a poll sends no validators. Some servers answer 304 to an `If-None-Match` or
 * `If-Modified-Since` that no longer describes the feed (FreshRSS #6712), and would hide new
 * posts for ever; a daily unconditional GET bounds that to a day, at the cost of at most one
 * full download per feed a day (at the default 30-minute interval, 1 request in 48).
 */
export const UNCONDITIONAL_EVERY_MS = DAY;

/** Deadline, idle timer and size cap of each request; fetchFeed's defaults when absent. */
export type FetchLimits = Pick<FetchFeedOptions, 'timeoutMs' | 'idleTimeoutMs' | 'maxBytes'>;

export const GONE_MESSAGE = 'The blog says this feed is gone (HTTP 410). Check it again to resume.';

/** Why a feed was not fetched: the user has not granted (or has withdrawn) host access. */
export function noAccessMessage(url: string): string {
  return `Dispatch has no access to ${hostOf(url)}. Use “Check now” to allow it.`;
}

export interface PollDeps {
  db: DispatchDb;
  /** Injected into fetchFeed; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  now: () => number;
  /** The regular interval between polls of a feed (the `pollIntervalMinutes` setting). */
  baseIntervalMs: number;
  /**
   * The longest interval polling may learn for a quiet blog (the `maxPollIntervalMinutes`
   * setting); absent: `baseIntervalMs` (nothing is learned).
   */
  maxIntervalMs?: number;
  /** Reading speed for reading-time estimates. */
  wordsPerMinute: number;
  /** Jitter source for the backoff; default `Math.random`. */
  random?: () => number;
  /**
   * Whether the extension holds host access for a URL's origin. Checked before each poll: a
   * feed whose access was withdrawn records that in words (the options page's "Check now"
   * asks again) instead of a request that can only fail as "Could not reach the server".
   * Absent: access is assumed (tests against a loopback server).
   */
  hasOrigin?: (url: string) => Promise<boolean>;
  /** Request limits; fetchFeed's defaults (25 s, 10 s idle, 5 MiB) when absent. Tests shorten them. */
  fetchLimits?: FetchLimits;
}

export interface PollOutcome {
  feedId: number;
  /** `held`: not fetched, because its host asked every client to wait (HOSTILE A9). */
  status: 'new-posts' | 'no-change' | 'not-modified' | 'held' | 'failed';
  /** Posts stored for the first time by this poll, in feed order. */
  added: Post[];
  /** Known posts whose text changed, updated in place (read state kept). */
  updated: number;
  /** What went wrong, as stored on the feed, when `status` is 'failed'. */
  error?: FeedProblem;
  /**
   * True when the feed had never been polled successfully before: its posts are the backlog a
   * new subscription brings, not news, so they are not announced.
   */
  firstSuccess: boolean;
  /**
   * A listing blog whose page no longer fits its extractor (issue 6): what is now recorded on
   * `feed.listing.drift`. The status is then 'no-change': nothing was added, updated or marked.
   */
  drift?: ListingDrift;
}

/**
 * True when the next request for `feed` should carry no validators: it has none, or the last
 * unconditional GET that succeeded is {@link UNCONDITIONAL_EVERY_MS} old (or unknown).
 */
export function isUnconditionalDue(
  feed: Pick<Feed, 'etag' | 'lastModified' | 'lastUnconditionalAt'>,
  now: number,
): boolean {
  if (!hasValidators(feed)) return true;
  return now - (feed.lastUnconditionalAt ?? 0) >= UNCONDITIONAL_EVERY_MS;
}

/**
 * Polls `feed` once and records the outcome on it. Never throws for network or feed problems
 * (they are stored as `lastError` with a backoff); only a database failure propagates.
 *
 * A feed whose host is held (an earlier `Retry-After`, for this feed or another on the host)
 * is not fetched: it waits for the hold's end, with the reason as its status. A 429 or 503
 * that asks to wait holds the host for every feed on it.
 */
export async function pollFeed(feed: Feed, deps: PollDeps): Promise<PollOutcome> {
  if (deps.hasOrigin && !(await deps.hasOrigin(feed.url))) {
    // Nothing was sent, so no request is counted.
    return recordFailure(
      feed,
      deps,
      { code: 'no-access', message: noAccessMessage(feed.url) },
      { requested: false },
    );
  }
  const startedAt = deps.now();
  const hold = await checkHostHold(deps.db, feed.url, startedAt);
  if (hold) return recordHeld(feed, deps, hold, startedAt);

  const unconditional = isUnconditionalDue(feed, startedAt);
  const result = await fetchFeed(feed.url, {
    ...deps.fetchLimits,
    validators: unconditional ? {} : { etag: feed.etag, lastModified: feed.lastModified },
    fetch: deps.fetch,
    now: deps.now,
  });
  const firstSuccess = !hasSucceededBefore(feed);

  switch (result.kind) {
    case 'error': {
      const { code, message, retryAfterMs } = result.error;
      if (code === 'gone')
        return recordFailure(feed, deps, { code, message: GONE_MESSAGE }, { gone: true });
      await recordHostHold(deps.db, feed.url, result.error, {
        now: deps.now(),
        baseIntervalMs: deps.baseIntervalMs,
      });
      return recordFailure(feed, deps, { code, message }, { retryAfterMs });
    }
    case 'not-modified': {
      const now = deps.now();
      await deps.db.feeds.update(feed.id, {
        ...successChanges(feed, deps, now, { maxAgeMs: result.maxAgeMs, notModified: true }),
        ...(await redirectChanges(deps.db, feed, result.url, now)),
      });
      return { feedId: feed.id, status: 'not-modified', added: [], updated: 0, firstSuccess };
    }
    case 'ok':
      return feed.listing
        ? storeListing(feed, feed.listing, deps, result, { firstSuccess, unconditional })
        : storeFeed(feed, deps, result, { firstSuccess, unconditional });
  }
}

/**
 * A listing blog's page (issue 6), read with its extractor. When the page no longer fits it
 * (drift), no post is added, updated, marked or deleted, and the validators stay those of the
 * last good read: the drift is recorded (first seen kept) and the poll counts as a success for
 * scheduling, since the site answered. A good read clears the drift, stores the posts (known
 * ones keep their measured reading time) and then measures the new posts' articles.
 *
 * Both are written only if the blog is still read with the extractor this poll used: a sync
 * (which does not wait for polls) may have brought another one meanwhile, from a browser where
 * the user re-learned the page. Writing this reading would put the old extractor back, and the
 * next sync would carry it to every browser; the poll then only counts as checked.
 */
async function storeListing(
  feed: Feed,
  listing: FollowedListing,
  deps: PollDeps,
  result: Extract<FetchResult, { kind: 'ok' }>,
  { firstSuccess, unconditional }: { firstSuccess: boolean; unconditional: boolean },
): Promise<PollOutcome> {
  const { db } = deps;
  const html = pageText(result.body, result.contentType) ?? '';
  const read = readListing(html, result.url, listing, { wordsPerMinute: deps.wordsPerMinute });
  const now = deps.now();
  const checked: PollOutcome = {
    feedId: feed.id,
    status: 'no-change',
    added: [],
    updated: 0,
    firstSuccess,
  };
  if (!read.ok) {
    const drift = driftOf(listing, read, now);
    const recorded = await db.transaction('rw', db.feeds, async () => {
      const current = await readsWith(db, feed.id, listing);
      await db.feeds.update(feed.id, {
        ...successChanges(feed, deps, now, { maxAgeMs: result.maxAgeMs }),
        ...(current && { listing: { ...listing, drift } }),
      });
      return current;
    });
    return recorded ? { ...checked, drift } : checked;
  }

  const recentPostDates = mergePostDates(
    feed.recentPostDates,
    read.posts.map((post) => post.publishedAt),
    now,
  );
  const moved = await redirectChanges(db, feed, result.url, now);
  let saved: PollWriteResult | undefined;
  try {
    saved = await db.transaction('rw', pollTables(db), async () => {
      if (!(await readsWith(db, feed.id, listing))) return undefined;
      return writePoll(db, feed.id, {
        posts: read.posts,
        keepReadingTimes: true,
        feed: {
          ...successChanges(feed, deps, now, {
            maxAgeMs: result.maxAgeMs,
            dates: recentPostDates,
          }),
          recentPostDates,
          etag: result.validators.etag,
          lastModified: result.validators.lastModified,
          ...(unconditional && hasValidators(result.validators) && { lastUnconditionalAt: now }),
          // Without `drift`: a good read ends it.
          listing: { extractor: listing.extractor, lastCount: read.count },
          ...moved,
        },
        now,
      });
    });
  } catch (caught) {
    const error = asStorageError(caught);
    if (!isStorageError(error)) throw error;
    return recordStorageFailure(feed, deps, error);
  }
  if (!saved) {
    await db.feeds.update(feed.id, successChanges(feed, deps, now, { maxAgeMs: result.maxAgeMs }));
    return checked;
  }
  let added = saved.added;
  try {
    // Each article request is counted in the blog's health record as it is sent.
    const { measured } = await measureArticles(added, result.url, deps);
    added = withMeasured(added, measured);
  } catch (error) {
    // Measuring is extra: the posts are stored, and the poll succeeded without it.
    reportError(error, `measuring the articles of feed ${feed.id}`);
  }
  return {
    feedId: feed.id,
    status: added.length > 0 ? 'new-posts' : 'no-change',
    added,
    updated: saved.updated,
    firstSuccess,
  };
}

/** Whether blog `feedId` is still read with `listing`'s extractor (see `storeListing`). */
async function readsWith(
  db: DispatchDb,
  feedId: number,
  listing: FollowedListing,
): Promise<boolean> {
  const stored = (await db.feeds.get(feedId))?.listing;
  return stored !== undefined && sameExtractor(stored.extractor, listing.extractor);
}

async function storeFeed(
  feed: Feed,
  deps: PollDeps,
  result: Extract<FetchResult, { kind: 'ok' }>,
  { firstSuccess, unconditional }: { firstSuccess: boolean; unconditional: boolean },
): Promise<PollOutcome> {
  const read = readFeed(result.body, { url: result.url, contentType: result.contentType });
  if (read.kind === 'html')
    return recordFailure(feed, deps, { code: 'not-a-feed', message: WEB_PAGE_MESSAGE });
  if (read.kind === 'invalid')
    return recordFailure(feed, deps, { code: read.code, message: read.message });

  const now = deps.now();
  const { publisherIntervalMs } = read.parsed;
  const recentPostDates = mergePostDates(
    feed.recentPostDates,
    read.parsed.items.map((item) => item.publishedAt),
    now,
  );
  let saved: Awaited<ReturnType<typeof savePollResult>>;
  try {
    saved = await savePollResult(deps.db, feed.id, {
      posts: toNewPosts(read.parsed, { wordsPerMinute: deps.wordsPerMinute }),
      feed: {
        ...successChanges(feed, deps, now, {
          maxAgeMs: result.maxAgeMs,
          publisherIntervalMs,
          dates: recentPostDates,
        }),
        recentPostDates,
        // Removed (set to undefined) when the feed stops giving one.
        publisherIntervalMs,
        // Absent validators are removed (Dexie's update deletes a field set to undefined).
        etag: result.validators.etag,
        lastModified: result.validators.lastModified,
        // Recorded only when there are validators to drop next time: without them every
        // request is unconditional anyway, and the feed record need not change.
        ...(unconditional && hasValidators(result.validators) && { lastUnconditionalAt: now }),
        kind: read.parsed.format,
        ...describedBy(feed, read.parsed),
        ...(await redirectChanges(deps.db, feed, result.url, now)),
      },
      now,
    });
  } catch (error) {
    // The write is one transaction, so nothing of this poll was stored; say why on the blog.
    if (!isStorageError(error)) throw error;
    return recordStorageFailure(feed, deps, error);
  }
  const { added, updated } = saved;
  return {
    feedId: feed.id,
    status: added.length > 0 ? 'new-posts' : 'no-change',
    added,
    updated,
    firstSuccess,
  };
}

function isStorageError(error: unknown): error is StorageError {
  return error instanceof Error && error.name === 'StorageError';
}

/**
 * A poll whose write failed for lack of storage: recorded as a failure in words when the small
 * feed update still fits; when even that fails, the outcome alone carries the problem.
 */
async function recordStorageFailure(
  feed: Feed,
  deps: PollDeps,
  error: StorageError,
): Promise<PollOutcome> {
  const problem = { code: error.code, message: error.message };
  try {
    return await recordFailure(feed, deps, problem);
  } catch {
    const at = deps.now();
    return {
      feedId: feed.id,
      status: 'failed',
      added: [],
      updated: 0,
      error: { ...problem, at },
      firstSuccess: false,
    };
  }
}

function hasValidators({ etag, lastModified }: Validators): boolean {
  return Boolean(etag || lastModified);
}

/**
 * A feed not fetched because its host is held: nothing changes but its status and its next
 * time (the hold's end, or later if it was due later). Not a failure of this feed: its
 * failure count, last check time and validators stay.
 */
async function recordHeld(
  feed: Feed,
  deps: PollDeps,
  hold: HostHold,
  now: number,
): Promise<PollOutcome> {
  const error: FeedProblem = { code: 'host-held', message: heldMessage(hold, now), at: now };
  await deps.db.feeds.update(feed.id, {
    lastError: error,
    nextPollAt: Math.max(hold.until, feed.nextPollAt),
  });
  return { feedId: feed.id, status: 'held', added: [], updated: 0, error, firstSuccess: false };
}

/**
 * Feed changes after any successful poll (a 304 included): resets failures, counts the
 * request, and schedules the next one at the learned interval (`nextInterval` in rhythm.ts)
 * from the blog's post dates and the server's and publisher's hints; a 304 uses the ones
 * stored by the last full response.
 */
function successChanges(
  feed: Feed,
  deps: PollDeps,
  now: number,
  {
    maxAgeMs,
    notModified = false,
    publisherIntervalMs = feed.publisherIntervalMs,
    dates = feed.recentPostDates ?? [],
  }: {
    maxAgeMs?: number;
    notModified?: boolean;
    publisherIntervalMs?: number;
    dates?: readonly number[];
  },
): Partial<Feed> {
  const baseMs = baseInterval(feed, deps);
  const maxMs = deps.maxIntervalMs ?? deps.baseIntervalMs;
  return {
    lastCheckedAt: now,
    failures: 0,
    lastError: undefined,
    failingSince: undefined,
    status: 'active',
    requestDays: countRequest(feed.requestDays, now, notModified),
    nextPollAt: now + nextInterval({ baseMs, maxMs, maxAgeMs, publisherIntervalMs, dates, now }),
  };
}

/** The blog's shortest interval: its own (`Feed.intervalMinutes`), else the setting's. */
export function baseInterval(
  feed: Pick<Feed, 'intervalMinutes'>,
  deps: Pick<PollDeps, 'baseIntervalMs'>,
): number {
  const minutes = feed.intervalMinutes;
  if (minutes === undefined || !Number.isFinite(minutes) || minutes <= 0)
    return deps.baseIntervalMs;
  // A blog's own interval may come from a backup or another browser's sync, not only from the
  // options page: held to what the page offers, so no file can make a blog polled every tick
  // or never again.
  return Math.min(Math.max(minutes, BLOG_INTERVAL_MIN_MINUTES), BLOG_INTERVAL_MAX_MINUTES) * MINUTE;
}

/** The range a blog's own check interval is held to (minutes): 5 min to a week. */
export const BLOG_INTERVAL_MIN_MINUTES = 5;
export const BLOG_INTERVAL_MAX_MINUTES = 7 * 24 * 60;

/**
 * The stored post dates merged with a feed document's: newest first, each once, at most
 * {@link POST_DATES_KEPT}. Dates more than a day ahead of `now` are left out (as posts.ts
 * does for a post's date): a post dated next year would read as a blog never quiet.
 */
export function mergePostDates(
  stored: readonly number[] | undefined,
  fresh: readonly (number | undefined)[],
  now: number,
): number[] {
  const dates = new Set<number>();
  for (const date of [...(stored ?? []), ...fresh]) {
    if (date !== undefined && Number.isFinite(date) && date > 0 && date <= now + DAY) {
      dates.add(date);
    }
  }
  return [...dates].sort((a, b) => b - a).slice(0, POST_DATES_KEPT);
}

/**
 * Stores a failed poll: one more failure, the problem in words, the backed-off next time, when
 * the run of failures began, and the request (unless `requested` is false: nothing was sent).
 * Nothing else changes: posts, read state, validators and the reading list stay as they were.
 */
async function recordFailure(
  feed: Feed,
  deps: PollDeps,
  problem: Omit<FeedProblem, 'at'>,
  {
    retryAfterMs,
    gone = false,
    requested = true,
  }: { retryAfterMs?: number; gone?: boolean; requested?: boolean } = {},
): Promise<PollOutcome> {
  const now = deps.now();
  const failures = feed.failures + 1;
  const error: FeedProblem = { ...problem, at: now };
  const delay = nextPollDelay({
    failures,
    baseIntervalMs: baseInterval(feed, deps),
    retryAfterMs,
    random: deps.random,
  });
  await deps.db.feeds.update(feed.id, {
    failures,
    lastError: error,
    lastCheckedAt: now,
    nextPollAt: now + delay,
    // Kept through a run of failures; a run is only as old as its first failure.
    failingSince: (feed.failures > 0 && feed.failingSince) || now,
    ...(requested && { requestDays: countRequest(feed.requestDays, now, false) }),
    ...(gone && { status: 'gone' as const }),
  });
  return { feedId: feed.id, status: 'failed', added: [], updated: 0, error, firstSuccess: false };
}

/**
 * A feed has succeeded before when its last poll succeeded, or when some poll stored a post.
 * (A feed added by import that failed its first polls has neither: its first success is
 * still the backlog.)
 */
function hasSucceededBefore(feed: Feed): boolean {
  return feed.lastNewPostAt > 0 || (feed.lastCheckedAt > 0 && feed.failures === 0);
}

/** Title, site URL: filled from the feed, without overwriting a name the user chose. */
function describedBy(feed: Feed, parsed: ParsedFeed): Partial<Feed> {
  const changes: Partial<Feed> = {};
  const title = cleanTitle(parsed.title);
  if (title && isPlaceholderTitle(feed)) changes.title = title;
  const siteUrl = safeHttpUrl(parsed.siteUrl);
  if (siteUrl && siteUrl !== feed.siteUrl) changes.siteUrl = siteUrl;
  return changes;
}

/** A title nobody chose: empty, the feed's URL, or its host name (as an import may set). */
export function isPlaceholderTitle(feed: Pick<Feed, 'title' | 'url'>): boolean {
  const title = feed.title.trim();
  if (!title || title === feed.url) return true;
  try {
    const host = new URL(feed.url).hostname;
    return title === host || title === host.replace(/^www\./, '');
  } catch {
    return false;
  }
}

/**
 * Permanent moves (HOSTILE-INPUTS.md A5): `fetch` shows only the final URL, not whether a hop
 * was a 301 or a 302, so the feed moves only after `REDIRECT_AGREEMENT` consecutive
 * successful polls ended at the same new URL, over at least `REDIRECT_MIN_SPAN_MS`. The old URL stays as an alias (duplicate check);
 * posts stay keyed to the feed record, so nothing is duplicated or lost. A move onto a URL
 * another followed feed already has is not made, nor a move from a public address onto a
 * private-network one (HOSTILE A16: the server, not the user, chose it).
 */
async function redirectChanges(
  db: DispatchDb,
  feed: Feed,
  finalUrl: string,
  now: number,
): Promise<Partial<Feed>> {
  const ignored = sameUrl(finalUrl, feed.url) || leadsToPrivate(feed.url, finalUrl);
  if (ignored) {
    return feed.redirectCandidate === undefined
      ? {}
      : { redirectCandidate: undefined, redirectCount: undefined, redirectSince: undefined };
  }
  const same = feed.redirectCandidate === finalUrl;
  const count = same ? (feed.redirectCount ?? 0) + 1 : 1;
  // A candidate recorded before `redirectSince` existed counts from now.
  const since = (same && feed.redirectSince) || now;
  const pending = { redirectCandidate: finalUrl, redirectCount: count, redirectSince: since };
  if (count < REDIRECT_AGREEMENT || now - since < REDIRECT_MIN_SPAN_MS) return pending;
  const owner = await findFeedByUrl(db, finalUrl);
  if (owner && owner.id !== feed.id) return pending;
  const aliases = feed.aliases.includes(feed.url) ? feed.aliases : [...feed.aliases, feed.url];
  return {
    url: finalUrl,
    aliases: aliases.filter((alias) => alias !== finalUrl),
    redirectCandidate: undefined,
    redirectCount: undefined,
    redirectSince: undefined,
  };
}

function leadsToPrivate(from: string, to: string): boolean {
  return !isPrivateAddress(from) && isPrivateAddress(to);
}

/** Same resource: equal once parsed (the fragment never reaches the server). */
function sameUrl(a: string, b: string): boolean {
  return withoutHash(a) === withoutHash(b);
}

/** `url` without its fragment (`url` as it is when it is no URL). */
export function withoutHash(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href;
  } catch {
    return url;
  }
}
