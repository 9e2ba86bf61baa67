/**
 * Schema versions. Index only what is queried: every secondary index costs on each write.
 * - posts `[readAt+publishedAt]`: unread posts newest first without scanning read ones; read
 *   posts most recently read first ("Show read").
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
import { searchTerms } from '@/utils/search';
import { sectionKeysOf } from './sections';
import type { Post, PostIndexFields, PostTerms } from './types';

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

/**
 * v3 indexes what the popup reads at 50,000 posts, so it loads only the rows it shows (issue 4):
 * - posts `*sectionKeys` (multi-entry, `[sectionKey, publishedAt]` per category while unread):
 *   one category section's unread posts, newest first, a page at a time;
 * - posts `[readAt+minutes]`: the reading-time budget, unread posts shortest first;
 * - posts `publishedAt`: the newest of many search matches without loading them all;
 * - postTerms `*terms` (multi-entry words, `utils/search.ts`): search, one prefix range per
 *   word typed. In a table of its own, keyed by post id, because a read-state change rewrites
 *   the post record and every index entry on it: with ~50 words a post indexed there, marking
 *   a section of 330 posts read and undoing it took ~600 ms in Chromium instead of ~215 ms.
 * Both new post fields are derived (`PostIndexFields`); the upgrade fills them on every stored
 * post with {@link upgradePostToV3} and writes each post's words with {@link postTermsOf}.
 * Counters need no change.
 */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  posts:
    '++id, &[feedId+guid], feedId, publishedAt, [readAt+publishedAt], [readAt+minutes], *sectionKeys',
  postTerms: 'postId, *terms',
} as const;

export const CURRENT_VERSION = 3;

/** A post as schema v1 and v2 stored it: without the derived index fields. */
export type PostV2 = Omit<Post, keyof PostIndexFields>;

/**
 * The v2 → v3 step for one post: its index fields derived (section keys while unread, search
 * words), everything else as it was.
 */
export function upgradePostToV3(post: PostV2): Post {
  return { ...post, sectionKeys: sectionKeysOf(post), terms: searchTerms(post) };
}

/** The `postTerms` record of a post (v3): its search words, indexed. */
export function postTermsOf(post: Pick<Post, 'id' | 'terms'>): PostTerms {
  return { postId: post.id, terms: post.terms };
}
