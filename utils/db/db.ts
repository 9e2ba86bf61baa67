/** The one Dexie database, shared by the service worker and the extension pages. */
import Dexie, { type DexieOptions, type EntityTable } from 'dexie';
import {
  postTermsOf,
  SCHEMA_V1,
  SCHEMA_V2,
  SCHEMA_V3,
  upgradePostToV3,
  type PostV2,
} from './schema';
import type {
  Feed,
  HostHold,
  Post,
  PostContent,
  PostTerms,
  ReadingListItem,
  UnreadCount,
} from './types';

export type DispatchDb = Dexie & {
  feeds: EntityTable<Feed, 'id'>;
  posts: EntityTable<Post, 'id'>;
  postContents: EntityTable<PostContent, 'postId'>;
  postTerms: EntityTable<PostTerms, 'postId'>;
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
  db.version(3)
    .stores(SCHEMA_V3)
    .upgrade(async (tx) => {
      const terms: PostTerms[] = [];
      await tx
        .table<PostV2 & Partial<Post>>('posts')
        .toCollection()
        .modify((post) => {
          const upgraded = upgradePostToV3(post);
          Object.assign(post, upgraded);
          terms.push(postTermsOf(upgraded));
        });
      await tx.table<PostTerms>('postTerms').bulkAdd(terms);
    });
  return db;
}

let instance: DispatchDb | undefined;

/** The production database, created on first use. */
export function getDb(): DispatchDb {
  instance ??= createDb();
  return instance;
}

/**
 * The tables a poll writes (feed record, posts, their content and search words, counters): one
 * transaction.
 */
export function pollTables(db: DispatchDb) {
  return [db.feeds, db.posts, db.postContents, db.postTerms, db.unreadCounts];
}

/**
 * The tables holding a post's records (the post, its content, its search words): whatever
 * deletes posts deletes from all of them, in one transaction (`deletePosts` in posts.ts).
 */
export function postTables(db: DispatchDb) {
  return [db.posts, db.postContents, db.postTerms];
}
