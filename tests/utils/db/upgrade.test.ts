/**
 * The upgrade path (STYLE.md rule 6, `utils/db/schema.ts`): a database written by each older
 * schema version alone opens with `createDb`, and every record comes through unchanged.
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type DispatchDb } from '@/utils/db/db';
import { findFeedByUrl } from '@/utils/db/feeds';
import { activeHostHold, holdHost } from '@/utils/db/hosts';
import { listUnread, markRead, savePollResult } from '@/utils/db/posts';
import { listReadingList } from '@/utils/db/reading-list';
import type { NewPost, Post } from '@/utils/db/types';
import { CURRENT_VERSION, SCHEMA_V1, SCHEMA_V2 } from '@/utils/db/schema';
import { listUnreadCounts, rebuildUnreadCounts, unreadTotal } from '@/utils/db/unread-counts';
import { aPost } from '../../helpers/db';
import { V1_RECORDS, type V1Records } from './fixtures';

/** Every older version: its schema as it shipped, and a fixture of what it wrote. */
const OLDER_VERSIONS: { version: number; stores: Record<string, string>; records: V1Records }[] = [
  { version: 1, stores: SCHEMA_V1, records: V1_RECORDS },
];

const TABLES = ['feeds', 'posts', 'postContents', 'readingList', 'unreadCounts'] as const;

/** Writes `records` with the old schema alone (no later version declared), then closes. */
async function writeOldDatabase(
  name: string,
  { version, stores, records }: (typeof OLDER_VERSIONS)[number],
): Promise<void> {
  const old = new Dexie(name);
  old.version(version).stores(stores);
  await old.transaction('rw', old.tables, async () => {
    for (const table of TABLES) await old.table(table).bulkAdd(records[table]);
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
}: Post): NewPost {
  return post;
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
    expect(CURRENT_VERSION).toBe(2);
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
    for (const table of TABLES) {
      expect(await db.table(table).toArray(), table).toEqual(older.records[table]);
    }
  });

  it('keeps the counters in agreement with the posts', async () => {
    await upgraded();

    const kept = byCategory((await listUnreadCounts(db)).filter((row) => row.unread > 0));
    await rebuildUnreadCounts(db);
    expect(byCategory(await listUnreadCounts(db))).toEqual(kept);
    expect(await unreadTotal(db)).toBe(older.records.posts.filter((p) => p.readAt === 0).length);
  });

  it('adds a working, empty hosts table', async () => {
    await upgraded();
    expect(await db.hosts.count()).toBe(0);

    await holdHost(db, { host: 'Research.Example', until: 5_000, reason: 'HTTP 429' });

    expect(await activeHostHold(db, 'research.example', 4_000)).toEqual({
      host: 'research.example',
      until: 5_000,
      reason: 'HTTP 429',
    });
    expect(await activeHostHold(db, 'research.example', 5_000)).toBeUndefined();
  });

  it('serves the current code: lists, finds by alias, polls without duplicates, reads', async () => {
    await upgraded();
    const [research] = older.records.feeds;
    const [, xlstm] = older.records.posts;

    expect((await listUnread(db)).map((post) => post.id)).toEqual([3, 2, 4]);
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
    expect(await db.posts.where('feedId').equals(research!.id).count()).toBe(4);

    await markRead(db, [xlstm!.id], Date.UTC(2026, 2, 2));
    const kept = byCategory((await listUnreadCounts(db)).filter((row) => row.unread > 0));
    await rebuildUnreadCounts(db);
    expect(byCategory(await listUnreadCounts(db))).toEqual(kept);
    expect(await unreadTotal(db)).toBe(3);
  });
});
