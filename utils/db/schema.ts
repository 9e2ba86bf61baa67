/**
 * Schema versions. Index only what is queried: every secondary index costs on each write.
 * - posts `[readAt+publishedAt]`: unread posts newest first without scanning read ones.
 * - posts `feedId`: a blog's posts (count for its status line, delete with the blog).
 * - postContents: keyed by post id, apart from `posts` so listing posts never loads bodies.
 * - readingList `position`: the list in the user's order; `&url`: one entry per page.
 */
export const SCHEMA_V1 = {
  feeds: '++id, &url',
  posts: '++id, &[feedId+guid], feedId, [readAt+publishedAt]',
  postContents: 'postId',
  readingList: '++id, &url, position',
  unreadCounts: '[feedId+category], feedId',
} as const;

export const CURRENT_VERSION = 1;
