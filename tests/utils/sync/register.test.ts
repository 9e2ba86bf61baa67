import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { getDb } from '@/utils/db/db';
import { listFeeds } from '@/utils/db/feeds';
import { lastSyncReport, registerSync, syncNow, syncOnTick } from '@/utils/sync';
import { emptyDoc, feedValue, layoutDoc } from '@/utils/sync/doc';

const db = getDb();

beforeEach(async () => {
  fakeBrowser.reset();
  await Promise.all(db.tables.map((table) => table.clear()));
});

/** What another browser's sync writes: one blog. */
function anotherBrowsersCopy(): Record<string, unknown> {
  const doc = emptyDoc();
  const url = 'https://elsewhere.example/feed.xml';
  doc.feeds.set('elsewhere.example/feed.xml', {
    t: 100,
    v: feedValue({ url, title: 'Elsewhere' }),
  });
  return layoutDoc(doc)!.items;
}

describe('registerSync', () => {
  it('applies another browser’s change of the synced copy when sync is on', async () => {
    await fakeBrowser.storage.local.set({ syncEnabled: true });
    registerSync();

    await fakeBrowser.storage.sync.set(anotherBrowsersCopy());

    await vi.waitFor(async () =>
      expect((await listFeeds(db)).map((f) => f.title)).toEqual(['Elsewhere']),
    );
    await vi.waitFor(async () =>
      expect((await lastSyncReport())?.message).toMatch(/^Synced 1 blog,/),
    );
  });

  it('ignores the synced copy while sync is off, and syncs when it is turned on', async () => {
    registerSync();
    await fakeBrowser.storage.sync.set(anotherBrowsersCopy());
    await syncOnTick();
    expect(await listFeeds(db)).toEqual([]);
    expect((await syncNow()).message).toMatch(/^Sync is off/);

    await fakeBrowser.storage.local.set({ syncEnabled: true });

    await vi.waitFor(async () => expect(await listFeeds(db)).toHaveLength(1));
  });

  it('answers syncNow with the report it keeps for the options page', async () => {
    await fakeBrowser.storage.local.set({ syncEnabled: true, wordsPerMinute: 300 });

    const report = await syncNow();

    expect(report).toMatchObject({ ok: true, dropped: { readStates: 0, readingItems: 0 } });
    expect(report.message).toMatch(
      /^Synced 0 blogs, 0 reading-list items and 0 read posts \(1 KB of 100 KB\)\.$/,
    );
    expect(await lastSyncReport()).toEqual(report);
    expect(Object.keys(await fakeBrowser.storage.sync.get(null))).toEqual(['dispatch:s:0']);
  });
});
