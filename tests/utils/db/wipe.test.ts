import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DispatchDb } from '@/utils/db/db';
import { addFeedWithPosts, listFeeds } from '@/utils/db/feeds';
import { markRead, savePollResult } from '@/utils/db/posts';
import { saveToReadingList } from '@/utils/db/reading-list';
import { unreadTotal } from '@/utils/db/unread-counts';
import { deleteEverything } from '@/utils/db/wipe';
import { badgeMode, readSettings, SETTINGS } from '@/utils/settings';
import { aFeed, aPost, dumpDb, expectCountersToAgree, freshDb } from '../../helpers/db';

let db: DispatchDb;

beforeEach(() => {
  fakeBrowser.reset();
  db = freshDb();
});

/** Something in every table and every storage area. */
async function fillEverything() {
  const feed = await aFeed(db, { url: 'https://blog.example/feed.xml' });
  const { added } = await savePollResult(db, feed.id, {
    posts: [aPost({ content: '<p>Body</p>' }), aPost()],
    feed: {},
    now: 1,
  });
  await markRead(db, [added[0]!.id], 2);
  await saveToReadingList(db, { url: added[1]!.url!, title: 'Later', postId: added[1]!.id }, 3);
  await db.hosts.put({ host: 'blog.example', until: 9_999, reason: 'HTTP 429' });
  await badgeMode.setValue('minutes');
  await fakeBrowser.storage.session.set({ 'dispatch-notification-1': { postIds: [1] } });
  await fakeBrowser.storage.sync.set({ dispatchFeeds: ['https://blog.example/feed.xml'] });
}

describe('deleteEverything', () => {
  it('leaves every table empty and every storage area clear', async () => {
    await fillEverything();
    const filled = await dumpDb(db);
    expect(Object.values(filled).every((rows) => rows.length > 0)).toBe(true);

    await deleteEverything(db);

    const dump = await dumpDb(db);
    expect(Object.keys(dump)).toEqual(Object.keys(filled));
    expect(Object.values(dump).every((rows) => rows.length === 0)).toBe(true);
    for (const area of ['local', 'session', 'sync'] as const) {
      expect(await fakeBrowser.storage[area].get(null)).toEqual({});
    }
  });

  it('puts every setting back to its default', async () => {
    await fillEverything();

    await deleteEverything(db);

    const defaults = Object.fromEntries(
      Object.entries(SETTINGS).map(([name, setting]) => [name, setting.defaultValue]),
    );
    expect(await readSettings()).toEqual(defaults);
  });

  it('lets the same blog be followed again afterwards, as on a new install', async () => {
    await fillEverything();
    await deleteEverything(db);

    const { feed, added } = await addFeedWithPosts(
      db,
      { url: 'https://blog.example/feed.xml', title: 'Edge Notes' },
      { posts: [aPost(), aPost()], feed: {}, now: 10 },
    );

    expect((await listFeeds(db)).map((f) => f.id)).toEqual([feed.id]);
    expect(added).toHaveLength(2);
    expect(await unreadTotal(db)).toBe(2);
    await expectCountersToAgree(db);
  });

  it('does nothing harmful on an empty database', async () => {
    await deleteEverything(db);

    expect(await unreadTotal(db)).toBe(0);
  });
});
