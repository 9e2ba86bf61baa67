/**
 * The normalized shape every feed format is parsed into. Produced by `parseFeed`
 * (`utils/feed/parse.ts`), consumed by the poll cycle. Times are milliseconds since the
 * epoch, UTC. Text fields are plain text (entities decoded, tags removed) unless named
 * `*Html`, which hold HTML already reduced to an allowlist by `sanitizeHtml` (no scripts,
 * styles, frames, handlers; links http(s)/mailto only): still feed-controlled, so a page that
 * renders it sanitizes it again (DOMPurify), as defence in depth.
 */

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json';

export interface ParsedItem {
  /** guid / Atom id / rdf:about, else the link, else a stable hash of title + date + summary. */
  guid: string;
  /** Absolute http(s) link to the post; absent when the feed gives none or an unsafe scheme. */
  url?: string;
  title: string;
  /** Plain-text summary (RSS description, Atom summary). */
  summary?: string;
  /** Full content as allowlist-sanitized HTML, URLs absolute (content:encoded, Atom content). */
  contentHtml?: string;
  author?: string;
  /**
   * Trimmed, de-duplicated on an NFKC, case-folded key without zero-width spaces or BOMs
   * (`categoryKey`); the first spelling is kept as written.
   */
  categories: string[];
  publishedAt?: number;
  updatedAt?: number;
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string;
  /** The blog's own web site (RSS channel link, Atom alternate link). */
  siteUrl?: string;
  description?: string;
  /** In document order. */
  items: ParsedItem[];
  /** Problems that were recovered from (ill-formed XML, invalid bytes…), in words. */
  warnings: string[];
  /**
   * How often the feed says it changes (ms), from RSS `ttl` or `sy:updatePeriod` /
   * `sy:updateFrequency`: a floor for the polling interval. Absent when it says nothing.
   */
  publisherIntervalMs?: number;
}

/**
 * Why nothing could be read: `empty` body, `not-a-feed` (a web page, another XML vocabulary,
 * JSON that is no feed), `invalid-json`, `invalid-structure` (a JSON Feed whose `items` is not
 * a list), `unsupported-encoding` (no longer thrown: UTF-32 is decoded; kept for stored errors).
 */
export type FeedErrorCode =
  'empty' | 'not-a-feed' | 'invalid-json' | 'invalid-structure' | 'unsupported-encoding';

/** Thrown by `parseFeed` only when nothing feed-like can be recovered. Check by `name`. */
export class FeedError extends Error {
  override readonly name = 'FeedError';
  constructor(
    readonly code: FeedErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isFeedError(error: unknown): error is FeedError {
  return error instanceof Error && error.name === 'FeedError';
}
