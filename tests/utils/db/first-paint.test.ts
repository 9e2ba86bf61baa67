/**
 * The popup's first paint, read with the raw IndexedDB API (`utils/db/first-paint.ts`): what
 * it gives must be what the Dexie repositories give for the same database, it must never create
 * or upgrade a database, and it must say "cannot tell" when the schema is older than what it
 * reads.
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { DispatchDb } from '@/utils/db/db';
import { listFeeds } from '@/utils/db/feeds';
import { FIRST_PAGE, firstSections, readFirstPaint } from '@/utils/db/first-paint';
import { markRead, savePollResult } from '@/utils/db/posts';
import { SCHEMA_V2 } from '@/utils/db/schema';
import {
  listHiddenUnread,
  listSectionPosts,
  readUnreadView,
  summarizeSections,
  unreadTotals,
} from '@/utils/db/sections';
import type { Feed, NewPost, Post } from '@/utils/db/types';
import { isLeftOut } from '@/utils/db/section-summary';
import { listUnreadCounts } from '@/utils/db/unread-counts';
import { aFeed, aPost, freshDb } from '../../helpers/db';
import { V2_RECORDS } from './fixtures';

const NOW = Date.UTC(2026, 2, 12, 12);
const HOUR = 3_600_000;

async function store(db: DispatchDb, feed: Feed, posts: NewPost[]): Promise<Post[]> {
  return (await savePollResult(db, feed.id, { posts, feed: {}, now: NOW })).added;
}

/** Names of the databases that exist. */
async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((database) => database.name ?? '');
}

describe('readFirstPaint', () => {
  const opened: DispatchDb[] = [];
  const fresh = () => {
    const db = freshDb();
    opened.push(db);
    return db;
  };

  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });

  it('gives the feeds, counters and first rows the repositories give, collapsed sections skipped', async () => {
    const db = fresh();
    const edge = await aFeed(db, { title: 'Edge Notes', lastCheckedAt: NOW - HOUR });
    const other = await aFeed(db, { title: 'Other Blog' });
    await store(db, edge, [
      aPost({ title: 'Mamba', categories: ['State Space Model'], publishedAt: NOW - 3 * HOUR }),
      aPost({ title: 'xLSTM', categories: ['State Space Model', 'RNN'], publishedAt: NOW - HOUR }),
      aPost({ title: 'Loose', categories: [], publishedAt: NOW - 2 * HOUR }),
      aPost({ title: 'Same time A', categories: ['rnn'], publishedAt: NOW - 5 * HOUR }),
      aPost({ title: 'Same time B', categories: ['RNN'], publishedAt: NOW - 5 * HOUR }),
    ]);
    const [read] = await store(db, other, [
      aPost({ title: 'Read one', categories: ['Attention'], publishedAt: NOW }),
      aPost({ title: 'Kept', categories: ['Attention', 'Hidden'], publishedAt: NOW - HOUR }),
    ]);
    await markRead(db, [read!.id], NOW);
    const collapsed = new Set(['hidden']);

    const snapshot = await readFirstPaint({ name: db.name, collapsed });

    const counts = await listUnreadCounts(db);
    expect(snapshot?.feeds).toEqual(await listFeeds(db));
    expect(snapshot?.counts).toEqual(counts);
    expect(summarizeSections(snapshot!.counts).map((section) => section.name)).toEqual([
      'Attention',
      'Hidden',
      'RNN',
      'State Space Model',
      'Uncategorized',
    ]);
    expect(unreadTotals(snapshot!.counts)).toEqual(unreadTotals(counts));
    const expected = new Map<string, Post[]>();
    for (const key of ['attention', 'rnn', 'state space model', 'uncategorized']) {
      expected.set(key, await listSectionPosts(db, key, 0, FIRST_PAGE));
    }
    expect(snapshot?.rows).toEqual(expected);
    expect(snapshot?.rows.get('rnn')?.map((post) => post.title)).toEqual([
      'xLSTM',
      'Same time B',
      'Same time A',
    ]);
    expect(snapshot?.rows.has('hidden')).toBe(false);
  });

  it('reads a page of each section, in order, until it has the rows a popup shows', async () => {
    const db = fresh();
    const feed = await aFeed(db);
    await store(
      db,
      feed,
      ['A', 'B', 'C', 'D'].flatMap((category, c) =>
        Array.from({ length: 3 }, (_, i) =>
          aPost({ title: `${category}${i}`, categories: [category], publishedAt: NOW - c - i }),
        ),
      ),
    );

    const snapshot = await readFirstPaint({
      name: db.name,
      collapsed: new Set(['b']),
      page: 2,
      rows: 4,
    });

    expect([...snapshot!.rows.keys()]).toEqual(['a', 'c']);
    expect(snapshot!.rows.get('a')).toEqual(await listSectionPosts(db, 'a', 0, 2));
    expect(snapshot!.rows.get('c')).toEqual(await listSectionPosts(db, 'c', 0, 2));
  });

  it('reads the same rows with a cursor where getAll takes no direction (before Chrome 141)', async () => {
    const db = fresh();
    const feed = await aFeed(db);
    await store(db, feed, [
      aPost({ title: 'Old', categories: ['A'], publishedAt: NOW - HOUR }),
      aPost({ title: 'Tie 1', categories: ['A'], publishedAt: NOW }),
      aPost({ title: 'Tie 2', categories: ['A', 'B'], publishedAt: NOW }),
    ]);
    const withDirection = await readFirstPaint({ name: db.name });
    const getAllRecords = Object.getOwnPropertyDescriptor(IDBIndex.prototype, 'getAllRecords')!;
    Reflect.deleteProperty(IDBIndex.prototype, 'getAllRecords');
    try {
      const withCursor = await readFirstPaint({ name: db.name });

      expect([...withCursor!.rows.keys()]).toEqual(['a', 'b']);
      expect(withCursor!.rows).toEqual(withDirection!.rows);
      expect(withCursor!.rows.get('a')).toEqual(await listSectionPosts(db, 'a', 0, FIRST_PAGE));
    } finally {
      Object.defineProperty(IDBIndex.prototype, 'getAllRecords', getAllRecords);
    }
  });

  it('honours muted categories: no rows for their sections, and the posts they hide as the live state finds them', async () => {
    const db = fresh();
    const feed = await aFeed(db);
    await store(db, feed, [
      aPost({ title: 'Muted', categories: ['SSM'], publishedAt: NOW - HOUR, minutes: 3 }),
      aPost({ title: 'Muted twice', categories: ['ssm', 'RNN'], publishedAt: NOW, minutes: 5 }),
      aPost({ title: 'Both', categories: ['SSM', 'Transformer'], publishedAt: NOW }),
      aPost({ title: 'Other', categories: ['Transformer'], publishedAt: NOW - HOUR }),
    ]);
    const muted = new Set(['ssm', 'rnn', 'not a section']);

    // Given while it is still being read, as the popup does (the setting and the database at once).
    const snapshot = await readFirstPaint({ name: db.name, muted: Promise.resolve(muted) });

    expect(snapshot?.muted).toBe(muted);
    expect(snapshot?.hidden).toEqual(await listHiddenUnread(db, muted));
    expect(snapshot?.hidden).toHaveLength(2);
    expect({ ...snapshot, rows: undefined, feeds: undefined }).toEqual({
      ...(await readUnreadView(db, muted)),
      rows: undefined,
      feeds: undefined,
    });
    expect([...snapshot!.rows.keys()]).toEqual(['transformer']);
    expect(snapshot!.rows.get('transformer')?.map((post) => post.title)).toEqual(['Both', 'Other']);
  });

  it('cannot tell when the muted categories cannot be read', async () => {
    const db = fresh();
    await aFeed(db);

    const snapshot = await readFirstPaint({
      name: db.name,
      muted: Promise.reject(new Error('storage.local is not available')),
    });

    expect(snapshot).toBeUndefined();
  });

  it.each([
    [['SSM'], ['ssm'], true],
    [['SSM', 'Transformer'], ['ssm'], false],
    [['ＳＳＭ', 'ssm '], ['ssm'], true],
    [[], ['uncategorized'], true],
    [[], ['ssm'], false],
    [['SSM'], [], false],
    [['A', 'B'], ['a', 'b', 'c'], true],
  ])('hides %j when %j are muted: %s', (categories, keys, hidden) => {
    expect(isLeftOut({ categories }, new Set(keys))).toBe(hidden);
  });

  it('says nothing is stored when there is no database, and creates none', async () => {
    const name = `missing-${crypto.randomUUID()}`;

    const snapshot = await readFirstPaint({ name });

    expect(snapshot).toEqual({
      feeds: [],
      counts: [],
      muted: new Set(),
      hidden: [],
      rows: new Map(),
    });
    expect(await databaseNames()).not.toContain(name);
  });

  it('cannot tell for a database of an older schema, and leaves it as it was', async () => {
    const name = `v2-${crypto.randomUUID()}`;
    const old = new Dexie(name);
    old.version(2).stores(SCHEMA_V2);
    await old.table('feeds').bulkAdd(V2_RECORDS.feeds);
    await old.table('posts').bulkAdd(V2_RECORDS.posts);
    await old.table('unreadCounts').bulkAdd(V2_RECORDS.unreadCounts);
    old.close();

    expect(await readFirstPaint({ name })).toBeUndefined();

    const reopened = new Dexie(name);
    await reopened.open();
    expect(reopened.verno).toBe(2);
    expect(await reopened.table('posts').count()).toBe(V2_RECORDS.posts.length);
    reopened.close();
  });

  it('cannot tell without IndexedDB', async () => {
    const broken = {
      open: () => {
        throw new DOMException('IndexedDB is not available.', 'InvalidStateError');
      },
    } as unknown as IDBFactory;

    expect(await readFirstPaint({ indexedDB: broken })).toBeUndefined();
  });

  it('lets go of the database once read, so an upgrade or a removal is never blocked', async () => {
    const db = fresh();
    await aFeed(db);
    await readFirstPaint({ name: db.name });
    db.close();

    const deleted = await new Promise<string>((resolve) => {
      const request = indexedDB.deleteDatabase(db.name);
      request.onblocked = () => resolve('blocked');
      request.onsuccess = () => resolve('deleted');
    });

    expect(deleted).toBe('deleted');
  });
});

describe('firstSections', () => {
  const row = (category: string, unread: number) => ({ feedId: 1, category, unread, minutes: 1 });

  it('takes sections in the order shown, a page at most each, until enough rows', () => {
    const counts = [row('', 60), row('B', 30), row('A', 3), row('C', 10), row('D', 1)];

    expect(firstSections(counts, new Set(), 20, 24)).toEqual([
      { key: 'a', limit: 3 },
      { key: 'b', limit: 20 },
      { key: 'c', limit: 10 },
    ]);
    expect(firstSections(counts, new Set(['b']), 20, 24)).toEqual([
      { key: 'a', limit: 3 },
      { key: 'c', limit: 10 },
      { key: 'd', limit: 1 },
    ]);
  });
});
