/**
 * A blog's health in words (issue 5): when it was checked and will be next, its last post,
 * what its requests cost the server, what went wrong and why, and whether it has gone quiet
 * against its own rhythm. Pure: the options page renders `describeHealth`, the popup's header
 * `popupAlert`. The popup imports this on its first paint, so it stays free of Dexie and of
 * anything heavy: it depends only on the record types, `utils/format.ts` and `rhythm.ts`.
 */
import type { Feed } from '@/utils/db/types';
import { blogTitle, formatRelativeTime, plural } from '@/utils/format';
import { quietness } from '@/utils/poll/rhythm';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A blog failing this long is flagged in the popup, not only on the options page. */
export const ALERT_AFTER_MS = DAY;

/**
 * The drift alarm of a blog followed through its listing page (issue 6): flagged at once, not
 * after a day, because nothing new is stored until the user re-learns the page.
 */
export const LAYOUT_CHANGED = 'the page layout changed — re-learn?';

/** What the options page says about one blog, line by line; each line is plain text. */
export interface FeedHealth {
  /** "Checked 5 min ago" / "Not checked yet". */
  lastChecked: string;
  /** "Last new post 3 days ago" / "No new post yet". */
  lastNewPost: string;
  /** "Next check in 25 min" / "Next check: due now" / "Not checked any more: the feed is gone". */
  nextCheck: string;
  /** "12 requests in the last 7 days, 10 answered 304 (not modified)". */
  requests: string;
  /** The last error with its cause: "Failing since yesterday (4 failed checks): The server answered 503…". */
  problem?: string;
  /** "Quiet for 3 weeks; usually posts every 5 days". */
  quiet?: string;
}

/**
 * The blog's health at `now`. "Last new post" is the newest publication date the feed gave
 * (`recentPostDates`), so a blog subscribed to today whose last post is a year old does not
 * read "Last new post just now"; a feed without dates falls back to when a poll last found a
 * new post. "Requests in the last 7 days" sums today and the 6 UTC days before it.
 */
export function describeHealth(feed: Feed, now: number): FeedHealth {
  const gone = feed.status === 'gone';
  const newest = feed.recentPostDates?.length
    ? Math.max(...feed.recentPostDates)
    : feed.lastNewPostAt;
  // A drifting listing stores nothing new: its silence is the drift's, said on its own line.
  const quiet =
    gone || feed.listing?.drift ? undefined : quietness(feed.recentPostDates ?? [], now);
  const health: FeedHealth = {
    lastChecked:
      feed.lastCheckedAt > 0
        ? `Checked ${formatRelativeTime(feed.lastCheckedAt, now)}`
        : 'Not checked yet',
    lastNewPost:
      newest > 0 ? `Last new post ${formatRelativeTime(newest, now)}` : 'No new post yet',
    nextCheck: gone
      ? 'Not checked any more: the feed is gone'
      : feed.nextPollAt <= now
        ? 'Next check: due now'
        : `Next check in ${formatSpan(feed.nextPollAt - now)}`,
    requests: requestsLine(feed, now),
  };
  const problem = problemLine(feed, now);
  if (problem) health.problem = problem;
  if (quiet) {
    health.quiet = `Quiet for ${formatSpan(quiet.silenceMs)}; usually posts ${every(quiet.usualGapMs)}`;
  }
  return health;
}

/**
 * True when the popup should flag the blog: gone, its listing page's layout changed (at
 * once), or failing for {@link ALERT_AFTER_MS}.
 */
export function needsAttention(feed: Feed, now: number): boolean {
  return (
    feed.status === 'gone' ||
    feed.listing?.drift !== undefined ||
    (feed.failingSince !== undefined && now - feed.failingSince >= ALERT_AFTER_MS)
  );
}

/**
 * What the popup header flags ('' when nothing): a blog failing for a day or more, gone (410),
 * or whose listing page changed its layout: "Edge Notes has been failing since yesterday" /
 * "Edge Notes is gone (HTTP 410)" / "Edge Notes: the page layout changed — re-learn?" /
 * "3 blogs need attention". Plain text.
 */
export function popupAlert(feeds: readonly Feed[], now: number): string {
  const flagged = feeds.filter((feed) => needsAttention(feed, now));
  const [feed] = flagged;
  if (!feed) return '';
  if (flagged.length > 1) return `${flagged.length} blogs need attention`;
  const title = blogTitle(feed);
  if (feed.status === 'gone') return `${title} is gone (HTTP 410)`;
  if (feed.listing?.drift) return `${title}: ${LAYOUT_CHANGED}`;
  return `${title} has been failing ${since(feed.failingSince ?? now, now)}`;
}

function requestsLine(feed: Feed, now: number): string {
  const today = Math.floor(now / DAY);
  let requests = 0;
  let notModified = 0;
  for (const entry of feed.requestDays ?? []) {
    if (entry.day > today - 7 && entry.day <= today) {
      requests += entry.requests;
      notModified += entry.notModified;
    }
  }
  if (requests === 0) return 'No requests in the last 7 days';
  const line = `${plural(requests, 'request')} in the last 7 days`;
  return notModified > 0 ? `${line}, ${notModified} answered 304 (not modified)` : line;
}

/**
 * The last error with how long the trouble has lasted and, where its message does not say
 * it, its likely cause. A host hold is no failure of this blog: its message alone.
 */
function problemLine(feed: Feed, now: number): string | undefined {
  const error = feed.lastError;
  if (!error) return undefined;
  const cause = causeOf(error.code, error.message);
  const text = cause ? `${error.message.replace(/\.$/, '')}; ${cause}` : error.message;
  if (feed.status === 'gone') return `Gone ${since(error.at, now)}: ${text}`;
  if (feed.failures === 0) return text;
  const count = plural(feed.failures, 'failed check');
  return `Failing ${since(feed.failingSince ?? error.at, now)} (${count}): ${text}`;
}

/**
 * Short causes by problem code (utils/http/fetch-feed.ts `FetchErrorCode`, the parser's
 * `FeedErrorCode`), for messages that say what happened but not why. Codes whose messages
 * already say both (`gone`, `redirect-loop`, `bad-url`, `no-access`, `host-held`, `empty`,
 * the storage codes) have none.
 */
const CAUSES: ReadonlyMap<string, string> = new Map([
  ['timeout', 'the server may be down or overloaded'],
  ['network', 'the site may be down, or this computer offline'],
  ['too-large', 'Dispatch does not read feeds that large'],
  ['rate-limited', 'the server is busy or limiting requests, so Dispatch asks less often'],
  ['not-a-feed', 'the blog may have moved its feed; add it again from its site'],
  ['invalid-json', 'the blog’s feed is broken'],
  ['invalid-structure', 'the blog’s feed is broken'],
  ['unsupported-encoding', 'the feed is in a text encoding Dispatch cannot read'],
]);

function causeOf(code: string, message: string): string | undefined {
  if (code !== 'http') return CAUSES.get(code);
  const status = Number(/\b([1-5]\d\d)\b/.exec(message)?.[1]);
  if (status === 404) return 'the feed is no longer at this address';
  if (status === 401 || status === 403) return 'the blog does not let Dispatch read its feed';
  if (status >= 500) return 'a problem on the blog’s server';
  return undefined;
}

/** "for 3 h", "since yesterday", "for 5 days": how long something has lasted. */
function since(then: number, now: number): string {
  const elapsed = now - then;
  return elapsed >= DAY && elapsed < 2 * DAY ? 'since yesterday' : `for ${formatSpan(elapsed)}`;
}

/** "every day", "every 5 days", "every week", "every 2 weeks", "every hour". */
function every(ms: number): string {
  const span = formatSpan(ms);
  if (span === '7 days') return 'every week';
  if (!span.startsWith('1 ')) return `every ${span}`;
  const unit = span.slice(2);
  return `every ${unit === 'min' ? 'minute' : unit === 'h' ? 'hour' : unit}`;
}

/**
 * A length of time in the largest unit that reads well, rounded: "25 min", "3 h", "5 days",
 * "3 weeks", "4 months", "2 years". Days up to two weeks, weeks up to two months.
 */
export function formatSpan(ms: number): string {
  if (ms < HOUR) return `${Math.max(1, Math.round(ms / MINUTE))} min`;
  if (ms < DAY) return `${Math.round(ms / HOUR)} h`;
  if (ms < 14 * DAY) return plural(Math.round(ms / DAY), 'day');
  if (ms < 60 * DAY) return plural(Math.round(ms / (7 * DAY)), 'week');
  if (ms < 365 * DAY) return plural(Math.round(ms / (30.44 * DAY)), 'month');
  return plural(Math.round(ms / (365.25 * DAY)), 'year');
}
