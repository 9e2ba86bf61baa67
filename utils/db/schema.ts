/**
 * Schema versions. Index only what is queried: every secondary index costs on each write.
 * - posts `[readAt+publishedAt]`: unread posts newest first without scanning read ones.
 * - posts `feedId`: a blog's posts (count for its status line, delete with the blog).
 * - postContents: keyed by post id, apart from `posts` so listing posts never loads bodies.
 * - readingList `position`: the list in the user's order; `&url`: one entry per page.
 *
 * Upgrading (STYLE.md rule 6). A version that has shipped is never edited: a change is the
 * next version, declared in `createDb` after the others, so a database of any older version
 * opens and is brought forward one step at a time. When records must change too, the step's
 * `.upgrade()` calls a pure function exported from here (old record in, new record out), so it
 * can be tested on its own. Unindexed optional fields need no version (an old record simply
 * lacks them; readers treat absent as the default). Each older version has a fixture of
 * records as that version wrote them (`tests/utils/db/fixtures.ts`), and
 * `tests/utils/db/upgrade.test.ts` writes it with that version's schema alone, reopens it with
 * `createDb` and checks that every record survives, the counters still agree with
 * `rebuildUnreadCounts` and the new tables work. A new version adds its fixture there.
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
