/**
 * The worker's side of following a blog without a feed (issue 6): previewing its listing page,
 * following it, learning it again after its layout changed (the drift alarm's one click) and
 * storing the user's corrections of what Dispatch reads. Each answer is a value with a sentence
 * for the user; an extractor sent by a page is checked (`checkExtractor`) before it is used.
 *
 * After an answer, without making the user wait (`queueListingWork`): the new posts' articles
 * are measured (`measure.ts`) and, after following, the older pages are read (`backfillListing`).
 *
 * Depends on `fetchPage`, the learner, extractor and preview, the feeds and posts repositories;
 * the `*FromMessage` handlers add the production dependencies, the badge and the poll lock.
 */
import { refreshBadge } from '@/utils/badge';
import { findFeedByUrl, getFeed } from '@/utils/db/feeds';
import { pollTables } from '@/utils/db/db';
import { asStorageError } from '@/utils/db/errors';
import { feedPostIndex, writePoll } from '@/utils/db/posts';
import type { Feed, FollowedListing, Post } from '@/utils/db/types';
import { originPattern } from '@/utils/format';
import {
  checkDrift,
  extractPosts,
  type ExtractResult,
  type ListingExtractor,
  type ListingPost,
} from '@/utils/listing/extract';
import { describeExtractor, learnExtractor } from '@/utils/listing/learn';
import { measureArticles } from '@/utils/listing/measure';
import {
  backfillListing,
  fetchPage,
  queueListingWork,
  sharesALink,
  type ListingPage,
} from '@/utils/listing/poll';
import { buildPreview, pageTitle } from '@/utils/listing/preview';
import { listingToNewPosts } from '@/utils/listing/to-posts';
import { checkExtractor } from '@/utils/listing/validate';
import type {
  ListingPreviewResult,
  ListingUpdateResult,
  Protocol,
  SubscribeResult,
} from '@/utils/messaging';
import { POLL_LOCK } from '@/utils/poll/lock';
import { defaultPollDeps } from '@/utils/poll/poll-all';
import { serialised } from '@/utils/serialise';
import {
  alreadyFollowed,
  failure,
  normaliseInput,
  storeNewBlog,
  type SubscribeDeps,
} from '@/utils/subscribe';

/** As subscribe's: the poll dependencies, host access required, and where after-work runs. */
export type ListingDeps = SubscribeDeps;

/**
 * Reads the listing page at `url` and previews what following it gives: learned, or read with
 * the user's `extractor` (their correction of a part's role). Reading a page changes nothing.
 */
export async function previewListing(
  { url: input, extractor: sent }: Protocol['previewListing']['request'],
  deps: ListingDeps,
): Promise<ListingPreviewResult> {
  const pasted = normaliseInput(input);
  if (typeof pasted === 'string') return { ok: false, message: pasted };
  const url = pasted.href;
  let extractor: ListingExtractor | undefined;
  if (sent !== undefined) {
    const checked = checkExtractor(sent);
    if (typeof checked === 'string') return { ok: false, message: unusable(checked) };
    extractor = checked;
  }
  const page = await fetchPage(url, deps);
  if (!page.ok) {
    const access = page.code === 'no-access' && { origin: originPattern(url) };
    return { ok: false, message: page.message, ...access };
  }
  const preview = buildPreview(page.html, page.url, extractor);
  return preview.ok
    ? { ok: true, preview: preview.preview }
    : { ok: false, message: preview.message };
}

/**
 * Follows the listing page at `url` with the extractor the user confirmed: fetches it again,
 * reads it, and stores the blog with its posts unread in one transaction, as subscribing stores
 * a feed's first response (its posts are the backlog, not news). Then, after the answer, the
 * new posts' articles are measured and the older pages filled in, read.
 */
export async function followListing(
  { url: input, extractor: sent }: Protocol['followListing']['request'],
  deps: ListingDeps,
): Promise<SubscribeResult> {
  const pasted = normaliseInput(input);
  if (typeof pasted === 'string') return failure('invalid-url', pasted);
  const url = pasted.href;
  const extractor = checkExtractor(sent);
  if (typeof extractor === 'string') return failure('not-found', unusable(extractor));
  const known = await findFeedByUrl(deps.db, url);
  if (known) return alreadyFollowed(known);
  // Without host access, `fetchPage` sends nothing and says so: the answer asks for it.
  const page = await fetchPage(url, deps);
  if (!page.ok) {
    if (page.code === 'no-access') {
      return { ...failure('needs-permission', page.message), origin: originPattern(url) };
    }
    return failure(page.code === 'private' ? 'not-found' : 'fetch-failed', page.message);
  }
  const moved = page.url !== url ? await findFeedByUrl(deps.db, page.url) : undefined;
  if (moved) return alreadyFollowed(moved);
  const read = extractPosts(page.html, page.url, extractor);
  const problem = refusal(read, 0);
  if (problem) return failure('not-found', `Dispatch cannot follow ${url}: ${problem}`);

  const count = read.posts.length;
  const title = pageTitle(page.html) ?? new URL(page.url).hostname;
  const listing: FollowedListing = { extractor: { ...extractor, count }, lastCount: count };
  const stored = await storeNewBlog(
    { url, title, siteUrl: `${new URL(page.url).origin}/` },
    {
      posts: listingToNewPosts(read.posts, { wordsPerMinute: deps.wordsPerMinute }),
      response: page,
      dates: read.posts.map((post) => post.publishedAt),
      feed: { listing },
    },
    deps,
  );
  if ('ok' in stored) return stored;
  afterFollowing(stored.feed.id, page, listing.extractor, stored.added, deps);
  return { ok: true, feedId: stored.feed.id, title, added: stored.added.length };
}

/**
 * Learns a followed listing page again (the drift alarm's "Re-learn"): on success the new
 * extractor replaces the old one, the drift is cleared, and the page's posts are stored (new
 * ones unread, known ones keep their read state); on failure nothing changes and the answer
 * says why. A reading whose links are none of the blog's stored posts is refused (see
 * `storeReading`).
 */
export async function relearnListing(
  { feedId }: Protocol['relearnListing']['request'],
  deps: ListingDeps,
): Promise<ListingUpdateResult> {
  const followed = await followedListing(deps, feedId);
  if (typeof followed === 'string') return { ok: false, message: followed };
  const page = await fetchPage(followed.url, deps, { countFor: followed.id });
  if (!page.ok) return { ok: false, message: page.message };
  const learned = learnExtractor(page.html, page.url);
  if (!learned.ok) return { ok: false, message: learned.reason };
  return storeReading(followed, page, learned.extractor, learned.posts, deps);
}

/**
 * Stores the user's corrected extractor, after checking that it reads the page as it is now:
 * refused (nothing changes) when it finds no posts, cards without title or link, fewer than
 * half the posts of the last good read, or none of the blog's stored posts (`storeReading`).
 */
export async function setListingExtractor(
  { feedId, extractor: sent }: Protocol['setListingExtractor']['request'],
  deps: ListingDeps,
): Promise<ListingUpdateResult> {
  const extractor = checkExtractor(sent);
  if (typeof extractor === 'string') return { ok: false, message: unusable(extractor) };
  const followed = await followedListing(deps, feedId);
  if (typeof followed === 'string') return { ok: false, message: followed };
  const page = await fetchPage(followed.url, deps, { countFor: followed.id });
  if (!page.ok) return { ok: false, message: page.message };
  const read = extractPosts(page.html, page.url, extractor);
  const { listing } = followed;
  // While the page drifts, the last good count describes the old layout: no drop to compare.
  const problem = refusal(read, listing.drift ? 0 : listing.lastCount);
  if (problem) return { ok: false, message: `Not saved: ${problem}` };
  return storeReading(followed, page, extractor, read.posts, deps);
}

type ListingFeed = Feed & { listing: FollowedListing };

/** The blog `feedId` if it follows a listing page; else why not, in words. */
async function followedListing(deps: ListingDeps, feedId: number): Promise<ListingFeed | string> {
  const feed = await getFeed(deps.db, feedId);
  if (!feed) return 'This blog is no longer followed.';
  if (!feed.listing) return `${feed.title} follows a feed, not a page.`;
  return feed as ListingFeed;
}

/**
 * Stores a new reading of a followed page: the extractor (its count the posts read now), the
 * count a later drop is measured from, no drift, and the posts (new ones unread; known ones
 * keep their read state and measured reading time), with the page's validators, in one
 * transaction. The new posts' articles are measured after the answer.
 *
 * Refused, with nothing changed, when the blog has posts and the reading's links are none of
 * theirs (by `postLinkKey`): it reads other links than the blog's posts (a list of projects,
 * of tags, the wrong link in each card), and every post would come again, unread. One link in
 * common is enough: a redesign keeps the posts' addresses, and new cards come with new ones.
 */
async function storeReading(
  feed: ListingFeed,
  page: ListingPage & { validators: { etag?: string; lastModified?: string } },
  extractor: ListingExtractor,
  posts: ListingPost[],
  deps: ListingDeps,
): Promise<ListingUpdateResult> {
  const count = posts.length;
  const learned = { ...extractor, count };
  const { db } = deps;
  const newPosts = listingToNewPosts(posts, { wordsPerMinute: deps.wordsPerMinute });
  let saved: { added: Post[] } | { stored: number };
  try {
    saved = await db.transaction('rw', pollTables(db), async () => {
      const stored = await db.posts.where('feedId').equals(feed.id).count();
      if (stored > 0 && !sharesALink(newPosts, (await feedPostIndex(db, feed.id)).links)) {
        return { stored };
      }
      return writePoll(db, feed.id, {
        posts: newPosts,
        keepReadingTimes: true,
        feed: {
          listing: { extractor: learned, lastCount: count },
          etag: page.validators.etag,
          lastModified: page.validators.lastModified,
        },
        now: deps.now(),
      });
    });
  } catch (error) {
    throw asStorageError(error);
  }
  if ('stored' in saved) return { ok: false, message: otherLinks(saved.stored) };
  const { added } = saved;
  if (added.length > 0) {
    (deps.later ?? queueListingWork)(`measuring the articles of feed ${feed.id}`, () =>
      measureArticles(added, page.url, deps),
    );
  }
  return { ok: true, description: describeExtractor(learned), count, added: added.length };
}

/** After following: the new posts' articles first (what the user sees now), then older pages. */
function afterFollowing(
  feedId: number,
  page: ListingPage,
  extractor: ListingExtractor,
  added: Post[],
  deps: ListingDeps,
): void {
  (deps.later ?? queueListingWork)(`reading more of feed ${feedId}`, async () => {
    await measureArticles(added, page.url, deps);
    await backfillListing(feedId, page, extractor, deps);
  });
}

/** Why a reading that finds none of the blog's `stored` posts is refused, in words. */
function otherLinks(stored: number): string {
  const finds = stored === 1 ? 'does not find the one post' : `finds none of the ${stored} posts`;
  return `The new reading ${finds} Dispatch already has from this page, so it may be reading the wrong links (every post would come again). Nothing was changed.`;
}

/**
 * Why a reading of the page cannot be kept, in words, or `undefined` when it can: no posts,
 * cards without title or link, or under half of `previousCount` (`checkDrift`'s rule).
 */
function refusal(read: ExtractResult, previousCount: number): string | undefined {
  if (!checkDrift(previousCount, read)) return undefined;
  const found = read.posts.length;
  if (found === 0) return 'with these choices Dispatch finds no posts on the page.';
  if (read.incomplete * 3 > read.cards) {
    return `with these choices ${read.incomplete} of ${read.cards} cards have no title or link.`;
  }
  return `with these choices Dispatch finds ${found} ${found === 1 ? 'post' : 'posts'} on the page, where it found ${previousCount}.`;
}

function unusable(reason: string): string {
  return `What Dispatch would read on this page cannot be used: ${lowerFirst(reason)}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The `previewListing` message, with the production dependencies. */
export async function previewListingFromMessage(
  request: Protocol['previewListing']['request'],
): Promise<ListingPreviewResult> {
  return previewListing(request, await defaultPollDeps());
}

/** The `followListing` message: follows, then updates the badge. */
export async function followListingFromMessage(
  request: Protocol['followListing']['request'],
): Promise<SubscribeResult> {
  const deps = await defaultPollDeps();
  const result = await followListing(request, deps);
  if (result.ok) await refreshBadge(deps.db);
  return result;
}

/**
 * The `relearnListing` message. Under the poll lock: a poll in flight read the blog's old
 * extractor, and must not write it back over the new one.
 */
export async function relearnListingFromMessage(
  request: Protocol['relearnListing']['request'],
): Promise<ListingUpdateResult> {
  const deps = await defaultPollDeps();
  const result = await serialised(POLL_LOCK, () => relearnListing(request, deps));
  if (result.ok && result.added > 0) await refreshBadge(deps.db);
  return result;
}

/** The `setListingExtractor` message, under the poll lock as `relearnListing`'s. */
export async function setListingExtractorFromMessage(
  request: Protocol['setListingExtractor']['request'],
): Promise<ListingUpdateResult> {
  const deps = await defaultPollDeps();
  const result = await serialised(POLL_LOCK, () => setListingExtractor(request, deps));
  if (result.ok && result.added > 0) await refreshBadge(deps.db);
  return result;
}
