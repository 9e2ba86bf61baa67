/** The one Dexie database, shared by the service worker and the extension pages. */
import Dexie, { type DexieOptions, type EntityTable } from 'dexie';
import { SCHEMA_V1, SCHEMA_V2 } from './schema';
import type { Feed, HostHold, Post, PostContent, ReadingListItem, UnreadCount } from './types';

export type DispatchDb = Dexie & {
  feeds: EntityTable<Feed, 'id'>;
  posts: EntityTable<Post, 'id'>;
  postContents: EntityTable<PostContent, 'postId'>;
  readingList: EntityTable<ReadingListItem, 'id'>;
  unreadCounts: Dexie.Table<UnreadCount, [number, string]>;
  hosts: EntityTable<HostHold, 'host'>;
};

/**
 * Opens (lazily) a database with the current schema. Tests pass a unique name, and may pass
 * Dexie options (another `indexedDB`, to see what happens when there is none).
 */
export function createDb(name = 'dispatch', options?: DexieOptions): DispatchDb {
  const db = new Dexie(name, options) as DispatchDb;
  db.version(1).stores(SCHEMA_V1);
  db.version(2).stores(SCHEMA_V2);
  return db;
}

let instance: DispatchDb | undefined;

/** The production database, created on first use. */
export function getDb(): DispatchDb {
  instance ??= createDb();
  return instance;
}

/** The tables a poll writes (feed record, posts, their content, counters): one transaction. */
export function pollTables(db: DispatchDb) {
  return [db.feeds, db.posts, db.postContents, db.unreadCounts];
}
