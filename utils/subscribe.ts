/**
 * Following a blog from whatever the user pasted: a feed URL, a site URL (autodiscovery from
 * its `<link rel="alternate">`), or a site without links (common feed paths). The response
 * that turned out to be the feed is stored at once, so subscribing costs one GET of the feed,
 * not two (HOSTILE-INPUTS.md A9, A13, A16, E46).
 *
 * Depends on fetchFeed, the parser and discovery, the feeds and posts repositories; `fetch`,
 * `now` and `hasOrigin` (host permission) are parameters.
 */
import { refreshBadge } from '@/utils/badge';
import { addFeedWithPosts, findFeedByUrl } from '@/utils/db/feeds';
import type { Feed } from '@/utils/db/types';
import { COMMON_FEED_PATHS, discoverFeedLinks } from '@/utils/feed/discover';
import type { ParsedFeed } from '@/utils/feed/types';
import { originPattern, plural } from '@/utils/format';
import { nextPollDelay } from '@/utils/http/backoff';
import { fetchFeed, type FetchResult } from '@/utils/http/fetch-feed';
import type { SubscribeResult } from '@/utils/messaging';
import { defaultPollDeps } from '@/utils/poll/poll-all';
import type { PollDeps } from '@/utils/poll/poll-feed';
import { readFeed } from '@/utils/poll/read-feed';
import { toNewPosts } from '@/utils/poll/to-posts';
import { parseWebAddress, safeHttpUrl } from '@/utils/url';

/**
 * The poll dependencies (the regular interval says when the new feed is polled next), with
 * `hasOrigin` required: whether the extension holds host access for a URL's origin.
 */
export type SubscribeDeps = PollDeps & Required<Pick<PollDeps, 'hasOrigin'>>;

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

/**
 * Finds the feed at or behind `input`, follows it and stores its posts. Every failure is a
 * value with a sentence for the user. The user may follow a private-network address they
 * typed (a blog on the LAN, the demo on 127.0.0.1), but a public page cannot lead us to one.
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
    const result = await fetchFeed(target, { fetch: deps.fetch, now: deps.now });
    if (result.kind !== 'error') tried.add(withoutHash(result.url));
    return result;
  };

  const first = await fetchOnce(url);
  if (!first || first.kind !== 'ok') {
    const reason = first?.kind === 'error' ? first.error.message : 'it answered without a body';
    return failure('fetch-failed', `Could not fetch ${url}: ${reason.replace(/\.$/, '')}.`);
  }
  const page = readFeed(first.body, { url: first.url, contentType: first.contentType });
  if (page.kind === 'feed') return follow(url, first, page.parsed, undefined, deps);

  const attempts: Attempt[] = [];
  const notes: string[] = [];
  const pageIsPrivate = isPrivateAddress(url) || isPrivateAddress(first.url);

  /** Tries one candidate: the feed found, a result to return now, or undefined to go on. */
  const tryCandidate = async (
    candidate: string,
  ): Promise<{ found: Fetched; parsed: ParsedFeed } | Failure | 'stop' | undefined> => {
    if (!pageIsPrivate && isPrivateAddress(candidate)) {
      attempts.push({
        url: candidate,
        outcome: 'was skipped (a private-network address linked from a public page)',
      });
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
    const read = readFeed(result.body, { url: result.url, contentType: result.contentType });
    if (read.kind === 'feed') return { found: result, parsed: read.parsed };
    attempts.push({
      url: candidate,
      outcome: read.kind === 'html' ? 'returned a web page' : 'returned no feed',
    });
    return undefined;
  };

  const candidates: string[] = [];
  if (page.kind === 'html') {
    const links = discoverFeedLinks(page.text, first.url)
      .map((link) => safeHttpUrl(link.url))
      .filter((link): link is string => link !== undefined);
    notes.push(
      links.length === 0
        ? 'the page links to no feed'
        : `the page links to ${plural(links.length, 'feed')}`,
    );
    candidates.push(...links);
  } else {
    notes.push(`it is not a feed (${lowerFirst(page.message)})`);
  }
  candidates.push(...commonFeedUrls(first.url));

  for (const candidate of candidates) {
    const outcome = await tryCandidate(candidate);
    if (outcome === 'stop') break;
    if (outcome === undefined) continue;
    if ('ok' in outcome) return outcome;
    return follow(
      candidate,
      outcome.found,
      outcome.parsed,
      page.kind === 'html' ? first.url : undefined,
      deps,
    );
  }
  return failure('not-found', notFoundMessage(url, first.url, notes, attempts));
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
  const now = deps.now();
  const title = parsed.title.replace(/\s+/g, ' ').trim() || new URL(feedUrl).hostname;
  const siteUrl = safeHttpUrl(parsed.siteUrl) ?? pageUrl ?? new URL(response.url).origin + '/';
  const { etag, lastModified } = response.validators;
  try {
    const { feed, added } = await addFeedWithPosts(
      db,
      { url: feedUrl, title, siteUrl, kind: parsed.format },
      {
        posts: toNewPosts(parsed, { wordsPerMinute: deps.wordsPerMinute }),
        feed: {
          ...(etag !== undefined && { etag }),
          ...(lastModified !== undefined && { lastModified }),
          lastCheckedAt: now,
          nextPollAt:
            now +
            nextPollDelay({
              failures: 0,
              baseIntervalMs: deps.baseIntervalMs,
              maxAgeMs: response.maxAgeMs,
            }),
        },
        now,
      },
    );
    return { ok: true, feedId: feed.id, title, added: added.length };
  } catch (error) {
    // Two subscribes of the same feed at once: the unique URL index lets one win.
    if (error instanceof Error && error.name === 'ConstraintError') {
      const existing = await findFeedByUrl(db, feedUrl);
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

/**
 * Private and local addresses (loopback, RFC 1918, link-local, unique-local IPv6, `localhost`,
 * `.local`). A name that resolves to one cannot be seen from here; literal ones can.
 */
export function isPrivateAddress(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal')
  ) {
    return true;
  }
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (host.startsWith('[')) {
    const v6 = host.slice(1, -1);
    return (
      v6 === '::1' ||
      v6 === '::' ||
      /^f[cd]/.test(v6) ||
      /^fe[89ab]/.test(v6) ||
      v6.startsWith('::ffff:')
    );
  }
  return false;
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

function alreadyFollowed(feed: Feed): Failure {
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

function failure(code: Failure['code'], message: string): Failure {
  return { ok: false, code, message };
}

function withoutHash(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href;
  } catch {
    return url;
  }
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
