/**
 * Schema versions. Index only what is queried: every secondary index costs on each write.
 * - posts `[readAt+publishedAt]`: unread posts newest first without scanning read ones.
 * - posts `feedId`: a blog's posts (count for its status line, delete with the blog).
 * - postContents: keyed by post id, apart from `posts` so listing posts never loads bodies.
 * - readingList `position`: the list in the user's order; `&url`: one entry per page.
 *
 * Never edit a version that has shipped: add the next one (with its upgrade, if records must
 * change) and a test in `tests/utils/db/upgrade.test.ts` that opens a database written by the
 * previous version.
 */
export const SCHEMA_V1 = {
  feeds: '++id, &url',
  posts: '++id, &[feedId+guid], feedId, [readAt+publishedAt]',
  postContents: 'postId',
  readingList: '++id, &url, position',
  unreadCounts: '[feedId+category], feedId',
} as const;

/**
 * v2 adds `hosts`: what a server asked of us for all its feeds (`Retry-After` on 429/503 is
 * per host: Reddit, Tumblr and Substack serve many feeds from one host). Keyed by host name;
 * nothing is queried by another field. Existing records need no change.
 */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  hosts: 'host',
} as const;

export const CURRENT_VERSION = 2;
