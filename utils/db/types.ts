/**
 * Records persisted in IndexedDB. Every field here is part of the stored format: changing
 * one means a new schema version in `schema.ts` with a tested upgrade.
 */
import type { FeedFormat } from '@/utils/feed/types';
import type { ListingExtractor } from '@/utils/listing/extract';

/** A problem with a feed, kept on the feed record and shown to the user in words. */
export interface FeedProblem {
  /** Machine-readable cause: a fetch error code ('timeout', 'http'…) or a parse error code. */
  code: string;
  /** For a person: "The server answered 500 Internal Server Error". */
  message: string;
  /** When it happened (ms since epoch). */
  at: number;
}

export interface Feed {
  id: number;
  /** The feed document's URL: what is polled. */
  url: string;
  /** Earlier URLs of this feed (after a permanent move); used for the duplicate check. */
  aliases: string[];
  /** The blog's own site, from the feed or the page the user pasted. */
  siteUrl?: string;
  title: string;
  kind?: FeedFormat;
  /** Conditional GET validators from the last successful response. */
  etag?: string;
  lastModified?: string;
  addedAt: number;
  /** 0 until the first poll finished (with or without success). */
  lastCheckedAt: number;
  /** Last time a poll added a post; 0 when never. */
  lastNewPostAt: number;
  /** When the next poll is due; the alarm tick polls every feed whose time has come. */
  nextPollAt: number;
  /** Consecutive failed polls; 0 after a success. Drives the backoff. */
  failures: number;
  /** Present while the last poll failed; cleared by the next success. */
  lastError?: FeedProblem;
  /** 'gone' after HTTP 410: not polled until the user checks it again. */
  status: 'active' | 'gone';
  /**
   * A final URL that successful polls were redirected to (`fetch` hides whether a hop was
   * permanent). Not indexed, so adding it needed no schema version.
   */
  redirectCandidate?: string;
  /** How many consecutive successful polls ended at `redirectCandidate`; `url` moves at 3. */
  redirectCount?: number;
  /** When the first of those polls was (ms): the move also waits until they span a day. */
  redirectSince?: number;
  /**
   * When a request without `If-None-Match` / `If-Modified-Since` last succeeded (ms). Some
   * servers answer 304 to validators that no longer match, so the poll drops them once a day
   * (HOSTILE-INPUTS A11). Absent on feeds stored before it existed: their next poll is
   * unconditional. Not indexed, so adding it needed no schema version.
   */
  lastUnconditionalAt?: number;

  // Issue 5 (all unindexed and optional: no schema version; absent reads as the default).

  /** Per-blog notifications; absent = on. */
  notify?: boolean;
  /** Per-blog shortest check interval in minutes; absent = the `pollIntervalMinutes` setting. */
  intervalMinutes?: number;
  /** Folders/categories from an OPML import (or set by the user), as written; absent = none. */
  tags?: string[];
  /** When the current run of failed polls began (ms); absent while the last poll succeeded. */
  failingSince?: number;
  /**
   * Requests per UTC day (day = floor(ms / 86 400 000)), newest first, at most 8 days: what
   * "12 requests in the last 7 days, 10 answered 304" is made of.
   */
  requestDays?: RequestDay[];
  /** Publication dates (ms) of the blog's most recent posts, newest first, at most 30: its rhythm. */
  recentPostDates?: number[];
  /**
   * The interval the feed itself asks for, from RSS `ttl` or `sy:updatePeriod` /
   * `sy:updateFrequency` (ms), as of the last full response.
   */
  publisherIntervalMs?: number;

  // Issue 6 (unindexed and optional: no schema version).

  /**
   * Present when the blog is followed through its listing page, not a feed: `url` is then the
   * page's address, `kind` is absent, and each poll reads the page's cards with the extractor.
   */
  listing?: FollowedListing;
}

/** How a blog without a feed is read (issue 6): learned once, shown in words, editable. */
export interface FollowedListing {
  /** What to read on the page: data (paths and field roles), never code. */
  extractor: ListingExtractor;
  /** Posts the last good read of the page found: a sudden drop from it is drift. */
  lastCount: number;
  /**
   * Present while the page no longer fits the extractor (no cards, cards without title or
   * link, a sudden drop): nothing is added, marked or deleted until a good read or a re-learn.
   */
  drift?: ListingDrift;
}

export interface ListingDrift {
  /** In words: "No posts were found on the listing page: the page layout may have changed." */
  reason: string;
  /** When it was first seen (ms); kept while it lasts. */
  since: number;
  /** Posts the extractor found on the drifted page. */
  found: number;
}

/** One UTC day of requests for a feed (`Feed.requestDays`). */
export interface RequestDay {
  day: number;
  requests: number;
  /** How many of them were answered 304 Not Modified. */
  notModified: number;
}

/**
 * Index entries derived from a post on every write (posts.ts `withIndexFields`); never set by
 * hand. Indexed multi-entry (schema v3), so the popup reads one section or one search word
 * without scanning the others.
 */
export interface PostIndexFields {
  /**
   * While unread: one `[sectionKey(category), publishedAt]` per category (UNCATEGORIZED when
   * none), one per section key; `[]` once read, so read posts leave every section.
   */
  sectionKeys: [string, number][];
  /** Search words of title, categories and summary (`searchTerms` in utils/search.ts), unique. */
  terms: string[];
}

export interface Post extends PostIndexFields {
  id: number;
  feedId: number;
  /** Identity within the feed: guid / id, else link, else a hash (see parseFeed). */
  guid: string;
  /** Absolute http(s) link, when the feed gave a safe one. */
  url?: string;
  title: string;
  /** Plain text, capped. */
  summary?: string;
  author?: string;
  /** Display spellings; "Uncategorized" when the feed gave none. */
  categories: string[];
  /** The post's date (ms, UTC); firstSeenAt when the feed has none or an implausible one. */
  publishedAt: number;
  firstSeenAt: number;
  updatedAt?: number;
  /** Words counted for the reading-time estimate. */
  words: number;
  /** Reading time in whole minutes, at least 1. */
  minutes: number;
  /** True when the estimate comes from the summary only (the feed had no content). */
  minutesFromSummary: boolean;
  /**
   * The reading time the site itself printed ("2 min read" on a listing card), in minutes,
   * kept beside Dispatch's own estimate: "the site says 2 min". Absent when it printed none.
   */
  siteMinutes?: number;
  /**
   * True once Dispatch counted the article page's words itself (utils/listing/measure.ts);
   * absent: the minutes are the card's label or an estimate from title and summary. Unindexed
   * and optional: no schema version.
   */
  articleCounted?: boolean;
  /** When the user read it; 0 = unread (IndexedDB cannot index booleans). */
  readAt: number;
}

/** A post as the poll cycle hands it to the store, before it has an id and read state. */
export type NewPost = Omit<
  Post,
  'id' | 'feedId' | 'readAt' | 'firstSeenAt' | 'publishedAt' | keyof PostIndexFields
> & {
  /** Absent when the feed gives no usable date: the store uses the first-seen time. */
  publishedAt?: number;
  /** Untrusted HTML from the feed, capped; stored apart from the post (see `PostContent`). */
  content?: string;
};

/**
 * A post's search words, indexed multi-entry in their own table (schema v3) and written with
 * the post: marking posts read rewrites the post records, and with the words indexed there it
 * would rewrite some fifty index entries a post instead of a few.
 */
export interface PostTerms {
  postId: number;
  /** The post's `terms`. */
  terms: string[];
}

/**
 * A post's full content, kept in its own table: the popup lists thousands of posts and must
 * not load (and structured-clone) every article body to show titles. Read only when one post
 * is shown in full.
 */
export interface PostContent {
  postId: number;
  /** Untrusted HTML from the feed, capped; never rendered without sanitizing. */
  html: string;
}

export interface ReadingListItem {
  id: number;
  url: string;
  title: string;
  /** The post it was saved from; cleared when the blog is removed (the item stays). */
  postId?: number;
  /** Blog title at the time of saving, so the item reads well after the blog is gone. */
  source?: string;
  minutes?: number;
  addedAt: number;
  /** Sort key; new items go last. */
  position: number;
  /** When finished; 0 = not finished. */
  doneAt: number;
  note?: string;
}

/**
 * Unread posts and minutes per feed and category, kept in step with `posts` in the same
 * transaction as every change, so opening the popup or setting the badge never counts.
 * The row with `category === ALL_CATEGORIES` holds the feed's total (a post in two
 * categories counts once there).
 */
export interface UnreadCount {
  feedId: number;
  category: string;
  unread: number;
  minutes: number;
}

export const ALL_CATEGORIES = '';
export const UNCATEGORIZED = 'Uncategorized';

/**
 * A server's request to wait, applied to every feed on that host (schema v2). Written when a
 * response carries `Retry-After` (429, 503); read before each request to that host.
 */
export interface HostHold {
  /** Host name, lower case (`URL.hostname`). */
  host: string;
  /** No request to this host before this time (ms since epoch). */
  until: number;
  /** Why, for the blog's status line: "The server asked Dispatch to wait (HTTP 429)". */
  reason: string;
}
