/**
 * The toolbar badge's modes, end to end: the built extension in Chromium follows the demo blog
 * (3 posts in "State Space Model", 6 in "Transformer"), and the settings are written to
 * `storage.local` as the options page writes them. The worker follows each change at once:
 * the badge's text and the button's tooltip say what the mode counts.
 */
import type { Worker } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, useExtension, useFollowedDemoBlog } from './helpers';

const suite = useExtension();

/** What the tests use of the service worker's globals (this process has no such types). */
interface WorkerGlobals {
  chrome: {
    action: { getTitle(details: object): Promise<string> };
    storage: {
      local: { set(items: object): Promise<void>; remove(keys: string[]): Promise<void> };
    };
  };
  __dispatch: { db: { posts: { toArray(): Promise<{ minutes: number; readAt: number }[]> } } };
}

const SETTINGS = ['badgeMode', 'categoryModes', 'notificationsEnabled'];

const worker = (): Promise<Worker> => suite.browser.currentWorker();

/** Stores settings as the options page does. */
async function set(settings: Record<string, unknown>): Promise<void> {
  await (
    await worker()
  ).evaluate(
    (items) => (globalThis as unknown as WorkerGlobals).chrome.storage.local.set(items),
    settings,
  );
}

/** The toolbar button's tooltip. */
async function tooltip(): Promise<string> {
  return (await worker()).evaluate(() =>
    (globalThis as unknown as WorkerGlobals).chrome.action.getTitle({}),
  );
}

/** The reading time of the unread posts, as the popup adds it up. */
async function unreadMinutes(): Promise<number> {
  return (await worker()).evaluate(async () => {
    const posts = await (globalThis as unknown as WorkerGlobals).__dispatch.db.posts.toArray();
    return posts.filter((post) => post.readAt === 0).reduce((sum, post) => sum + post.minutes, 0);
  });
}

describe('the badge', () => {
  useFollowedDemoBlog(suite);

  afterEach(async () => {
    await (
      await worker()
    ).evaluate(
      (keys) => (globalThis as unknown as WorkerGlobals).chrome.storage.local.remove(keys),
      SETTINGS,
    );
  });

  it('counts unread posts by default, and says so in the tooltip', async () => {
    await eventually(suite.badge).toBe('9');
    await eventually(tooltip).toBe('Dispatch — 9 unread posts');
  });

  it('counts unread minutes in "minutes" mode', async () => {
    await eventually(suite.badge).toBe('9');
    const minutes = await unreadMinutes();
    expect(minutes).toBeGreaterThan(9);

    await set({ badgeMode: 'minutes' });

    const text = minutes < 60 ? `${minutes}m` : `${Math.round(minutes / 60)}h`;
    await eventually(suite.badge).toBe(text);
    await eventually(tooltip).toBe(`Dispatch — ${minutes} min unread`);
  });

  it('counts only notifying categories in "notifying" mode', async () => {
    await eventually(suite.badge).toBe('9');

    await set({ badgeMode: 'notifying', categoryModes: { transformer: 'list' } });

    await eventually(suite.badge).toBe('3');
    await eventually(tooltip).toBe('Dispatch — 3 unread posts in notifying categories');
  });

  it('shows nothing in "off" mode', async () => {
    await eventually(suite.badge).toBe('9');

    await set({ badgeMode: 'off' });

    await eventually(suite.badge).toBe('');
    await eventually(tooltip).toBe('Dispatch');
  });

  it('leaves out the posts of a muted category, and counts them again when unmuted', async () => {
    await eventually(suite.badge).toBe('9');

    await set({ categoryModes: { 'state space model': 'mute' } });
    await eventually(suite.badge).toBe('6');

    await set({ categoryModes: {} });
    await eventually(suite.badge).toBe('9');
  });
});
