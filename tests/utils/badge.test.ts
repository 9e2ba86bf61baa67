import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { badgeText, refreshBadge, registerBadge } from '@/utils/badge';
import { getDb } from '@/utils/db/db';
import { removeFeed } from '@/utils/db/feeds';
import { markRead, savePollResult } from '@/utils/db/posts';
import { aFeed, aPost, freshDb } from '../helpers/db';

describe('badgeText', () => {
  it.each([
    [0, ''],
    [1, '1'],
    [999, '999'],
    [1000, '999+'],
  ])('shows %i unread as "%s"', (unread, text) => {
    expect(badgeText(unread)).toBe(text);
  });
});

describe('refreshBadge', () => {
  beforeEach(() => fakeBrowser.reset());

  it('shows the unread count from the database, each post once', async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [aPost({ categories: ['A', 'B'] }), aPost(), aPost()],
      feed: {},
      now: 1,
    });

    expect(await refreshBadge(db)).toBe('3');
    expect(await fakeBrowser.action.getBadgeText({})).toBe('3');

    await markRead(
      db,
      added.map((post) => post.id),
      2,
    );
    await refreshBadge(db);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });
});

describe('registerBadge', () => {
  beforeEach(() => fakeBrowser.reset());

  it('sets the badge from the database as soon as the worker starts', async () => {
    const db = getDb();
    const feed = await aFeed(db);
    await savePollResult(db, feed.id, { posts: [aPost(), aPost(), aPost()], feed: {}, now: 1 });
    // As a worker stopped after a poll's write and before its badge refresh left it.
    await fakeBrowser.action.setBadgeText({ text: '' });

    registerBadge();

    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('3'));
    await removeFeed(db, feed.id);
  });

  it('sets the badge from the database when the browser starts', async () => {
    const db = getDb();
    const feed = await aFeed(db);
    await savePollResult(db, feed.id, { posts: [aPost(), aPost()], feed: {}, now: 1 });
    registerBadge();

    await fakeBrowser.runtime.onStartup.trigger();

    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('2'));
    await removeFeed(db, feed.id);
  });
});
