import { beforeEach, describe, expect, it } from 'vitest';
import { addFeed, listFeeds, removeFeed } from '@/utils/db/feeds';
import { markRead, markUnread, savePollResult } from '@/utils/db/posts';
import {
  addToReadingList,
  finishReadingItem,
  listReadingList,
  removeReadingItem,
} from '@/utils/db/reading-list';
import type { DispatchDb } from '@/utils/db/db';
import type { ReadingListItem } from '@/utils/db/types';
import { runSync } from '@/utils/sync';
import { QUOTA_BYTES, QUOTA_BYTES_PER_ITEM } from '@/utils/sync/doc';
import { aPost, expectCountersToAgree } from '../../helpers/db';
import { aBrowser, fakeArea, type FakeArea } from './fakes';

const MINUTE = 60_000;
type Browser = Awaited<ReturnType<typeof aBrowser>>;

let sync: FakeArea;
let clock: { now: number };
let a: Browser;
let b: Browser;

beforeEach(async () => {
  sync = fakeArea({ quotas: true });
  clock = { now: Date.UTC(2026, 5, 1) };
  a = await aBrowser(sync, clock);
  b = await aBrowser(sync, clock);
});

/** A syncs, then B, then A again: what two browsers do after each other's writes. */
async function syncBoth(): Promise<void> {
  await a.syncNow();
  await b.syncNow();
  await a.syncNow();
}

const later = (minutes = 1) => (clock.now += minutes * MINUTE);

async function follow(browser: Browser, url: string, title = url) {
  return addFeed(browser.db, { url, title }, clock.now);
}

async function titles(db: DispatchDb): Promise<string[]> {
  return (await listFeeds(db)).map((feed) => feed.title).sort();
}

/** The same posts (same guids) stored in a browser's copy of a blog. */
async function poll(db: DispatchDb, feedId: number, guids: string[]) {
  const posts = guids.map((guid) => aPost({ guid, url: `https://blog.example/${guid}` }));
  await savePollResult(db, feedId, { posts, feed: {}, now: clock.now });
  return db.posts.where('feedId').equals(feedId).toArray();
}

async function readGuids(db: DispatchDb): Promise<string[]> {
  return (await db.posts.toArray())
    .filter((post) => post.readAt !== 0)
    .map((post) => post.guid)
    .sort();
}

describe('sync between two browsers', () => {
  it('ends with the blogs added in both, once each', async () => {
    await follow(a, 'https://x.example/feed.xml', 'Blog X');
    await follow(b, 'https://y.example/feed.xml', 'Blog Y');
    await follow(b, 'https://www.x.example/feed.xml/', 'Blog X (B)');

    await syncBoth();

    expect(await titles(a.db)).toHaveLength(2);
    expect(await titles(b.db)).toEqual(await titles(a.db));
    expect(await titles(a.db)).toContain('Blog Y');
  });

  it('carries tags, per-blog notifications and intervals', async () => {
    const feed = await follow(a, 'https://x.example/feed.xml', 'Blog X');
    await a.db.feeds.update(feed.id, { tags: ['AI'], notify: false, intervalMinutes: 120 });

    await syncBoth();

    const [copy] = await listFeeds(b.db);
    expect(copy).toMatchObject({ tags: ['AI'], notify: false, intervalMinutes: 120 });
  });

  it('removes a blog removed in the other browser, keeping its reading-list items', async () => {
    const feed = await follow(a, 'https://z.example/feed.xml', 'Blog Z');
    await syncBoth();
    const [copy] = await listFeeds(b.db);
    const [post] = await poll(b.db, copy!.id, ['p1']);
    await addToReadingList(b.db, { url: post!.url!, title: 'Saved', postId: post!.id }, clock.now);

    later();
    await removeFeed(a.db, feed.id);
    await syncBoth();

    expect(await listFeeds(b.db)).toEqual([]);
    expect((await listReadingList(b.db)).map((item) => item.title)).toEqual(['Saved']);
  });

  it('keeps a blog renamed in one browser after it was removed in the other', async () => {
    const feed = await follow(a, 'https://z.example/feed.xml', 'Blog Z');
    await syncBoth();
    await removeFeed(a.db, feed.id);
    await a.syncNow();
    later();
    const [copy] = await listFeeds(b.db);
    await b.db.feeds.update(copy!.id, { title: 'Zed' });

    await b.syncNow();
    await a.syncNow();

    expect(await titles(a.db)).toEqual(['Zed']);
    expect(await titles(b.db)).toEqual(['Zed']);
  });

  it('removes a blog when the removal comes after the rename', async () => {
    const feed = await follow(a, 'https://z.example/feed.xml', 'Blog Z');
    await syncBoth();
    const [copy] = await listFeeds(b.db);
    await b.db.feeds.update(copy!.id, { title: 'Zed' });
    await b.syncNow();
    later();
    await removeFeed(a.db, feed.id);

    await syncBoth();

    expect(await listFeeds(a.db)).toEqual([]);
    expect(await listFeeds(b.db)).toEqual([]);
  });

  it('does not add a blog followed here under its earlier address', async () => {
    const moved = await follow(a, 'https://new.example/feed.xml', 'Moved');
    await a.db.feeds.update(moved.id, { aliases: ['https://old.example/feed.xml'] });
    await follow(b, 'https://old.example/feed.xml', 'Moved');

    await syncBoth();
    await b.syncNow();

    expect(await listFeeds(a.db)).toHaveLength(1);
    expect(await listFeeds(b.db)).toHaveLength(1);
  });

  it('merges the reading lists by address, with finished and removed items', async () => {
    const one = await addToReadingList(
      a.db,
      { url: 'https://one.example/', title: 'One' },
      clock.now,
    );
    await addToReadingList(a.db, { url: 'https://gone.example/', title: 'Gone' }, clock.now);
    await addToReadingList(b.db, { url: 'https://two.example/', title: 'Two' }, clock.now);
    await addToReadingList(b.db, { url: 'https://one.example/', title: 'One' }, clock.now);
    await syncBoth();
    later();
    await finishReadingItem(a.db, one.item.id, clock.now);
    const gone = (await listReadingList(b.db)).find((item) => item.url.includes('gone'));
    await removeReadingItem(b.db, gone!.id);

    await syncBoth();

    for (const browser of [a, b]) {
      const items = await listReadingList(browser.db);
      expect(items.map((item) => item.title).sort()).toEqual(['One', 'Two']);
      expect(items.find((item) => item.title === 'One')!.doneAt).not.toBe(0);
    }
  });

  it('shares read states of the same posts, keeping the unread counts right', async () => {
    const url = 'https://blog.example/feed.xml';
    const feedA = await follow(a, url);
    const feedB = await follow(b, url);
    const postsA = await poll(a.db, feedA.id, ['p1', 'p2', 'p3']);
    const postsB = await poll(b.db, feedB.id, ['p1', 'p2', 'p3']);
    await markRead(a.db, [postsA[0]!.id], clock.now);
    await markRead(b.db, [postsB[2]!.id], clock.now);

    await syncBoth();

    expect(await readGuids(a.db)).toEqual(['p1', 'p3']);
    expect(await readGuids(b.db)).toEqual(['p1', 'p3']);
    await expectCountersToAgree(a.db);
    await expectCountersToAgree(b.db);
  });

  it('lets a later "mark unread" win over the read in the other browser', async () => {
    const url = 'https://blog.example/feed.xml';
    const [postA] = await poll(a.db, (await follow(a, url)).id, ['p1']);
    await poll(b.db, (await follow(b, url)).id, ['p1']);
    await markRead(a.db, [postA!.id], clock.now);
    await syncBoth();
    expect(await readGuids(b.db)).toEqual(['p1']);

    later();
    const [postB] = await b.db.posts.toArray();
    await markUnread(b.db, [postB!.id]);
    await b.syncNow();
    await a.syncNow();

    expect(await readGuids(a.db)).toEqual([]);
    await expectCountersToAgree(a.db);
  });

  it('applies a synced read state to a post that arrives later', async () => {
    const url = 'https://blog.example/feed.xml';
    const [postA] = await poll(a.db, (await follow(a, url)).id, ['p1']);
    await markRead(a.db, [postA!.id], clock.now);
    await syncBoth();
    const [feedB] = await listFeeds(b.db);

    await poll(b.db, feedB!.id, ['p1']);
    await runSync(b.deps, 'tick');

    expect(await readGuids(b.db)).toEqual(['p1']);
  });

  it('syncs settings but not whether sync is on', async () => {
    await a.local.set({ wordsPerMinute: 300, badgeMode: 'minutes' });
    await b.local.set({ wordsPerMinute: 180 });
    await syncBoth();
    later();
    await b.local.set({ quietHours: { enabled: true, start: '23:00', end: '06:00' } });
    await syncBoth();

    const keys = ['wordsPerMinute', 'badgeMode', 'quietHours', 'syncEnabled'];
    expect(await b.local.get(keys)).toEqual(await a.local.get(keys));
    expect((await b.local.get(['badgeMode'])).badgeMode).toBe('minutes');
    expect(JSON.stringify([...sync.data.values()])).not.toContain('syncEnabled');
  });

  it('ignores a synced setting this version finds invalid', async () => {
    await a.syncNow();
    const key = [...sync.data.keys()].find((k) => k.startsWith('dispatch:s:'))!;
    const settings = sync.data.get(key) as Record<string, [number, unknown]>;
    await sync.set({ [key]: { ...settings, wordsPerMinute: [Date.now(), 'fast'] } });

    await b.syncNow();

    expect((await b.local.get(['wordsPerMinute'])).wordsPerMinute).toBeUndefined();
  });

  it('stops writing once both agree (no ping-pong)', async () => {
    await follow(a, 'https://x.example/feed.xml');
    await addToReadingList(b.db, { url: 'https://one.example/', title: 'One' }, clock.now);
    await syncBoth();
    await b.syncNow();
    const writes = sync.writes;

    await a.syncNow();
    await b.syncNow();
    later(5);
    await runSync(a.deps, 'tick');
    await runSync(b.deps, 'remote');

    expect(sync.writes).toBe(writes);
  });

  it('does nothing on a tick when nothing changed, and syncs what did', async () => {
    await follow(a, 'https://x.example/feed.xml');
    await a.syncNow();
    const localWrites = a.local.writes;

    expect(await runSync(a.deps, 'tick')).toBeUndefined();
    expect(a.local.writes).toBe(localWrites);

    await follow(a, 'https://y.example/feed.xml');
    expect((await runSync(a.deps, 'tick'))?.message).toMatch(/^Synced 2 blogs/);
  });

  it('touches nothing while sync is off, and says so', async () => {
    await a.local.set({ syncEnabled: false });
    await follow(a, 'https://x.example/feed.xml');

    const report = await a.syncNow();

    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/Sync is off/);
    expect(sync.data.size).toBe(0);
    expect(await runSync(a.deps, 'tick')).toBeUndefined();
  });

  it('reports a refused write in words and writes it at the next tick', async () => {
    await follow(a, 'https://x.example/feed.xml');
    sync.failNextWrite('MAX_WRITE_OPERATIONS_PER_MINUTE quota exceeded');

    const failed = await a.syncNow();

    expect(failed.ok).toBe(false);
    expect(failed.message).toMatch(/Could not write to the browser’s sync storage/);
    expect((await runSync(a.deps, 'tick'))?.ok).toBe(true);
    await b.syncNow();
    expect(await listFeeds(b.db)).toHaveLength(1);
  });
});

describe('sync within the quotas', () => {
  it(
    'keeps 2,000 read states and 300 reading-list items under 100 KB, leaving out the oldest',
    { timeout: 30_000 },
    async () => {
      const url = 'https://blog.example/feed.xml';
      const feed = await follow(a, url);
      const guids = Array.from({ length: 2_000 }, (_, i) => `post-${i}`);
      const posts = await poll(a.db, feed.id, guids);
      // Read in 20 sittings, a minute apart: post-0… first, post-1999 last.
      for (let i = 0; i < 20; i++) {
        const sitting = posts.slice(i * 100, (i + 1) * 100).map((post) => post.id);
        await markRead(a.db, sitting, Date.UTC(2026, 0, 1) + i * MINUTE);
      }
      await a.db.readingList.bulkAdd(
        Array.from({ length: 300 }, (_, i) => ({
          url: `https://articles.example/${i}/an-article-about-state-space-models`,
          title: `An article worth reading later, on long-context state space models, number ${i}`,
          note: 'Read with the paper open: the appendix has the ablations that matter.',
          addedAt: clock.now + i,
          position: i + 1,
          doneAt: i < 100 ? clock.now + i : 0,
        })) as ReadingListItem[],
      );

      const report = await a.syncNow();

      expect(report.ok).toBe(true);
      expect(sync.bytes()).toBeLessThanOrEqual(QUOTA_BYTES);
      expect(report.bytes).toBe(sync.bytes());
      for (const [key, value] of sync.data) {
        expect(key.length + JSON.stringify(value).length).toBeLessThanOrEqual(QUOTA_BYTES_PER_ITEM);
      }
      expect(report.dropped.readStates).toBeGreaterThan(0);
      expect(report.message).toMatch(
        /^Synced 1 blog, 300 reading-list items and [\d,]+ read posts \(\d+ KB of 100 KB\)\. Left out to stay within the browser’s sync storage: [\d,]+ older read states \(kept on this device\)\.$/,
      );

      // What B receives is the newest read states.
      const feedB = await follow(b, url);
      await poll(b.db, feedB.id, guids);
      await b.syncNow();
      const read = new Set(await readGuids(b.db));
      expect(read.size).toBe(2_000 - report.dropped.readStates);
      expect(read.has('post-1999')).toBe(true);
      expect(read.has('post-0')).toBe(false);
    },
  );
});
