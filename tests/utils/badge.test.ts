import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  badgeText,
  describeBadge,
  minutesBadgeText,
  refreshBadge,
  registerBadge,
} from '@/utils/badge';
import { getDb } from '@/utils/db/db';
import { removeFeed } from '@/utils/db/feeds';
import { markRead, savePollResult } from '@/utils/db/posts';
import { badgeMode, categoryModes } from '@/utils/settings';
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

describe('minutesBadgeText', () => {
  it.each([
    [0, ''],
    [1, '1m'],
    [45, '45m'],
    [59, '59m'],
    [60, '1h'],
    [89, '1h'],
    [90, '2h'],
    [600, '10h'],
    [99 * 60, '99h'],
    [99 * 60 + 30, '99h+'],
    [100_000, '99h+'],
  ])('shows %i unread minutes as "%s" (at most four characters)', (minutes, text) => {
    expect(minutesBadgeText(minutes)).toBe(text);
    expect(text.length).toBeLessThanOrEqual(4);
  });
});

describe('describeBadge', () => {
  it.each([
    ['posts', 12, 45, '12', 'Dispatch — 12 unread posts'],
    ['posts', 1, 2, '1', 'Dispatch — 1 unread post'],
    ['posts', 0, 0, '', 'Dispatch — no unread posts'],
    ['minutes', 12, 45, '45m', 'Dispatch — 45 min unread'],
    ['minutes', 0, 0, '', 'Dispatch — no unread posts'],
    ['notifying', 3, 9, '3', 'Dispatch — 3 unread posts in notifying categories'],
    ['off', 12, 45, '', 'Dispatch'],
  ] as const)(
    'in %s mode, %i posts of %i min read "%s", titled "%s"',
    (mode, unread, minutes, text, title) => {
      expect(describeBadge(mode, { unread, minutes })).toEqual({ text, title });
    },
  );
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

  it("counts what the badge mode says, and says so in the button's tooltip", async () => {
    const db = freshDb();
    const loud = await aFeed(db, { title: 'Loud' });
    const silent = await aFeed(db, { title: 'Silent', notify: false });
    await savePollResult(db, loud.id, {
      posts: [
        aPost({ categories: ['State Space Model'], minutes: 20 }),
        aPost({ categories: ['Transformer'], minutes: 30 }),
        aPost({ categories: ['Transformer', 'State Space Model'], minutes: 5 }),
      ],
      feed: {},
      now: 1,
    });
    await savePollResult(db, silent.id, {
      posts: [aPost({ categories: ['State Space Model'], minutes: 60 })],
      feed: {},
      now: 1,
    });
    await categoryModes.setValue({ transformer: 'list' });
    const badge = async () => {
      await refreshBadge(db);
      return [await fakeBrowser.action.getBadgeText({}), await fakeBrowser.action.getTitle({})];
    };

    expect(await badge()).toEqual(['4', 'Dispatch — 4 unread posts']);
    await badgeMode.setValue('minutes');
    expect(await badge()).toEqual(['2h', 'Dispatch — 115 min unread']);
    await badgeMode.setValue('notifying');
    expect(await badge()).toEqual(['2', 'Dispatch — 2 unread posts in notifying categories']);
    await badgeMode.setValue('off');
    expect(await badge()).toEqual(['', 'Dispatch']);
  });

  it('leaves out the posts of muted categories, but not a post also in a listed one', async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    await savePollResult(db, feed.id, {
      posts: [
        aPost({ categories: ['Crypto'] }),
        aPost({ categories: ['crypto'] }),
        aPost({ categories: ['Crypto', 'Transformer'] }),
        aPost({ categories: ['Transformer'] }),
      ],
      feed: {},
      now: 1,
    });
    expect(await refreshBadge(db)).toBe('4');

    await categoryModes.setValue({ crypto: 'mute' });

    expect(await refreshBadge(db)).toBe('2');
    await badgeMode.setValue('minutes');
    expect(await refreshBadge(db)).toBe('4m');
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

  it("follows a change of the badge mode or of a category's mode at once", async () => {
    const db = getDb();
    const feed = await aFeed(db);
    await savePollResult(db, feed.id, {
      posts: [aPost({ categories: ['Crypto'], minutes: 3 }), aPost({ minutes: 4 })],
      feed: {},
      now: 1,
    });
    registerBadge();
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('2'));

    await badgeMode.setValue('minutes');
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('7m'));
    await categoryModes.setValue({ crypto: 'mute' });
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('4m'));
    await badgeMode.setValue('off');
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe(''));
    await removeFeed(db, feed.id);
  });
});
