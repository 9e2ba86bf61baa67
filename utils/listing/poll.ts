/**
 * The worker's reading of a followed listing page (issue 6): a poll's read of the page
 * (`readListing`: posts, or drift in words), the fetch every other listing request goes
 * through (`fetchPage`: host access, host holds, the poll's limits, no private address reached
 * by a redirect), the backfill of older pages, and the queue of work done after an answer
 * (backfill, article measuring), which the user does not wait for.
 *
 * Depends on fetchFeed, the host holds, the extractor, `listingToNewPosts`, `nextPageUrl` and
 * the posts repository; `fetch`, `now` and `hasOrigin` come in `deps`.
 */
import { pollTables } from '@/utils/db/db';
import { feedPostIndex, postLinkKey, writePoll } from '@/utils/db/posts';
import type { FollowedListing, ListingDrift, NewPost } from '@/utils/db/types';
import { reportError } from '@/utils/errors';
import { decodeFeedBytes } from '@/utils/feed/decode';
import { isFeedError } from '@/utils/feed/types';
import { hostOf } from '@/utils/format';
import { isPrivateAddress } from '@/utils/http/address';
import { fetchFeed, type FetchErrorCode, type Validators } from '@/utils/http/fetch-feed';
import { checkDrift, extractPosts, type ListingExtractor } from '@/utils/listing/extract';
import { nextPageUrl } from '@/utils/listing/paginate';
import { listingToNewPosts } from '@/utils/listing/to-posts';
import { checkHostHold, heldMessage, recordHostHold } from '@/utils/poll/host-holds';
import { recordRequests } from '@/utils/poll/requests';
import { POLL_LOCK } from '@/utils/poll/lock';
import type { PollDeps } from '@/utils/poll/poll-feed';
import { isHtmlPage } from '@/utils/poll/read-feed';
import { serialised } from '@/utils/serialise';

/** Older pages a backfill reads after the listing page itself. */
export const BACKFILL_PAGES = 5;

/** What fetching a page of the blog needs: the poll's dependencies, less the reading speed. */
export type PageDeps = Pick<
  PollDeps,
  'db' | 'fetch' | 'now' | 'baseIntervalMs' | 'hasOrigin' | 'fetchLimits'
>;

/** Why a page was not read; `held`/`no-access`/`private`/`not-html` besides fetchFeed's codes. */
export type PageProblem = FetchErrorCode | 'held' | 'no-access' | 'private' | 'not-html';

export type PageFetch =
  | {
      ok: true;
      /** After redirects: relative links resolve against it. */
      url: string;
      html: string;
      validators: Validators;
      maxAgeMs?: number;
    }
  | {
      ok: false;
      code: PageProblem;
      /** In words, for the user: "Could not fetch https://…: the server answered 500." */
      message: string;
      /** Whether a request reached the network (the blog's health counts requests sent). */
      sent: boolean;
    };

/** Problems after which the host gets no further request in the same run of work. */
const HOST_DOWN: ReadonlySet<PageProblem> = new Set([
  'held',
  'no-access',
  'rate-limited',
  'timeout',
  'network',
]);

/** Whether a failed page fetch means "leave this host alone for now" (not just this page). */
export function isHostDown(code: PageProblem): boolean {
  return HOST_DOWN.has(code);
}

/**
 * Fetches a web page of a listing blog as a poll fetches a feed: only with host access, not
 * while the host asked every client to wait (a 429 or 503 it sends now holds it), with the
 * poll's limits, no validators. A public address that redirects to a private-network one is
 * not read (HOSTILE A16: the server chose it, not the user). Never throws for the network.
 *
 * `countFor`: the blog the page belongs to; a request that was sent is counted in its health
 * record here, so no caller can forget it (`requests.ts`).
 */
export async function fetchPage(
  url: string,
  deps: PageDeps,
  { countFor }: { countFor?: number } = {},
): Promise<PageFetch> {
  const page = await fetchUncounted(url, deps);
  if (countFor !== undefined && (page.ok || page.sent)) {
    await recordRequests(deps.db, countFor, 1, deps.now());
  }
  return page;
}

async function fetchUncounted(url: string, deps: PageDeps): Promise<PageFetch> {
  const failed = (code: PageProblem, message: string, sent = false): PageFetch => ({
    ok: false,
    code,
    message,
    sent,
  });
  if (deps.hasOrigin && !(await deps.hasOrigin(url))) {
    return failed('no-access', `Dispatch needs access to ${hostOf(url)} to read this page.`);
  }
  const hold = await checkHostHold(deps.db, url, deps.now());
  if (hold) return failed('held', `${capitalise(heldMessage(hold, deps.now()))}.`);

  const result = await fetchFeed(url, { ...deps.fetchLimits, fetch: deps.fetch, now: deps.now });
  if (result.kind === 'error') {
    const timing = { now: deps.now(), baseIntervalMs: deps.baseIntervalMs };
    await recordHostHold(deps.db, url, result.error, timing);
    const reason = result.error.message.replace(/\.$/, '');
    return failed(result.error.code, `Could not fetch ${url}: ${reason}.`, true);
  }
  if (result.kind === 'not-modified') {
    // Asked without validators: a server that answers 304 anyway gave nothing to read.
    return failed('http', `Could not fetch ${url}: it answered 304 without a page.`, true);
  }
  if (!isPrivateAddress(url) && isPrivateAddress(result.url)) {
    return failed(
      'private',
      `${url} redirected to ${result.url}, on a private network: Dispatch does not follow a public page there.`,
      true,
    );
  }
  const html = pageText(result.body, result.contentType);
  if (html === undefined || !isHtmlPage(html, result.contentType)) {
    return failed('not-html', `${url} did not return a web page.`, true);
  }
  return {
    ok: true,
    url: result.url,
    html,
    validators: result.validators,
    ...(result.maxAgeMs !== undefined && { maxAgeMs: result.maxAgeMs }),
  };
}

/**
 * A page's bytes as text, decoded as feeds are (BOM, then the HTTP charset, then UTF-8);
 * `undefined` when they cannot be.
 */
export function pageText(body: Uint8Array, contentType?: string): string | undefined {
  try {
    return decodeFeedBytes(body, contentType).text;
  } catch (error) {
    if (isFeedError(error)) return undefined;
    throw error;
  }
}

export type ListingRead =
  { ok: true; posts: NewPost[]; count: number } | { ok: false; reason: string; found: number };

/**
 * A poll's read of a followed listing page: its posts as the store keeps them, or — when the
 * page no longer fits the extractor (no cards, cards without title or link, fewer than half
 * the posts of the last good read: `checkDrift`) — why, in words, and how many posts it found.
 */
export function readListing(
  html: string,
  pageUrl: string,
  listing: FollowedListing,
  { wordsPerMinute }: { wordsPerMinute: number },
): ListingRead {
  const result = extractPosts(html, pageUrl, listing.extractor);
  const drift = checkDrift(listing.lastCount, result);
  if (drift) return { ok: false, reason: drift.reason, found: result.posts.length };
  return {
    ok: true,
    posts: listingToNewPosts(result.posts, { wordsPerMinute }),
    count: result.posts.length,
  };
}

/**
 * Whether two extractors are the same reading of a page: card path, count and fields (role,
 * path, sample) alike, in order. Whatever wrote them (a re-learn, the user's correction, a
 * sync or a backup), a difference in any of these is a different choice.
 */
export function sameExtractor(a: ListingExtractor, b: ListingExtractor): boolean {
  const key = ({ cards, count, fields }: ListingExtractor) =>
    JSON.stringify([cards, count, fields.map(({ role, path, sample }) => [role, path, sample])]);
  return key(a) === key(b);
}

/** The drift to record: the reason and count seen now, since when it was first seen. */
export function driftOf(
  listing: FollowedListing,
  { reason, found }: { reason: string; found: number },
  now: number,
): ListingDrift {
  return { reason, since: listing.drift?.since ?? now, found };
}

/** A page in hand: its address after redirects and its HTML. */
export interface ListingPage {
  url: string;
  html: string;
}

export interface BackfillResult {
  /** Posts stored (read) that the blog did not have. */
  added: number;
  /** Pages fetched (requests sent), for the blog's health record. */
  requests: number;
}

/**
 * Fills in a blog's older posts from its listing (issue 6): follows the page's "older posts"
 * link (`nextPageUrl`) up to {@link BACKFILL_PAGES} pages, on the page's own origin, and stores
 * the posts the blog does not have yet, read (they are the past, not news). A stored post is
 * never updated or relinked: a card whose link or guid a stored post of the blog has is
 * skipped. `includeFirst`: store the first page's own posts too (a feed followed from a site
 * page: the feed may hold only the latest few) — only when at least one of them is a post the
 * blog has (its link a stored post's, by `postLinkKey`): a site page's cards may list something
 * else (projects, talks, products), and then nothing is stored and no further page requested.
 * Stops at the first page that fails or gives no post, or when the blog is removed.
 */
export async function backfillListing(
  feedId: number,
  first: ListingPage,
  extractor: ListingExtractor,
  deps: PageDeps & Pick<PollDeps, 'wordsPerMinute'>,
  { includeFirst = false }: { includeFirst?: boolean } = {},
): Promise<BackfillResult> {
  const origin = new URL(first.url).origin;
  const seen = new Set([first.url]);
  const outcome: BackfillResult = { added: 0, requests: 0 };
  const store = async (page: ListingPage, mustOverlap = false): Promise<boolean> => {
    const { posts } = extractPosts(page.html, page.url, extractor);
    if (posts.length === 0) return false;
    const stored = await storeOlderPosts(
      deps,
      feedId,
      listingToNewPosts(posts, { wordsPerMinute: deps.wordsPerMinute }),
      mustOverlap,
    );
    if (stored === undefined) return false;
    outcome.added += stored;
    return true;
  };

  if (includeFirst && !(await store(first, true))) return outcome;
  let page = first;
  for (let n = 0; n < BACKFILL_PAGES; n += 1) {
    const next = nextPageUrl(page.html, page.url);
    if (!next || new URL(next).origin !== origin || seen.has(next)) break;
    seen.add(next);
    const fetched = await fetchPage(next, deps, { countFor: feedId });
    if (fetched.ok || fetched.sent) outcome.requests += 1;
    if (!fetched.ok || new URL(fetched.url).origin !== origin) break;
    // Redirected to a page already read: the pages loop.
    if (fetched.url !== next && seen.has(fetched.url)) break;
    seen.add(fetched.url);
    page = fetched;
    if (!(await store(page))) break;
  }
  return outcome;
}

/**
 * Adds, read, the posts whose link and guid no stored post of the blog has, in one
 * transaction with the check. `undefined` when the blog is gone, or when `mustOverlap` and no
 * post's link is a stored post's (the page is not the blog's list).
 */
async function storeOlderPosts(
  { db, now }: Pick<PageDeps, 'db' | 'now'>,
  feedId: number,
  posts: NewPost[],
  mustOverlap: boolean,
): Promise<number | undefined> {
  return db.transaction('rw', pollTables(db), async () => {
    if (!(await db.feeds.get(feedId))) return undefined;
    const { links, oldest } = await feedPostIndex(db, feedId);
    if (mustOverlap && !sharesALink(posts, links)) return undefined;
    const guids = new Set(
      (
        await db.posts
          .where('[feedId+guid]')
          .anyOf(posts.map((post) => [feedId, post.guid]))
          .toArray()
      ).map((post) => post.guid),
    );
    const fresh = posts.filter((post) => {
      const key = postLinkKey(post.url);
      if (guids.has(post.guid) || (key !== undefined && links.has(key))) return false;
      if (key !== undefined) links.add(key);
      return true;
    });
    if (fresh.length === 0) return 0;
    const at = now();
    // An older page's undated cards go before every stored post, in page order: stamped with
    // the time they were found, they would list above the posts the blog already had.
    const before = Math.min(oldest, at);
    fresh.forEach((post, index) => {
      if (post.publishedAt === undefined) post.publishedAt = before - 1 - index;
    });
    const { added } = await writePoll(db, feedId, {
      posts: fresh,
      feed: {},
      now: at,
      addAsReadAt: at,
    });
    return added.length;
  });
}

/**
 * Whether one of `posts` has a link among `links` (the `postLinkKey`s of a blog's stored
 * posts, `feedPostIndex`): whether a reading of a page lists the blog's posts at all.
 */
export function sharesALink(posts: readonly NewPost[], links: ReadonlySet<string>): boolean {
  return posts.some((post) => {
    const key = postLinkKey(post.url);
    return key !== undefined && links.has(key);
  });
}

let pending: Promise<void> = Promise.resolve();

/**
 * Runs `task` after the work queued before it, once the current answer is on its way: a
 * backfill or article measuring the user should not wait for. One task at a time, each under
 * the poll lock ({@link POLL_LOCK}): the poll cycle sends one request at a time per host, and
 * this work reads the same blogs' pages, so a poll waits for it and it waits for a poll (else
 * "Refresh" during a backfill would send the host two requests at once). A failure is reported
 * (`what` names it) and does not stop the queue. Kept in the worker's memory on purpose: it is
 * best-effort extra reading, and a worker stopped mid-way loses nothing stored.
 */
export function queueListingWork(what: string, task: () => Promise<unknown>): void {
  pending = pending
    .then(() => serialised(POLL_LOCK, task))
    .then(
      () => undefined,
      (error: unknown) => reportError(error, what),
    );
}

/** Resolves once every queued listing task has run, including tasks queued meanwhile. */
export async function listingWorkDone(): Promise<void> {
  let seen: Promise<void>;
  do {
    seen = pending;
    await seen;
  } while (seen !== pending);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
