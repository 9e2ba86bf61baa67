/**
 * What the popup paints first, read without Dexie: the raw IndexedDB API, one read-only
 * transaction, no schema of its own. The popup shows this snapshot at once and loads the
 * Dexie-based live state (`utils/state/popup-state.ts`) right after, so its first paint parses
 * neither Dexie nor the repositories (issue 4: popup JS ≤ 45 KB gzip, first rows sooner). It must
 * give what the repositories give for the same database: the feeds as `listFeeds`, the counter
 * rows as `listUnreadCounts`, and each section's first rows as `listSectionPosts(key, 0, n)`.
 *
 * The database is opened without a version, so this never upgrades it and never blocks an
 * upgrade (the connection closes when one is asked for). It answers `undefined` ("cannot tell":
 * the live state paints instead) when IndexedDB fails or the database is of an older schema
 * without what is read here (the live state upgrades it); and an empty snapshot when there is
 * no database yet, without creating one. A schema version that changes what it reads (the
 * `feeds`, `unreadCounts` and `posts` stores, the `sectionKeys` index) changes it too: its test
 * compares it with the repositories on a database of the current schema.
 *
 * Muted categories (issue 5) are honoured exactly, as the live state does: their sections get
 * no rows, and the unread posts they hide are found as `listHiddenUnread` finds them (the muted
 * sections' unread posts through `sectionKeys`, in the same transaction), so the header's
 * totals at first paint are already the live state's.
 */
import type { HiddenPost, UnreadView } from './sections';
import { isLeftOut, summarizeSections } from './section-summary';
import type { Feed, Post, UnreadCount } from './types';

/** The name of the extension's database (`createDb`'s default). */
export const DB_NAME = 'dispatch';

/** Rows read for each section shown first, at most: more than a popup shows. */
export const FIRST_PAGE = 20;

/**
 * Sections are read (in the order they are shown, collapsed ones skipped) until this many rows
 * are read: the rows in view and those rendered around them (`OVERSCAN_ROWS`), with room.
 */
export const FIRST_ROWS = 24;

/** The object stores read, and the index a section's rows are read by (schema v3). */
const STORES = ['feeds', 'unreadCounts', 'posts'] as const;
const SECTION_INDEX = 'sectionKeys';

/** The popup's data at open, as the repositories would give it. */
export interface FirstPaint extends UnreadView {
  /** Every feed, in the order they were added (`listFeeds`). */
  feeds: Feed[];
  /** Every counter row (`listUnreadCounts`): sections and totals are computed from them. */
  counts: UnreadCount[];
  /** The muted section keys it was read with. */
  muted: ReadonlySet<string>;
  /** The unread posts they hide, as `listHiddenUnread(db, muted)` gives them. */
  hidden: HiddenPost[];
  /**
   * The first rows of the first sections shown, newest first, by section key: what
   * `listSectionPosts(db, key, 0, n)` gives. Sections farther down, and collapsed and muted
   * ones, have none.
   */
  rows: ReadonlyMap<string, Post[]>;
}

export interface FirstPaintOptions {
  /** Keys of the sections the user collapsed: their rows are not read. */
  collapsed?: ReadonlySet<string>;
  /**
   * Keys of the muted sections (the `categoryModes` setting), or their read under way: the
   * database is opened meanwhile. A read that fails makes the answer "cannot tell".
   */
  muted?: ReadonlySet<string> | PromiseLike<ReadonlySet<string>>;
  name?: string;
  indexedDB?: IDBFactory;
  /** Rows read per section, at most. */
  page?: number;
  /** Sections are read until this many rows. */
  rows?: number;
}

const nothingStored = (muted: ReadonlySet<string>): FirstPaint => ({
  feeds: [],
  counts: [],
  muted,
  hidden: [],
  rows: new Map(),
});

/**
 * Which sections' rows are read first, and how many of each: sections in the order shown,
 * those in `skipped` (collapsed or muted) left out, `page` rows at most each, until `rows` rows.
 */
export function firstSections(
  counts: readonly UnreadCount[],
  skipped: ReadonlySet<string>,
  page = FIRST_PAGE,
  rows = FIRST_ROWS,
): { key: string; limit: number }[] {
  const chosen: { key: string; limit: number }[] = [];
  let total = 0;
  for (const section of summarizeSections(counts)) {
    if (total >= rows) break;
    if (skipped.has(section.key)) continue;
    const limit = Math.min(section.unread, page);
    chosen.push({ key: section.key, limit });
    total += limit;
  }
  return chosen;
}

/**
 * Reads the popup's first snapshot. Never rejects: `undefined` when it cannot tell (no
 * IndexedDB, a failure, an older schema), an empty snapshot when nothing is stored yet.
 */
export function readFirstPaint({
  collapsed = new Set(),
  muted = new Set(),
  name = DB_NAME,
  indexedDB: factory = globalThis.indexedDB,
  page = FIRST_PAGE,
  rows = FIRST_ROWS,
}: FirstPaintOptions = {}): Promise<FirstPaint | undefined> {
  const mutedRead = Promise.resolve(muted);
  // A rejection is the answer "cannot tell" (below), never an unhandled rejection, even when
  // the database fails first and nothing else waits for it.
  mutedRead.catch(() => undefined);
  return new Promise<FirstPaint | undefined>((resolve) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name);
    } catch {
      resolve(undefined);
      return;
    }
    let created = false;
    // No database yet: opening without a version would create an empty one at version 1,
    // which Dexie would then have to upgrade. Abort that, so nothing is created.
    request.onupgradeneeded = () => {
      created = true;
      request.transaction?.abort();
    };
    request.onerror = (event) => {
      event.preventDefault();
      if (!created) return resolve(undefined);
      mutedRead.then(
        (keys) => resolve(nothingStored(keys)),
        () => resolve(undefined),
      );
    };
    request.onsuccess = () => {
      const db = request.result;
      // Never stand in the way of an upgrade (the worker's Dexie opening a newer schema).
      db.onversionchange = () => db.close();
      const fail = () => {
        db.close();
        resolve(undefined);
      };
      mutedRead.then((keys) => {
        try {
          readSnapshot(db, collapsed, keys, page, rows, (answer) => {
            db.close();
            resolve(answer);
          });
        } catch {
          fail();
        }
      }, fail);
    };
  });
}

/**
 * The posts of `posts` (unread posts of the muted sections, a post possibly twice) that
 * `muted` hides, each once, by id: what `listHiddenUnread` gives from the same posts.
 */
export function hiddenAmong(posts: readonly Post[], muted: ReadonlySet<string>): HiddenPost[] {
  const hidden = new Map<number, HiddenPost>();
  for (const post of posts) {
    if (!hidden.has(post.id) && isLeftOut(post, muted)) {
      hidden.set(post.id, { id: post.id, minutes: post.minutes });
    }
  }
  return [...hidden.values()].sort((a, b) => a.id - b.id);
}

/** `getAll` with IndexedDB 3's options (`direction`), where `getAllRecords` says they exist. */
type GetAllWithOptions = (
  this: IDBIndex,
  options: {
    query: IDBKeyRange;
    count: number;
    direction: IDBCursorDirection;
  },
) => IDBRequest<unknown[]>;

/**
 * Gives `into` the last `limit` records of `range` in `index`, last first (complete once the
 * transaction is). One request where `getAll` takes a direction (Chrome 141 and later; a cursor
 * took ~9 ms for 20 posts in the popup bench), else a cursor.
 */
function readBackwards(
  index: IDBIndex,
  range: IDBKeyRange,
  limit: number,
  into: (records: Post[]) => void,
): void {
  if ('getAllRecords' in index) {
    const request = (index.getAll as unknown as GetAllWithOptions).call(index, {
      query: range,
      count: limit,
      direction: 'prev',
    });
    request.onsuccess = () => into(request.result as Post[]);
    return;
  }
  const list: Post[] = [];
  into(list);
  const cursor = index.openCursor(range, 'prev');
  cursor.onsuccess = () => {
    const at = cursor.result;
    if (!at) return;
    list.push(at.value as Post);
    if (list.length < limit) at.continue();
  };
}

/** Reads the snapshot in one read-only transaction; `done(undefined)` when it cannot. */
function readSnapshot(
  db: IDBDatabase,
  collapsed: ReadonlySet<string>,
  muted: ReadonlySet<string>,
  page: number,
  rowLimit: number,
  done: (answer: FirstPaint | undefined) => void,
): void {
  if (!STORES.every((store) => db.objectStoreNames.contains(store))) return done(undefined);
  const tx = db.transaction([...STORES], 'readonly');
  const posts = tx.objectStore('posts');
  if (!posts.indexNames.contains(SECTION_INDEX) || !posts.index(SECTION_INDEX).multiEntry) {
    tx.abort();
    return done(undefined);
  }
  const index = posts.index(SECTION_INDEX);
  const feeds = tx.objectStore('feeds').getAll() as IDBRequest<Feed[]>;
  const counts = tx.objectStore('unreadCounts').getAll() as IDBRequest<UnreadCount[]>;
  const rows = new Map<string, Post[]>();
  const mutedPosts: Post[][] = [];
  const range = (key: string) => IDBKeyRange.bound([key, -Infinity], [key, Infinity]);

  counts.onsuccess = () => {
    const skipped = muted.size === 0 ? collapsed : new Set([...collapsed, ...muted]);
    for (const { key, limit } of firstSections(counts.result, skipped, page, rowLimit)) {
      if (limit <= 0) continue;
      // Newest first, as `listSectionPosts` reads it: the index range backwards.
      readBackwards(index, range(key), limit, (list) => rows.set(key, list));
    }
    // The unread posts of the muted sections that have any, to find those they hide.
    const withUnread = new Set(summarizeSections(counts.result).map((section) => section.key));
    for (const key of muted) {
      if (!withUnread.has(key)) continue;
      const request = index.getAll(range(key)) as IDBRequest<Post[]>;
      request.onsuccess = () => mutedPosts.push(request.result);
    }
  };
  tx.oncomplete = () =>
    done({
      feeds: feeds.result,
      counts: counts.result,
      muted,
      hidden: hiddenAmong(mutedPosts.flat(), muted),
      rows,
    });
  tx.onabort = () => done(undefined);
}
