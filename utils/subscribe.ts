/**
 * Following a blog from whatever the user pasted: a feed URL, a site URL (autodiscovery from
 * its `<link rel="alternate">` or its `Link` header), or a site without links (common feed
 * paths). The response that turned out to be the feed is stored at once, so subscribing costs
 * one GET of the feed, not two (HOSTILE-INPUTS.md A9, A13, A16, E46).
 *
 * A site with no feed whose page lists posts (issue 6) is offered to be followed as a page
 * (`code: 'listing'`, with a preview; `utils/listing/follow.ts` follows it). A feed found from
 * a site page whose posts can be read there gets its older posts filled in from the page, read,
 * after the answer (the feed may hold only the latest few).
 *
 * Depends on fetchFeed, the parser and discovery, the listing learner and preview, the feeds,
 * posts and hosts repositories; `fetch`, `now` and `hasOrigin` (host permission) are
 * parameters.
 */
import { refreshBadge } from '@/utils/badge';
import { addFeedWithPosts, findFeedByUrl, type NewFeed } from '@/utils/db/feeds';
import type { Feed, NewPost, Post } from '@/utils/db/types';
import { COMMON_FEED_PATHS, discoverFeedLinks, type DiscoveredFeed } from '@/utils/feed/discover';
import type { ParsedFeed } from '@/utils/feed/types';
import { originPattern, plural } from '@/utils/format';
import { isPrivateAddress } from '@/utils/http/address';
import { nextPollDelay } from '@/utils/http/backoff';
import { fetchFeed, type FetchResult, type Validators } from '@/utils/http/fetch-feed';
import { feedLinksFromHeader } from '@/utils/http/link-header';
import { learnExtractor } from '@/utils/listing/learn';
import { backfillListing, queueListingWork, type ListingPage } from '@/utils/listing/poll';
import { buildPreview } from '@/utils/listing/preview';
import type { FeedChoice, SubscribeResult } from '@/utils/messaging';
import { checkHostHold, heldMessage, recordHostHold } from '@/utils/poll/host-holds';
import { defaultPollDeps } from '@/utils/poll/poll-all';
import { mergePostDates, withoutHash, type PollDeps } from '@/utils/poll/poll-feed';
import { readFeed } from '@/utils/poll/read-feed';
import { countRequest } from '@/utils/poll/requests';
import { cleanTitle, toNewPosts } from '@/utils/poll/to-posts';
import { parseWebAddress, safeHttpUrl } from '@/utils/url';

/**
 * The poll dependencies (the regular interval says when the new feed is polled next), with
 * `hasOrigin` required: whether the extension holds host access for a URL's origin; `later`
 * runs the work that follows an answer (a backfill), by default on the listing work queue
 * (`queueListingWork`).
 */
export type SubscribeDeps = PollDeps &
  Required<Pick<PollDeps, 'hasOrigin'>> & {
    later?: (what: string, task: () => Promise<unknown>) => void;
  };

type Failure = Extract<SubscribeResult, { ok: false }>;
type Fetched = Extract<FetchResult, { kind: 'ok' }>;

/** What one tried address gave, for the "No feed found" sentence. */
interface Attempt {
  url: string;
  outcome: string;
}

/** A fetch error that means the host is not worth asking again right now. */
const HOST_DOWN_CODES = new Set(['timeout', 'network', 'rate-limited']);

/** How many tried addresses the "No feed found" sentence names before "and N more". */
const NAMED_ATTEMPTS = 3;

/** What a skipped private-network candidate says in the "No feed found" sentence. */
export const PRIVATE_SKIPPED =
  'was not followed: it is on a private network and a public site pointed to it (paste it yourself if you trust it)';

/**
 * Finds the feed at or behind `input`, follows it and stores its posts. Every failure is a
 * value with a sentence for the user. The user may follow a private-network address they
 * typed (a blog on the LAN, the demo on 127.0.0.1), but a public address cannot lead us to
 * one, neither by a feed link nor by a redirect: such a feed is named in the answer, so the
 * user can paste it themselves, and never followed silently.
 */
export async function subscribe(input: string, deps: SubscribeDeps): Promise<SubscribeResult> {
  const pasted = normaliseInput(input);
  if (typeof pasted === 'string') return failure('invalid-url', pasted);
  const url = pasted.href;

  const known = await findFeedByUrl(deps.db, url);
  if (known) return alreadyFollowed(known);
  if (!(await deps.hasOrigin(url))) return needsPermission(url);

  const tried = new Set<string>();
  const fetchOnce = async (target: string): Promise<FetchResult | undefined> => {
    if (tried.has(withoutHash(target))) return undefined;
    tried.add(withoutHash(target));
    // A host that asked every client to wait gets no request from subscribing either.
    const hold = await checkHostHold(deps.db, target, deps.now());
    if (hold) {
      const message = heldMessage(hold, deps.now());
      return { kind: 'error', error: { code: 'rate-limited', message } };
    }
    const result = await fetchFeed(target, { fetch: deps.fetch, now: deps.now });
    if (result.kind === 'error') {
      const timing = { now: deps.now(), baseIntervalMs: deps.baseIntervalMs };
      await recordHostHold(deps.db, target, result.error, timing);
    } else {
      tried.add(withoutHash(result.url));
    }
    return result;
  };

  // Typed by the user: a private address is theirs to follow. Reached by a redirect or a
  // link from a public one: the server chose it, so it is only named, not followed.
  const typedIsPrivate = isPrivateAddress(url);
  const leadsToPrivate = (target: string): boolean => !typedIsPrivate && isPrivateAddress(target);

  const first = await fetchOnce(url);
  if (!first || first.kind !== 'ok') {
    const reason = first?.kind === 'error' ? first.error.message : 'it answered without a body';
    return failure('fetch-failed', `Could not fetch ${url}: ${reason.replace(/\.$/, '')}.`);
  }
  if (leadsToPrivate(first.url)) {
    return failure('not-found', `${url} redirected to ${first.url}, which ${PRIVATE_SKIPPED}.`);
  }
  const page = readFeed(first.body, { url: first.url, contentType: first.contentType });
  if (page.kind === 'feed') return follow(url, first, page.parsed, undefined, deps);

  const attempts: Attempt[] = [];
  const notes: string[] = [];

  /** Tries one candidate: the feed found, a result to return now, or undefined to go on. */
  const tryCandidate = async (
    candidate: string,
  ): Promise<{ found: Fetched; parsed: ParsedFeed } | Failure | 'stop' | undefined> => {
    if (leadsToPrivate(candidate)) {
      attempts.push({ url: candidate, outcome: PRIVATE_SKIPPED });
      return undefined;
    }
    const followedFeed = await findFeedByUrl(deps.db, candidate);
    if (followedFeed) return alreadyFollowed(followedFeed);
    if (new URL(candidate).origin !== pasted.origin && !(await deps.hasOrigin(candidate))) {
      return needsPermission(candidate);
    }
    const result = await fetchOnce(candidate);
    if (!result) return undefined;
    if (result.kind === 'error') {
      const { status, message, code } = result.error;
      attempts.push({
        url: candidate,
        outcome: status ? `answered ${status}` : `failed (${message})`,
      });
      return HOST_DOWN_CODES.has(code) ? 'stop' : undefined;
    }
    if (result.kind !== 'ok') return undefined;
    if (leadsToPrivate(result.url)) {
      attempts.push({ url: result.url, outcome: PRIVATE_SKIPPED });
      return undefined;
    }
    const read = readFeed(result.body, { url: result.url, contentType: result.contentType });
    if (read.kind === 'feed') return { found: result, parsed: read.parsed };
    attempts.push({
      url: candidate,
      outcome: read.kind === 'html' ? 'returned a web page' : 'returned no feed',
    });
    return undefined;
  };

  const candidates: string[] = [];
  const headerLinks = feedLinksFromHeader(first.link, first.url);
  if (page.kind === 'html') {
    const advertised = advertisedFeeds(discoverFeedLinks(page.text, first.url), headerLinks);
    const links = advertised.map((choice) => choice.url);
    const offered = advertised.filter((choice) => !leadsToPrivate(choice.url));
    if (offered.length > 1) return chooseAmong(first.url, offered);
    notes.push(
      links.length === 0
        ? 'the page links to no feed'
        : `the page links to ${plural(links.length, 'feed')}`,
    );
    candidates.push(...links);
  } else {
    notes.push(`it is not a feed (${lowerFirst(page.message)})`);
    candidates.push(...headerLinks);
  }
  candidates.push(...commonFeedUrls(first.url));

  for (const candidate of candidates) {
    const outcome = await tryCandidate(candidate);
    if (outcome === 'stop') break;
    if (outcome === undefined) continue;
    if ('ok' in outcome) return outcome;
    const result = await follow(
      candidate,
      outcome.found,
      outcome.parsed,
      page.kind === 'html' ? first.url : undefined,
      deps,
    );
    if (result.ok && page.kind === 'html') {
      backfillFromPage(result.feedId, { url: first.url, html: page.text }, deps);
    }
    return result;
  }
  const message = notFoundMessage(url, first.url, notes, attempts);
  if (page.kind !== 'html') return failure('not-found', message);
  const listing = buildPreview(page.text, first.url);
  if (!listing.ok) return failure('not-found', message);
  return {
    ok: false,
    code: 'listing',
    message: `No feed found at ${url}, but the page lists posts: Dispatch can follow the page itself.`,
    listing: listing.preview,
  };
}

/**
 * After following a feed found from a site page: when the page lists posts (a learnable
 * listing) and the list is the blog's (one of its links is a post the feed gave), its posts and
 * older pages fill in the posts the feed no longer carries, read. A list of something else
 * (projects, talks) is left alone, silently (`backfillListing`'s `includeFirst`). Queued: the
 * user has their answer already.
 */
function backfillFromPage(feedId: number, page: ListingPage, deps: SubscribeDeps): void {
  const learned = learnExtractor(page.html, page.url);
  if (!learned.ok) return;
  const later = deps.later ?? queueListingWork;
  later(`backfill of feed ${feedId}`, async () => {
    await backfillListing(feedId, page, learned.extractor, deps, { includeFirst: true });
  });
}

/**
 * The feeds a page advertises, in its order (its `<link>`s, then the `Link` header), one per
 * URL, http(s) only.
 */
function advertisedFeeds(links: DiscoveredFeed[], headerLinks: string[]): FeedChoice[] {
  const choices = new Map<string, FeedChoice>();
  for (const link of links) {
    const url = safeHttpUrl(link.url);
    if (url && !choices.has(url)) {
      choices.set(url, { url, type: link.type, ...(link.title && { title: link.title }) });
    }
  }
  for (const url of headerLinks) if (!choices.has(url)) choices.set(url, { url, type: 'unknown' });
  return [...choices.values()];
}

/**
 * A page that advertises several feeds (posts and comments, or one blog in RSS and Atom): the
 * user chooses; guessing would follow the comments as often as the posts. Nothing is fetched
 * beyond the page, so the choice costs the site no request.
 */
function chooseAmong(pageUrl: string, choices: FeedChoice[]): SubscribeResult {
  return {
    ok: false,
    code: 'choose',
    message: `${new URL(pageUrl).host} offers ${choices.length} feeds: choose the one to follow.`,
    choices,
  };
}

/**
 * Stores the feed and the posts of the response already in hand, in one transaction: either
 * the blog is followed with its posts, or nothing changed. `pageUrl` is the page the user
 * pasted, the site URL when the feed names none.
 */
async function follow(
  feedUrl: string,
  response: Fetched,
  parsed: ParsedFeed,
  pageUrl: string | undefined,
  deps: SubscribeDeps,
): Promise<SubscribeResult> {
  const { db } = deps;
  for (const known of [feedUrl, response.url]) {
    const existing = await findFeedByUrl(db, known);
    if (existing) return alreadyFollowed(existing);
  }
  const title = cleanTitle(parsed.title) || new URL(feedUrl).hostname;
  const siteUrl = safeHttpUrl(parsed.siteUrl) ?? pageUrl ?? new URL(response.url).origin + '/';
  const stored = await storeNewBlog(
    { url: feedUrl, title, siteUrl, kind: parsed.format },
    {
      posts: toNewPosts(parsed, { wordsPerMinute: deps.wordsPerMinute }),
      response,
      dates: parsed.items.map((item) => item.publishedAt),
      ...(parsed.publisherIntervalMs !== undefined && {
        feed: { publisherIntervalMs: parsed.publisherIntervalMs },
      }),
    },
    deps,
  );
  return 'ok' in stored
    ? stored
    : { ok: true, feedId: stored.feed.id, title, added: stored.added.length };
}

/** The first response of a blog being followed, and what it gave. */
export interface FirstRead {
  /** Its posts, as the store keeps them: stored unread, not announced (they are the backlog). */
  posts: NewPost[];
  /** The response's validators and cache lifetime. */
  response: { validators: Validators; maxAgeMs?: number };
  /** The posts' dates, which start the blog's rhythm. */
  dates: (number | undefined)[];
  /** More fields of the blog record (a listing's extractor, a feed's publisher interval). */
  feed?: Partial<Omit<Feed, 'id'>>;
}

/**
 * Stores a newly followed blog with the posts of the response already in hand, in one
 * transaction: either the blog is followed with its posts, or nothing changed. That response
 * was the blog's first request, sent without validators (unconditional), and it is counted in
 * the blog's health record; the next check is one regular interval away, or later when the
 * server asked (max-age). Shared by following a feed and following a listing page, so that
 * both start a blog alike. Two follows of the same blog at once: the unique URL index lets one
 * win, and the other answers "already followed".
 */
export async function storeNewBlog(
  blog: NewFeed,
  { posts, response, dates, feed: fields }: FirstRead,
  deps: SubscribeDeps,
): Promise<{ feed: Feed; added: Post[] } | Failure> {
  const now = deps.now();
  const { etag, lastModified } = response.validators;
  try {
    return await addFeedWithPosts(deps.db, blog, {
      posts,
      feed: {
        ...fields,
        ...(etag !== undefined && { etag }),
        ...(lastModified !== undefined && { lastModified }),
        lastUnconditionalAt: now,
        lastCheckedAt: now,
        requestDays: countRequest(undefined, now, false),
        recentPostDates: mergePostDates(undefined, dates, now),
        nextPollAt:
          now +
          nextPollDelay({
            failures: 0,
            baseIntervalMs: deps.baseIntervalMs,
            maxAgeMs: response.maxAgeMs,
          }),
      },
      now,
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'ConstraintError') {
      const existing = await findFeedByUrl(deps.db, blog.url);
      if (existing) return alreadyFollowed(existing);
    }
    throw error;
  }
}

/** What the user typed, read by `parseWebAddress`; a sentence when it cannot be followed. */
export function normaliseInput(input: string): URL | string {
  const url = parseWebAddress(input);
  if (typeof url !== 'string') return url;
  const pasted = input.trim();
  switch (url) {
    case 'empty':
      return 'Paste the address of a blog or of its feed.';
    case 'not-web':
      return `Only http and https addresses can be followed, not ${pasted.split(':')[0]}:`;
    case 'credentials':
      return 'Addresses with a user name or password in them are not supported.';
    case 'invalid':
      return `“${pasted}” is not a web address.`;
  }
}

/**
 * Common feed locations: at the site's root first, then in the page's directory when that is
 * not the root (a blog under `/blog/`).
 */
function commonFeedUrls(pageUrl: string): string[] {
  const page = new URL(pageUrl);
  const directory = page.pathname.replace(/[^/]*$/, '');
  const bases = directory === '/' ? ['/'] : ['/', directory];
  const urls = bases.flatMap((base) =>
    COMMON_FEED_PATHS.map((path) => new URL(base.replace(/\/$/, '') + path, page.origin).href),
  );
  return [...new Set(urls)];
}

function notFoundMessage(
  url: string,
  pageUrl: string,
  notes: string[],
  attempts: Attempt[],
): string {
  const origin = new URL(pageUrl).origin;
  const shown = (target: string): string => {
    const parsed = new URL(target);
    return parsed.origin === origin ? parsed.pathname + parsed.search : parsed.href;
  };
  // Consecutive attempts with the same outcome read as one clause: "/feed.xml, /rss.xml … answered 404".
  const groups: { outcome: string; urls: string[] }[] = [];
  for (const { url: target, outcome } of attempts) {
    const last = groups.at(-1);
    if (last?.outcome === outcome) last.urls.push(shown(target));
    else groups.push({ outcome, urls: [shown(target)] });
  }
  const clauses = groups.map(({ outcome, urls }) => `${listNames(urls)} ${outcome}`);
  return `No feed found at ${url}: ${[...notes, ...clauses].join('; ')}.`;
}

function listNames(names: string[]): string {
  if (names.length === 1) return names[0] ?? '';
  if (names.length <= NAMED_ATTEMPTS) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${names.slice(0, NAMED_ATTEMPTS).join(', ')} and ${names.length - NAMED_ATTEMPTS} more`;
}

/** The answer when `feed` is followed already: its title and address, and its id. */
export function alreadyFollowed(feed: Feed): Failure {
  return {
    ok: false,
    code: 'already-followed',
    message: `You already follow ${feed.title} (${feed.url}).`,
    feedId: feed.id,
  };
}

function needsPermission(url: string): Failure {
  const origin = originPattern(url);
  return {
    ok: false,
    code: 'needs-permission',
    message: `Dispatch needs access to ${new URL(url).hostname} to read this feed.`,
    origin,
  };
}

/** A refusal with its `code` and the sentence for the user. */
export function failure(code: Failure['code'], message: string): Failure {
  return { ok: false, code, message };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '');
}

/** The `subscribe` message: follows with the production dependencies, then updates the badge. */
export async function subscribeFromMessage({ url }: { url: string }): Promise<SubscribeResult> {
  const deps: SubscribeDeps = await defaultPollDeps();
  const result = await subscribe(url, deps);
  if (result.ok) await refreshBadge(deps.db);
  return result;
}
