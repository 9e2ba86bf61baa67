/**
 * The upgrade path (STYLE.md rule 6, `utils/db/schema.ts`): a database written by each older
 * schema version alone opens with `createDb`, and every record comes through unchanged (posts
 * gain only their derived index fields, v3).
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type DispatchDb } from '@/utils/db/db';
import { findFeedByUrl } from '@/utils/db/feeds';
import { activeHostHold, holdHost } from '@/utils/db/hosts';
import { listUnread, markRead, markUnread, savePollResult } from '@/utils/db/posts';
import { listReadingList } from '@/utils/db/reading-list';
import { searchPosts } from '@/utils/db/search';
import {
  listFitting,
  listRecentlyRead,
  listSectionPosts,
  summarizeSections,
  unreadTotals,
} from '@/utils/db/sections';
import type { NewPost, Post } from '@/utils/db/types';
import {
  CURRENT_VERSION,
  SCHEMA_V1,
  SCHEMA_V2,
  SCHEMA_V3,
  postTermsOf,
  upgradePostToV3,
  type PostV2,
} from '@/utils/db/schema';
import { listUnreadCounts, rebuildUnreadCounts, unreadTotal } from '@/utils/db/unread-counts';
import { aPost } from '../../helpers/db';
import { V1_RECORDS, V2_RECORDS, type V1Records } from './fixtures';

/** Every older version: its schema as it shipped, and a fixture of what it wrote. */
const OLDER_VERSIONS: {
  version: number;
  stores: Record<string, string>;
  records: V1Records & { hosts?: unknown[] };
}[] = [
  { version: 1, stores: SCHEMA_V1, records: V1_RECORDS },
  { version: 2, stores: SCHEMA_V2, records: V2_RECORDS },
];

const TABLES = ['feeds', 'posts', 'postContents', 'readingList', 'unreadCounts', 'hosts'] as const;

/** A table's records in a fixture; `hosts` did not exist before v2. */
const recordsOf = (records: V1Records & { hosts?: unknown[] }, table: (typeof TABLES)[number]) =>
  table === 'hosts' ? (records.hosts ?? []) : records[table];

/** Writes `records` with the old schema alone (no later version declared), then closes. */
async function writeOldDatabase(
  name: string,
  { version, stores, records }: (typeof OLDER_VERSIONS)[number],
): Promise<void> {
  const old = new Dexie(name);
  old.version(version).stores(stores);
  await old.transaction('rw', old.tables, async () => {
    for (const table of old.tables) await table.bulkAdd(recordsOf(records, table.name as never));
  });
  expect(old.verno).toBe(version);
  old.close();
}

/** A stored post as the feed would carry it again. */
function asIncoming({
  id: _id,
  feedId: _feed,
  readAt: _read,
  firstSeenAt: _seen,
  ...post
}: PostV2 | Post): NewPost {
  const { sectionKeys: _sections, terms: _terms, ...incoming } = post as Post;
  return incoming;
}

const byCategory = (rows: { feedId: number; category: string }[]) =>
  [...rows].sort((a, b) => a.feedId - b.feedId || a.category.localeCompare(b.category));

describe('schema versions', () => {
  it('keeps shipped versions as they shipped (a change is a new version)', () => {
    expect(SCHEMA_V1).toEqual({
      feeds: '++id, &url',
      posts: '++id, &[feedId+guid], feedId, [readAt+publishedAt]',
      postContents: 'postId',
      readingList: '++id, &url, position',
      unreadCounts: '[feedId+category], feedId',
    });
    expect(SCHEMA_V2).toEqual({ ...SCHEMA_V1, hosts: 'host' });
    expect(SCHEMA_V3).toEqual({
      ...SCHEMA_V2,
      posts:
        '++id, &[feedId+guid], feedId, publishedAt, [readAt+publishedAt], [readAt+minutes], *sectionKeys',
      postTerms: 'postId, *terms',
    });
    expect(CURRENT_VERSION).toBe(3);
    expect(OLDER_VERSIONS.map(({ version }) => version)).toEqual(
      Array.from({ length: CURRENT_VERSION - 1 }, (_, i) => i + 1),
    );
  });
});

describe.each(OLDER_VERSIONS)('upgrading a database written by schema v$version', (older) => {
  let db: DispatchDb;
  let name: string;

  async function upgraded(): Promise<DispatchDb> {
    name = `upgrade-${crypto.randomUUID()}`;
    await writeOldDatabase(name, older);
    db = createDb(name);
    await db.open();
    return db;
  }

  afterEach(async () => {
    db.close();
    await Dexie.delete(name);
  });

  it(`opens at version ${CURRENT_VERSION} with every record unchanged`, async () => {
    await upgraded();

    expect(db.verno).toBe(CURRENT_VERSION);
    for (const table of TABLES.filter((name) => name !== 'posts')) {
      expect(await db.table(table).toArray(), table).toEqual(recordsOf(older.records, table));
    }
    const posts = await db.posts.toArray();
    expect(posts.map(({ sectionKeys: _s, terms: _t, ...post }) => post)).toEqual(
      older.records.posts,
    );
  });

  it('gives every post its sections while unread and its search words', async () => {
    await upgraded();

    const posts = new Map((await db.posts.toArray()).map((post) => [post.id, post]));
    for (const post of older.records.posts) {
      expect(posts.get(post.id), `post ${post.id}`).toEqual(upgradePostToV3(post));
    }
    expect(await db.postTerms.toArray()).toEqual(
      older.records.posts.map((post) => postTermsOf(upgradePostToV3(post))),
    );
    const [read, xlstm] = older.records.posts;
    expect(posts.get(read!.id)?.sectionKeys).toEqual([]);
    expect(posts.get(read!.id)?.terms).toEqual(expect.arrayContaining(['mamba', 'explained']));
    expect(posts.get(xlstm!.id)?.sectionKeys).toEqual([
      ['state space model', xlstm!.publishedAt],
      ['transformer', xlstm!.publishedAt],
    ]);
  });

  it('keeps the counters in agreement with the posts', async () => {
    await upgraded();

    const kept = byCategory((await listUnreadCounts(db)).filter((row) => row.unread > 0));
    await rebuildUnreadCounts(db);
    expect(byCategory(await listUnreadCounts(db))).toEqual(kept);
    expect(await unreadTotal(db)).toBe(older.records.posts.filter((p) => p.readAt === 0).length);
  });

  it('keeps a working hosts table', async () => {
    await upgraded();
    expect(await db.hosts.count()).toBe(older.records.hosts?.length ?? 0);

    await holdHost(db, { host: 'Other.Example', until: 5_000, reason: 'HTTP 429' });

    expect(await activeHostHold(db, 'other.example', 4_000)).toEqual({
      host: 'other.example',
      until: 5_000,
      reason: 'HTTP 429',
    });
    expect(await activeHostHold(db, 'other.example', 5_000)).toBeUndefined();
  });

  it('serves the current code: lists, finds by alias, polls without duplicates, reads', async () => {
    await upgraded();
    const [research] = older.records.feeds;
    const [, xlstm] = older.records.posts;

    const unread = older.records.posts
      .filter((post) => post.readAt === 0)
      .sort((a, b) => b.publishedAt - a.publishedAt)
      .map((post) => post.id);
    expect((await listUnread(db)).map((post) => post.id)).toEqual(unread);
    expect((await findFeedByUrl(db, 'https://research.example/rss'))?.id).toBe(research!.id);
    expect((await listReadingList(db)).map((item) => item.id)).toEqual([1, 2, 3]);

    const { added, changed } = await savePollResult(db, research!.id, {
      posts: [
        { ...asIncoming(xlstm!), content: '<p>Recurrent models, again.</p>' },
        aPost({ guid: 'tag:research.example,2026:new', title: 'New since the upgrade' }),
      ],
      feed: { etag: '"d4"' },
      now: Date.UTC(2026, 2, 1),
    });
    expect(added.map((post) => post.title)).toEqual(['New since the upgrade']);
    expect(changed).toBe(true);
    const researchPosts = older.records.posts.filter((post) => post.feedId === research!.id);
    expect(await db.posts.where('feedId').equals(research!.id).count()).toBe(
      researchPosts.length + 1,
    );

    const unreadBefore = await unreadTotal(db);
    await markRead(db, [xlstm!.id], Date.UTC(2026, 2, 2));
    const kept = byCategory((await listUnreadCounts(db)).filter((row) => row.unread > 0));
    await rebuildUnreadCounts(db);
    expect(byCategory(await listUnreadCounts(db))).toEqual(kept);
    expect(await unreadTotal(db)).toBe(unreadBefore - 1);
  });

  it("serves the popup's sections, budget, search and read list from the upgraded posts", async () => {
    await upgraded();
    const posts = older.records.posts;
    const unread = posts.filter((post) => post.readAt === 0);
    const titles = (list: { title: string }[]) => list.map((post) => post.title);

    const sections = summarizeSections(await listUnreadCounts(db));
    expect(sections.map((section) => section.key)).toEqual(
      [...new Set(unread.flatMap((post) => post.categories.map((c) => c.toLowerCase())))].sort(
        (a, b) =>
          Number(a === 'uncategorized') - Number(b === 'uncategorized') || a.localeCompare(b),
      ),
    );
    expect(unreadTotals(await listUnreadCounts(db)).unread).toBe(unread.length);
    expect(titles(await listSectionPosts(db, 'transformer', 0, 10))).toEqual([
      'Attention is a lookup',
      'xLSTM against transformers',
    ]);
    expect(titles(await listFitting(db, 1, 0, 10))).toEqual(
      titles(unread.filter((post) => post.minutes <= 1)),
    );
    const read = posts.filter((post) => post.readAt !== 0).sort((a, b) => b.readAt - a.readAt);
    expect(titles(await listRecentlyRead(db, 0, 10))).toEqual(titles(read));
    expect(titles((await searchPosts(db, 'mamba')).posts)).toEqual(['Mamba, explained']);

    await markUnread(db, [read[0]!.id]);
    expect((await listRecentlyRead(db, 0, 10)).map((post) => post.id)).toEqual(
      read.slice(1).map((post) => post.id),
    );
    const kept = byCategory((await listUnreadCounts(db)).filter((row) => row.unread > 0));
    await rebuildUnreadCounts(db);
    expect(byCategory(await listUnreadCounts(db))).toEqual(kept);
  });
});

describe('the v2 fixture after upgrading', () => {
  it('merges "AI" and "ai" from two blogs into one section and finds other scripts', async () => {
    const name = `upgrade-${crypto.randomUUID()}`;
    await writeOldDatabase(name, { version: 2, stores: SCHEMA_V2, records: V2_RECORDS });
    const db = createDb(name);
    try {
      const sections = summarizeSections(await listUnreadCounts(db));
      expect(sections.find((section) => section.key === 'ai')).toEqual({
        key: 'ai',
        name: 'AI',
        unread: 2,
        minutes: 4,
      });
      expect((await listSectionPosts(db, 'ai', 0, 10)).map((post) => post.id)).toEqual([6, 7]);
      expect((await searchPosts(db, 'заметки')).posts.map((post) => post.id)).toEqual([6]);
      expect((await searchPosts(db, '大学')).posts.map((post) => post.id)).toEqual([7]);
      expect((await searchPosts(db, 'cafe reviewers')).posts.map((post) => post.id)).toEqual([8]);
    } finally {
      db.close();
      await Dexie.delete(name);
    }
  });
});
