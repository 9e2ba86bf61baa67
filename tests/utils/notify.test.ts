import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DispatchDb } from '@/utils/db/db';
import { deletePosts, markRead, savePollResult } from '@/utils/db/posts';
import { listReadingList } from '@/utils/db/reading-list';
import type { NewPost } from '@/utils/db/types';
import {
  DIGEST_KEY,
  flushQuietDigest,
  handleNotificationButton,
  handleNotificationClick,
  NOTIFICATION_PREFIX,
  notifyNewPosts,
  registerNotificationClicks,
  type NewPostNotice,
} from '@/utils/notify';
import { categoryModes, notificationsEnabled, quietHours } from '@/utils/settings';
import { aFeed, aPost, freshDb } from '../helpers/db';

let db: DispatchDb;

/** Local noon and a quarter to midnight of the tests' day. */
const NOON = new Date(2026, 2, 20, 12).getTime();
const NIGHT = new Date(2026, 2, 20, 23, 45).getTime();
const MORNING = new Date(2026, 2, 21, 7, 5).getTime();

beforeEach(async () => {
  fakeBrowser.reset();
  db = freshDb();
  // The fake browser leaves `permissions.onAdded` and `onRemoved` unimplemented.
  Object.assign(fakeBrowser.permissions, { onAdded: fakeEvent(), onRemoved: fakeEvent() });
  await notificationsEnabled.setValue(true);
});

/** Posts stored for a blog, as a poll hands them to `notifyNewPosts`. */
async function stored(
  posts: NewPost[],
  feed: { title?: string; notify?: boolean } = {},
): Promise<NewPostNotice[]> {
  const { title = 'Edge Notes', ...rest } = feed;
  const { id } = await aFeed(db, { title, ...rest });
  const { added } = await savePollResult(db, id, { posts, feed: {}, now: 1 });
  return added.map((post) => ({ post, feedTitle: title }));
}

const somePosts = (count: number) => stored(Array.from({ length: count }, () => aPost()));

interface Shown {
  title: string;
  message: string;
  buttons?: { title: string }[];
  iconUrl: string;
  type: string;
}

async function shown(): Promise<Shown[]> {
  return Object.values(await fakeBrowser.notifications.getAll()) as Shown[];
}

async function openTabs(): Promise<(string | undefined)[]> {
  return (await fakeBrowser.tabs.query({}))
    .map((tab) => tab.url)
    .filter((url) => url !== undefined);
}

const unreadCount = () => db.posts.where('readAt').equals(0).count();

/** Runs `test` with the browser giving no notifications API (the permission not granted). */
async function withoutNotificationsApi(test: () => Promise<void>): Promise<void> {
  const api = fakeBrowser as unknown as { notifications?: unknown };
  const saved = api.notifications;
  api.notifications = undefined;
  try {
    await test();
  } finally {
    api.notifications = saved;
  }
}

describe('notifyNewPosts', () => {
  it('shows one notification for all the posts, with the packaged icon and two buttons', async () => {
    const id = await notifyNewPosts(
      await stored([
        aPost({
          title: 'xLSTM',
          categories: ['State Space Model'],
          minutes: 4,
          publishedAt: Date.UTC(2026, 2, 3),
        }),
        aPost({
          title: 'RWKV',
          categories: ['State Space Model'],
          minutes: 2,
          publishedAt: Date.UTC(2026, 2, 2),
        }),
        aPost({
          title: 'CLIP',
          categories: ['Transformer'],
          minutes: 3,
          publishedAt: Date.UTC(2026, 2, 1),
        }),
      ]),
      { db, now: () => NOON },
    );

    expect(id?.startsWith(NOTIFICATION_PREFIX)).toBe(true);
    expect(await shown()).toEqual([
      {
        type: 'basic',
        iconUrl: fakeBrowser.runtime.getURL('/icon/128.png'),
        title: '3 new posts · 9 min',
        message: 'State Space Model: xLSTM, RWKV; Transformer: CLIP',
        buttons: [{ title: 'Save for later' }, { title: 'Mark read' }],
      },
    ]);
  });

  it('does nothing for no posts, when turned off, or without the notifications API', async () => {
    const notices = await somePosts(1);
    expect(await notifyNewPosts([], { db })).toBeUndefined();
    await notificationsEnabled.setValue(false);
    expect(await notifyNewPosts(notices, { db })).toBeUndefined();
    await notificationsEnabled.setValue(true);

    await withoutNotificationsApi(async () => {
      expect(await notifyNewPosts(notices, { db })).toBeUndefined();
      expect(() => registerNotificationClicks({ db })).not.toThrow();
    });
    expect(await shown()).toEqual([]);
  });

  it('leaves out muted and list-only categories and blogs whose notifications are off', async () => {
    await categoryModes.setValue({ transformer: 'list', 'crypto news': 'mute' });
    const listed = await stored([aPost({ title: 'CLIP', categories: ['Transformer'] })]);
    const muted = await stored([aPost({ title: 'Coin', categories: ['Crypto News'] })]);
    const quietBlog = await stored([aPost({ categories: ['Robotics'] })], { notify: false });
    const wanted = await stored([aPost({ title: 'xLSTM', categories: ['State Space Model'] })]);

    expect(await notifyNewPosts([...listed, ...muted, ...quietBlog], { db })).toBeUndefined();
    await notifyNewPosts([...listed, ...muted, ...quietBlog, ...wanted], { db, now: () => NOON });

    expect(await shown()).toMatchObject([
      { title: '1 new post · 2 min', message: 'State Space Model: xLSTM' },
    ]);
  });
});

describe('the quiet-hours digest', () => {
  beforeEach(() => quietHours.setValue({ enabled: true, start: '22:00', end: '07:00' }));

  it('holds posts back in quiet hours and announces them in one digest when they end', async () => {
    await notifyNewPosts(await somePosts(2), { db, now: () => NIGHT });
    await notifyNewPosts(await somePosts(3), { db, now: () => NIGHT + 60_000 });
    expect(await shown()).toEqual([]);
    expect(await flushQuietDigest({ db, now: () => NIGHT + 120_000 })).toBeUndefined();

    const id = await flushQuietDigest({ db, now: () => MORNING });

    expect(id).toBeDefined();
    expect(await shown()).toMatchObject([{ title: 'While quiet: 5 new posts · 10 min' }]);
    expect(await flushQuietDigest({ db, now: () => MORNING + 60_000 })).toBeUndefined();
    expect(await shown()).toHaveLength(1);
  });

  it('remembers the held posts in local storage, which outlives the browser session', async () => {
    const notices = await somePosts(2);
    await notifyNewPosts(notices, { db, now: () => NIGHT });

    expect((await fakeBrowser.storage.local.get(DIGEST_KEY))[DIGEST_KEY]).toEqual(
      notices.map(({ post }) => post.id),
    );
  });

  it('leaves out posts read or deleted meanwhile, and shows nothing when none is left', async () => {
    const [read, deleted, kept] = await somePosts(3);
    await notifyNewPosts([read!, deleted!, kept!], { db, now: () => NIGHT });
    await markRead(db, [read!.post.id], NIGHT);
    await deletePosts(db, [deleted!.post.id]);

    await flushQuietDigest({ db, now: () => MORNING });
    expect(await shown()).toMatchObject([{ title: 'While quiet: 1 new post · 2 min' }]);

    const [later] = await somePosts(1);
    await notifyNewPosts([later!], { db, now: () => NIGHT });
    await markRead(db, [later!.post.id], NIGHT);
    await fakeBrowser.notifications.clear(
      Object.keys(await fakeBrowser.notifications.getAll())[0]!,
    );
    expect(await flushQuietDigest({ db, now: () => MORNING })).toBeUndefined();
    expect(await shown()).toEqual([]);
    expect((await fakeBrowser.storage.local.get(DIGEST_KEY))[DIGEST_KEY]).toBeUndefined();
  });

  it('follows the settings as they are when quiet hours end', async () => {
    const notices = await stored([
      aPost({ title: 'CLIP', categories: ['Transformer'] }),
      aPost({ title: 'xLSTM', categories: ['State Space Model'] }),
    ]);
    await notifyNewPosts(notices, { db, now: () => NIGHT });
    await categoryModes.setValue({ transformer: 'mute' });

    await flushQuietDigest({ db, now: () => MORNING });

    expect(await shown()).toMatchObject([
      { title: 'While quiet: 1 new post · 2 min', message: 'State Space Model: xLSTM' },
    ]);
  });

  it('drops the digest when notifications were turned off meanwhile', async () => {
    await notifyNewPosts(await somePosts(2), { db, now: () => NIGHT });
    await notificationsEnabled.setValue(false);

    expect(await flushQuietDigest({ db, now: () => NIGHT })).toBeUndefined();
    await notificationsEnabled.setValue(true);
    expect(await flushQuietDigest({ db, now: () => MORNING })).toBeUndefined();
    expect(await shown()).toEqual([]);
  });
});

describe('notification clicks', () => {
  it('open the post of a one-post notification, mark it read and update the badge', async () => {
    const notices = await somePosts(2);
    await fakeBrowser.action.setBadgeText({ text: '2' });
    const [first] = notices;
    const id = await notifyNewPosts([first!], { db });
    registerNotificationClicks({ db, now: () => 5 });

    await fakeBrowser.notifications.onClicked.trigger(id!);

    expect(await openTabs()).toContain(first!.post.url);
    expect((await db.posts.get(first!.post.id))?.readAt).toBe(5);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
    expect(await shown()).toEqual([]);
  });

  it('open the list of posts for a notification about several', async () => {
    const id = await notifyNewPosts(await somePosts(3), { db });

    await handleNotificationClick(id!, { db });

    expect(await openTabs()).toContain(fakeBrowser.runtime.getURL('/popup.html'));
    expect(await unreadCount()).toBe(3);
    expect(await shown()).toEqual([]);
  });

  it('ignore notifications that are not ours', async () => {
    await fakeBrowser.notifications.create('someone-else', {
      type: 'basic',
      title: 't',
      message: 'm',
      iconUrl: '',
    });

    await handleNotificationClick('someone-else', { db });
    await handleNotificationButton('someone-else', 1, { db });

    expect(Object.keys(await fakeBrowser.notifications.getAll())).toEqual(['someone-else']);
    expect(await openTabs()).toEqual([]);
  });

  it('open the list when the notification outlived its record (browser restarted)', async () => {
    await handleNotificationClick(`${NOTIFICATION_PREFIX}lost`, { db });

    expect(await openTabs()).toEqual([fakeBrowser.runtime.getURL('/popup.html')]);
  });
});

describe('notification buttons', () => {
  it('"Mark read" marks every post of the notification read and updates the badge', async () => {
    const others = await somePosts(1);
    const id = await notifyNewPosts(await somePosts(3), { db });
    registerNotificationClicks({ db, now: () => 9 });

    await fakeBrowser.notifications.onButtonClicked.trigger(id!, 1);

    expect(await db.posts.where('readAt').equals(9).count()).toBe(3);
    expect(await unreadCount()).toBe(others.length);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
    expect(await shown()).toEqual([]);
    expect(await openTabs()).toEqual([]);
  });

  it('"Save for later" puts every post on the reading list, oldest first, and leaves them unread', async () => {
    // Their dates are implausible at `now` 1: undated, they keep the feed's order, newest first.
    const notices = await stored([aPost({ title: 'Newer' }), aPost({ title: 'Older' })]);
    const id = await notifyNewPosts(notices, { db });

    await handleNotificationButton(id!, 0, { db, now: () => 7 });

    expect(await listReadingList(db)).toMatchObject([
      { title: 'Older', source: 'Edge Notes', postId: notices[1]!.post.id, minutes: 2 },
      { title: 'Newer', source: 'Edge Notes', postId: notices[0]!.post.id, minutes: 2 },
    ]);
    expect(await unreadCount()).toBe(2);
    expect(await shown()).toEqual([]);
  });

  it('are attached when the user grants the permission later, once', async () => {
    const permissionAdded = fakeEvent<[{ permissions?: string[] }]>();
    Object.assign(fakeBrowser.permissions, { onAdded: permissionAdded });
    await withoutNotificationsApi(async () => registerNotificationClicks({ db, now: () => 3 }));

    await permissionAdded.trigger({ permissions: ['notifications'] });
    await permissionAdded.trigger({ permissions: ['notifications'] });
    const id = await notifyNewPosts(await somePosts(2), { db });
    await fakeBrowser.notifications.onClicked.trigger(id!);

    expect(await openTabs()).toEqual([fakeBrowser.runtime.getURL('/popup.html')]);
  });
});

describe('the notifications permission withdrawn in the browser', () => {
  it('turns the setting off, so the options page no longer says "on"', async () => {
    const permissionRemoved = fakeEvent<[{ permissions?: string[] }]>();
    Object.assign(fakeBrowser.permissions, { onRemoved: permissionRemoved });
    registerNotificationClicks({ db });

    await permissionRemoved.trigger({ origins: ['https://blog.example/*'] } as never);
    expect(await notificationsEnabled.getValue()).toBe(true);
    await permissionRemoved.trigger({ permissions: ['notifications'] });

    await vi.waitFor(async () => expect(await notificationsEnabled.getValue()).toBe(false));
  });
});

/** A browser event with a `trigger`, for APIs the fake browser leaves unimplemented. */
function fakeEvent<A extends unknown[]>() {
  const listeners: ((...args: A) => unknown)[] = [];
  return {
    addListener: (listener: (...args: A) => unknown) => void listeners.push(listener),
    trigger: (...args: A) => Promise.all(listeners.map((listener) => listener(...args))),
  };
}
