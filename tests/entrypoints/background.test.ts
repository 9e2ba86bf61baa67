import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import background from '@/entrypoints/background';
import { getDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import { savePollResult } from '@/utils/db/posts';
import type { PollSummary, SubscribeResult } from '@/utils/messaging';
import { DIGEST_KEY } from '@/utils/notify';
import {
  alarmPeriodMinutes,
  DEFAULT_ALARM_PERIOD_MINUTES,
  POLL_ALARM,
} from '@/utils/poll/schedule';
import { notificationsEnabled } from '@/utils/settings';
import { aPost } from '../helpers/db';
import { rss, someItems, startFeedServer, type FeedServer } from '../helpers/feeds';

/** The production database (the worker uses it); emptied around each test. */
const db = getDb();
let server: FeedServer | undefined;

async function emptyDb(): Promise<void> {
  await Promise.all(db.tables.map((table) => table.clear()));
}

/** The menu items the worker created (the fake browser has no `contextMenus`). */
let menuItems: { id: string; title: string }[] = [];

beforeEach(async () => {
  fakeBrowser.reset();
  menuItems = [];
  Object.assign(fakeBrowser, {
    contextMenus: {
      create: (item: { id: string; title: string }) => menuItems.push(item),
      removeAll: async () => {
        menuItems = [];
      },
      onClicked: { addListener: () => undefined },
    },
  });
  // Nor `permissions.onAdded` (the worker listens for the notifications permission).
  Object.assign(fakeBrowser.permissions, {
    onAdded: { addListener: () => undefined },
    onRemoved: { addListener: () => undefined },
  });
  await emptyDb();
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Sends a message as an extension page would. */
async function send<T>(dispatch: string, data: unknown): Promise<T> {
  const sender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') };
  const answers = await fakeBrowser.runtime.onMessage.trigger({ dispatch, data }, sender);
  const reply = answers.find((answer) => answer !== undefined) as unknown as
    { ok: T } | { failed: string };
  if ('failed' in reply) throw new Error(reply.failed);
  return reply.ok;
}

describe('background', () => {
  it('schedules the poll tick and shows the unread count after install', async () => {
    const feed = await addFeed(
      db,
      { url: 'https://blog.example/feed.xml', title: 'Edge Notes' },
      1,
    );
    await savePollResult(db, feed.id, { posts: [aPost(), aPost()], feed: {}, now: 1 });

    background.main!();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });

    const alarm = await fakeBrowser.alarms.get(POLL_ALARM);
    expect(alarm?.periodInMinutes).toBe(alarmPeriodMinutes());
    expect(await fakeBrowser.alarms.getAll()).toHaveLength(1);
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('2'));
    expect(menuItems.map((item) => item.title)).toEqual([
      'Save page to Dispatch',
      'Save link to Dispatch',
    ]);
  });

  it('keeps the existing alarm on a wake when its period is right', async () => {
    await fakeBrowser.alarms.create(POLL_ALARM, {
      periodInMinutes: alarmPeriodMinutes(),
      when: 42,
    });

    background.main!();
    await fakeBrowser.runtime.onStartup.trigger();

    expect((await fakeBrowser.alarms.get(POLL_ALARM))?.scheduledTime).toBe(42);
  });

  it('polls the due feeds when the tick fires', async () => {
    server = await startFeedServer();
    server.route('/feed.xml', { body: rss({ items: someItems(3) }) });
    await addFeed(db, { url: `${server.baseUrl}/feed.xml`, title: 'Edge Notes' }, Date.now());
    // The fake browser has no permissions API; host access is granted here.
    vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(true);
    background.main!();

    await fakeBrowser.alarms.onAlarm.trigger({
      name: POLL_ALARM,
      scheduledTime: Date.now(),
      periodInMinutes: 5,
    });

    expect(server.requests).toHaveLength(1);
    expect(await db.posts.count()).toBe(3);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('3');
  });

  it('skips a feed whose host access was withdrawn and records why', async () => {
    server = await startFeedServer();
    server.route('/feed.xml', { body: rss({ items: someItems(3) }) });
    const feed = await addFeed(
      db,
      { url: `${server.baseUrl}/feed.xml`, title: 'Edge Notes' },
      Date.now(),
    );
    const contains = vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(false);
    background.main!();

    await fakeBrowser.alarms.onAlarm.trigger({
      name: POLL_ALARM,
      scheduledTime: Date.now(),
      periodInMinutes: 5,
    });

    expect(contains).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
    expect(server.requests).toHaveLength(0);
    expect((await db.feeds.get(feed.id))?.lastError?.code).toBe('no-access');
  });

  it('announces the posts held back in quiet hours on the first tick after them', async () => {
    await notificationsEnabled.setValue(true);
    const feed = await addFeed(
      db,
      { url: 'https://blog.example/feed.xml', title: 'Edge Notes' },
      1,
    );
    const { added } = await savePollResult(db, feed.id, {
      posts: [aPost({ title: 'CLIP', minutes: 3 }), aPost({ title: 'ViT', minutes: 4 })],
      feed: {},
      now: 1,
    });
    // As a poll in quiet hours left them (quiet hours are off now, so they are over).
    await fakeBrowser.storage.local.set({ [DIGEST_KEY]: added.map((post) => post.id) });
    await db.feeds.update(feed.id, { nextPollAt: Date.now() + 60 * 60_000 });
    background.main!();

    await fakeBrowser.alarms.onAlarm.trigger({
      name: POLL_ALARM,
      scheduledTime: Date.now(),
      periodInMinutes: 5,
    });

    expect(Object.values(await fakeBrowser.notifications.getAll())).toMatchObject([
      {
        title: 'While quiet: 2 new posts · 7 min',
        message: expect.stringMatching(/^Transformer: (CLIP, ViT|ViT, CLIP)$/),
      },
    ]);
  });

  it('answers subscribe and pollNow messages from extension pages', async () => {
    await notificationsEnabled.setValue(true);
    server = await startFeedServer();
    server.route('/feed.xml', { body: rss({ items: someItems(2) }) });
    // The fake browser has no permissions API; host access is granted here.
    vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(true);
    background.main!();

    const subscribed = await send<SubscribeResult>('subscribe', {
      url: `${server.baseUrl}/feed.xml`,
    });
    expect(subscribed).toMatchObject({ ok: true, added: 2 });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('2');

    server.route('/feed.xml', { body: rss({ items: someItems(3) }) });
    const summary = await send<PollSummary>('pollNow', {});
    expect(summary).toEqual({ checked: 1, newPosts: 1, failed: 0 });
    expect(Object.keys(await fakeBrowser.notifications.getAll())).toHaveLength(1);
  });
});

describe('alarmPeriodMinutes', () => {
  it.each([
    [undefined, DEFAULT_ALARM_PERIOD_MINUTES],
    ['', DEFAULT_ALARM_PERIOD_MINUTES],
    ['0.05', 0.05],
    ['0', DEFAULT_ALARM_PERIOD_MINUTES],
    ['soon', DEFAULT_ALARM_PERIOD_MINUTES],
  ])('reads %j as %d minutes', (configured, minutes) => {
    expect(alarmPeriodMinutes(configured)).toBe(minutes);
  });
});
