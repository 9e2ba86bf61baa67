import { beforeEach, describe, expect, it } from 'vitest';
import {
  addFeed,
  addFeedWithPosts,
  feedIdentityKey,
  findFeedByUrl,
  listDueFeeds,
  removeFeed,
  updateFeedPreferences,
} from '@/utils/db/feeds';
import type { DispatchDb } from '@/utils/db/db';
import { savePollResult } from '@/utils/db/posts';
import { listReadingList, saveToReadingList } from '@/utils/db/reading-list';
import { searchPosts } from '@/utils/db/search';
import { unreadTotal } from '@/utils/db/unread-counts';
import { aFeed, aPost, freshDb } from '../../helpers/db';

describe('feedIdentityKey', () => {
  it.each([
    ['http://blog.example/feed.xml', 'https://blog.example/feed.xml'],
    ['https://www.blog.example/feed.xml', 'https://blog.example/feed.xml'],
    ['https://BLOG.example/feed/', 'https://blog.example/feed'],
    ['https://blog.example:443/feed', 'https://blog.example/feed'],
  ])('treats %s and %s as the same feed', (a, b) => {
    expect(feedIdentityKey(a)).toBe(feedIdentityKey(b));
  });

  it('keeps the case of the path, which is significant', () => {
    expect(feedIdentityKey('https://blog.example/Feed')).not.toBe(
      feedIdentityKey('https://blog.example/feed'),
    );
  });
});

describe('addFeedWithPosts', () => {
  it('adds the feed and its first posts together', async () => {
    const db = freshDb();
    const { feed, added } = await addFeedWithPosts(
      db,
      { url: 'https://blog.example/feed.xml', title: 'Edge Notes' },
      { posts: [aPost(), aPost()], feed: { etag: '"v1"', lastCheckedAt: 7 }, now: 7 },
    );

    expect(added).toHaveLength(2);
    expect(await db.feeds.get(feed.id)).toMatchObject({ etag: '"v1"', lastCheckedAt: 7 });
    expect(await unreadTotal(db)).toBe(2);
  });

  it('adds nothing when the feed is already followed under the same URL', async () => {
    const db = freshDb();
    await addFeed(db, { url: 'https://blog.example/feed.xml', title: 'Edge Notes' }, 1);

    await expect(
      addFeedWithPosts(
        db,
        { url: 'https://blog.example/feed.xml', title: 'Again' },
        { posts: [aPost()], feed: {}, now: 2 },
      ),
    ).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await db.posts.count()).toBe(0);
    expect(await db.feeds.count()).toBe(1);
  });
});

describe('feeds repository', () => {
  it('adds a feed due at once, with no checks yet', async () => {
    const db = freshDb();
    const feed = await addFeed(
      db,
      { url: 'https://blog.example/feed.xml', title: 'Edge Notes' },
      5_000,
    );

    expect(feed).toMatchObject({
      id: expect.any(Number),
      lastCheckedAt: 0,
      failures: 0,
      status: 'active',
      nextPollAt: 5_000,
    });
    expect((await listDueFeeds(db, 5_000)).map((due) => due.id)).toEqual([feed.id]);
    expect(await listDueFeeds(db, 4_999)).toEqual([]);
  });

  it('finds a feed by another spelling of its URL or by an old URL', async () => {
    const db = freshDb();
    const feed = await aFeed(db, {
      url: 'https://blog.example/feed.xml',
      aliases: ['https://old.example/rss'],
    });

    expect((await findFeedByUrl(db, 'http://www.blog.example/feed.xml'))?.id).toBe(feed.id);
    expect((await findFeedByUrl(db, 'https://old.example/rss'))?.id).toBe(feed.id);
    expect(await findFeedByUrl(db, 'https://other.example/feed.xml')).toBeUndefined();
  });

  it('does not poll a feed that is gone', async () => {
    const db = freshDb();
    await aFeed(db, { status: 'gone', nextPollAt: 0 });

    expect(await listDueFeeds(db, Date.now())).toEqual([]);
  });

  it('removes a blog with its posts and counts but keeps its reading-list items', async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    const other = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [aPost({ title: 'Zebra stripes' }), aPost()],
      feed: {},
      now: 1,
    });
    await savePollResult(db, other.id, { posts: [aPost()], feed: {}, now: 1 });
    await saveToReadingList(
      db,
      { url: added[0]!.url!, title: added[0]!.title, postId: added[0]!.id },
      2,
    );

    await removeFeed(db, feed.id);

    expect(await db.feeds.count()).toBe(1);
    expect(await db.posts.count()).toBe(1);
    expect(await db.postContents.count()).toBe(0);
    expect(await unreadTotal(db)).toBe(1);
    expect((await searchPosts(db, 'zebra')).total).toBe(0);
    expect(await db.postTerms.count()).toBe(1);
    const [item] = await listReadingList(db);
    expect(item).toMatchObject({ url: added[0]!.url, title: added[0]!.title });
    expect(item?.postId).toBeUndefined();
  });
});

describe('updateFeedPreferences', () => {
  const MINUTE = 60_000;
  const NOW = Date.UTC(2026, 2, 12, 12);
  let db: DispatchDb;

  beforeEach(() => {
    db = freshDb();
  });

  it('brings the next check forward when the new interval is shorter', async () => {
    const feed = await aFeed(db, {
      lastCheckedAt: NOW - 10 * MINUTE,
      nextPollAt: NOW + 6 * 60 * MINUTE,
    });

    await updateFeedPreferences(db, feed.id, { intervalMinutes: 15 }, NOW);

    expect(await db.feeds.get(feed.id)).toMatchObject({
      intervalMinutes: 15,
      nextPollAt: NOW + 5 * MINUTE,
    });
  });

  it('checks at once when the new interval has already passed', async () => {
    const feed = await aFeed(db, {
      lastCheckedAt: NOW - 60 * MINUTE,
      nextPollAt: NOW + 6 * 60 * MINUTE,
    });

    await updateFeedPreferences(db, feed.id, { intervalMinutes: 15 }, NOW);

    expect((await db.feeds.get(feed.id))?.nextPollAt).toBe(NOW);
  });

  it('leaves the next check alone for a longer interval, an unchecked or a gone feed', async () => {
    const later = await aFeed(db, { lastCheckedAt: NOW, nextPollAt: NOW + 30 * MINUTE });
    const unchecked = await aFeed(db, { nextPollAt: NOW + MINUTE });
    const gone = await aFeed(db, {
      status: 'gone',
      lastCheckedAt: NOW - 60 * MINUTE,
      nextPollAt: Infinity,
    });

    for (const feed of [later, unchecked, gone]) {
      await updateFeedPreferences(db, feed.id, { intervalMinutes: 24 * 60 }, NOW);
    }
    await updateFeedPreferences(db, gone.id, { intervalMinutes: 15 }, NOW);

    expect((await db.feeds.get(later.id))?.nextPollAt).toBe(NOW + 30 * MINUTE);
    expect((await db.feeds.get(unchecked.id))?.nextPollAt).toBe(NOW + MINUTE);
    expect((await db.feeds.get(gone.id))?.nextPollAt).toBe(Infinity);
  });
});
