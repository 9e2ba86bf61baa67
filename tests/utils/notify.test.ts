import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DispatchDb } from '@/utils/db/db';
import { savePollResult } from '@/utils/db/posts';
import type { Post } from '@/utils/db/types';
import {
  describeNewPosts,
  handleNotificationClick,
  NOTIFICATION_PREFIX,
  notifyNewPosts,
  registerNotificationClicks,
  type NewPostNotice,
} from '@/utils/notify';
import { aFeed, aPost, freshDb } from '../helpers/db';

let db: DispatchDb;

beforeEach(() => {
  fakeBrowser.reset();
  db = freshDb();
});

async function storedPosts(count: number, feedTitle = 'Edge Notes'): Promise<NewPostNotice[]> {
  const feed = await aFeed(db, { title: feedTitle });
  const { added } = await savePollResult(db, feed.id, {
    posts: Array.from({ length: count }, () => aPost()),
    feed: {},
    now: 1,
  });
  return added.map((post) => ({ post, feedTitle }));
}

function notice(overrides: Partial<Post>, feedTitle = 'Edge Notes'): NewPostNotice {
  const post: Post = {
    id: 1,
    feedId: 1,
    guid: 'g',
    title: 'A post',
    categories: ['Uncategorized'],
    publishedAt: 0,
    firstSeenAt: 0,
    words: 200,
    minutes: 1,
    minutesFromSummary: false,
    readAt: 0,
    sectionKeys: [],
    terms: [],
    ...overrides,
  };
  return { post, feedTitle };
}

async function shown() {
  return (await fakeBrowser.notifications.getAll()) as Record<
    string,
    { title: string; message: string }
  >;
}

async function openTabs(): Promise<(string | undefined)[]> {
  return (await fakeBrowser.tabs.query({}))
    .map((tab) => tab.url)
    .filter((url) => url !== undefined);
}

describe('describeNewPosts', () => {
  it('names the blog, lists the titles newest first and adds up the minutes', () => {
    expect(
      describeNewPosts([
        notice({ title: 'Older', publishedAt: 1, minutes: 3 }),
        notice({ title: 'Newer', publishedAt: 2, minutes: 4 }),
      ]),
    ).toEqual({ title: '2 new posts from Edge Notes', message: 'Newer · Older · 7 min' });
  });

  it('says "1 new post" for one, and counts blogs when there are several', () => {
    expect(describeNewPosts([notice({})]).title).toBe('1 new post from Edge Notes');
    expect(
      describeNewPosts([
        notice({ feedId: 1 }, 'Edge Notes'),
        notice({ feedId: 2 }, 'Other'),
        notice({ feedId: 2 }, 'Other'),
      ]).title,
    ).toBe('3 new posts from 2 blogs');
  });

  it('keeps the message short when the titles are long', () => {
    const { message } = describeNewPosts(
      Array.from({ length: 20 }, (_, id) =>
        notice({ id, title: 'A rather long title about models' }),
      ),
    );
    expect(message.length).toBeLessThan(220);
    expect(message.endsWith('… · 20 min')).toBe(true);
  });
});

describe('notifyNewPosts', () => {
  it('shows one notification with the packaged icon', async () => {
    const id = await notifyNewPosts(await storedPosts(2));

    expect(id?.startsWith(NOTIFICATION_PREFIX)).toBe(true);
    expect((await shown())[id!]).toEqual({
      type: 'basic',
      iconUrl: fakeBrowser.runtime.getURL('/icon/128.png'),
      title: '2 new posts from Edge Notes',
      message: expect.stringMatching(/ · 4 min$/),
    });
  });

  it('does nothing for no posts, when turned off, or without the notifications API', async () => {
    const notices = await storedPosts(1);
    expect(await notifyNewPosts([])).toBeUndefined();
    expect(await notifyNewPosts(notices, { isEnabled: async () => false })).toBeUndefined();

    const api = fakeBrowser as unknown as { notifications?: unknown };
    const saved = api.notifications;
    api.notifications = undefined;
    try {
      expect(await notifyNewPosts(notices)).toBeUndefined();
      expect(() => registerNotificationClicks({ db })).not.toThrow();
    } finally {
      api.notifications = saved;
    }
    expect(await shown()).toEqual({});
  });
});

describe('notification clicks', () => {
  it('open the post of a one-post notification, mark it read and update the badge', async () => {
    const notices = await storedPosts(2);
    await fakeBrowser.action.setBadgeText({ text: '2' });
    const [first] = notices;
    const id = await notifyNewPosts([first!]);
    registerNotificationClicks({ db, now: () => 5 });

    await fakeBrowser.notifications.onClicked.trigger(id!);

    expect(await openTabs()).toContain(first!.post.url);
    expect((await db.posts.get(first!.post.id))?.readAt).toBe(5);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
    expect(await shown()).toEqual({});
  });

  it('open the list of posts for a notification about several', async () => {
    const id = await notifyNewPosts(await storedPosts(3));

    await handleNotificationClick(id!, { db });

    expect(await openTabs()).toContain(fakeBrowser.runtime.getURL('/popup.html'));
    expect(await db.posts.where('readAt').equals(0).count()).toBe(3);
    expect(await shown()).toEqual({});
  });

  it('ignore notifications that are not ours', async () => {
    await fakeBrowser.notifications.create('someone-else', {
      type: 'basic',
      title: 't',
      message: 'm',
      iconUrl: '',
    });

    await handleNotificationClick('someone-else', { db });

    expect(Object.keys(await shown())).toEqual(['someone-else']);
    expect(await openTabs()).toEqual([]);
  });

  it('open the list when the notification outlived its record (browser restarted)', async () => {
    await handleNotificationClick(`${NOTIFICATION_PREFIX}lost`, { db });

    expect(await openTabs()).toEqual([fakeBrowser.runtime.getURL('/popup.html')]);
  });
});
