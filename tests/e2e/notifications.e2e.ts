/**
 * Notifications, end to end: the built extension in Chromium follows the demo blog on the fast
 * schedule, the blog publishes two posts, and the worker's next check shows exactly one
 * notification for both, with Chrome's two buttons. Headless Chromium shows no notification and
 * cannot click one, so the clicks go through the e2e build's hooks (`__dispatch` in
 * entrypoints/background.ts), which call the very handlers the notification listeners call;
 * what the user then sees is checked in the popup and on the badge.
 */
import type { Worker } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearNotifications, type ExtensionBrowser } from '../../scripts/chromium.mjs';
import type { BlogServer, PublishedPost } from '../../scripts/demo-blog/server.mjs';
import { eventually, followOnFastSchedule, postArticle, useExtension } from './helpers';

const suite = useExtension();

/** What a Dispatch notification says and offers, from the record the worker keeps of it. */
interface ShownNotification {
  id: string;
  title: string;
  message: string;
  buttons: string[];
}

/** What the tests use of the service worker's globals (this process has no such types). */
interface WorkerGlobals {
  chrome: {
    notifications: { getAll(): Promise<Record<string, true>> };
    storage: {
      local: { set(items: object): Promise<void>; remove(keys: string[]): Promise<void> };
      session: { get(keys: string[]): Promise<Record<string, Omit<ShownNotification, 'id'>>> };
    };
  };
  __dispatch: {
    clickNotification(id: string): Promise<void>;
    clickNotificationButton(id: string, index: number): Promise<void>;
  };
}

const SAVE_FOR_LATER = 0;
const MARK_READ = 1;

/** The Dispatch notifications shown now, with what each says. */
function shownNotifications(worker: Worker): Promise<ShownNotification[]> {
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as WorkerGlobals;
    const ids = Object.keys(await chrome.notifications.getAll());
    const records = await chrome.storage.session.get(ids);
    return ids
      .filter((id) => id.startsWith('dispatch-new-posts:'))
      .map((id) => ({ id, ...records[id]! }));
  });
}

/**
 * Turns notifications on (as the options page does once the permission is granted), follows
 * the demo blog on the fast schedule, publishes two posts at once and waits for the one
 * notification the next check shows. Returns it, the published posts and the open popup.
 */
async function twoPostsAnnounced() {
  const worker = await suite.browser.currentWorker();
  await worker.evaluate(() =>
    (globalThis as unknown as WorkerGlobals).chrome.storage.local.set({
      notificationsEnabled: true,
    }),
  );
  const { blog, popup } = await followOnFastSchedule(suite);
  await eventually(suite.badge).toBe('9');
  await clearNotifications(await suite.browser.currentWorker());

  const published = [blog.publish(), blog.publish()];

  await eventually(
    async () => (await shownNotifications(await suite.browser.currentWorker())).length,
    30_000,
  ).toBe(1);
  await eventually(suite.badge).toBe('11');
  const [notification] = await shownNotifications(await suite.browser.currentWorker());
  return { blog, popup, published, notification: notification! };
}

/** Calls what a click on the notification's body, or on one of its buttons, calls. */
async function click(id: string, button?: number): Promise<void> {
  const worker = await suite.browser.currentWorker();
  await worker.evaluate(
    ([notificationId, index]) => {
      const hooks = (globalThis as unknown as WorkerGlobals).__dispatch;
      return index === null
        ? hooks.clickNotification(notificationId)
        : hooks.clickNotificationButton(notificationId, index);
    },
    [id, button ?? null] as const,
  );
}

const titles = (posts: PublishedPost[]) => posts.map((post) => post.title);

/**
 * The text of the extension's popup page as shown now ('' while none is open): the toolbar
 * popup or the popup page in a tab, whichever the extension opened. Read over the DevTools
 * protocol (a page-scoped session can reach other targets in the older, non-flat mode).
 */
async function popupViewText(browser: ExtensionBrowser): Promise<string> {
  const page = browser.context.pages()[0]!;
  const session = await browser.context.newCDPSession(page);
  try {
    const { targetInfos } = await session.send('Target.getTargets');
    const target = targetInfos.find((info) => info.url === browser.popupUrl);
    if (!target) return '';
    const { sessionId } = await session.send('Target.attachToTarget', {
      targetId: target.targetId,
      flatten: false,
    });
    const answer = new Promise<string>((resolve) => {
      session.on('Target.receivedMessageFromTarget', (event) => {
        if (event.sessionId === sessionId) resolve(event.message);
      });
    });
    await session.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({
        id: 1,
        method: 'Runtime.evaluate',
        params: { expression: 'document.body.innerText', returnByValue: true },
      }),
    });
    const reply = JSON.parse(await answer) as { result?: { result?: { value?: string } } };
    return reply.result?.result?.value ?? '';
  } finally {
    await session.detach().catch(() => undefined);
  }
}

describe('notifications', () => {
  afterEach(async () => {
    const worker = await suite.browser.currentWorker();
    await worker.evaluate(() =>
      (globalThis as unknown as WorkerGlobals).chrome.storage.local.remove([
        'notificationsEnabled',
      ]),
    );
  });

  let blog: BlogServer;
  let published: PublishedPost[];
  let notification: ShownNotification;
  let popup: Awaited<ReturnType<typeof twoPostsAnnounced>>['popup'];

  beforeEach(async () => {
    ({ blog, published, notification, popup } = await twoPostsAnnounced());
  });

  it('announces two new posts in one notification, by category, with Save for later and Mark read', () => {
    const [hyena, vit] = published as [PublishedPost, PublishedPost];
    expect(hyena.category).toBe('State Space Model');
    expect(vit.category).toBe('Transformer');
    expect(notification.title).toMatch(/^2 new posts · \d+ min$/);
    // Newest first: the post published second leads.
    expect(notification.message).toBe(
      `Transformer: ${vit.title}; State Space Model: ${hyena.title}`,
    );
    expect(notification.buttons).toEqual(['Save for later', 'Mark read']);
    expect(blog.posts).toHaveLength(11);
  });

  it('"Mark read" marks both posts read: the popup no longer lists them and the badge drops', async () => {
    await postArticle(popup, published[1]!).waitFor();

    await click(notification.id, MARK_READ);

    await eventually(suite.badge).toBe('9');
    for (const post of published) {
      await postArticle(popup, post).waitFor({ state: 'detached' });
    }
    await popup.getByText('9 unread').waitFor();
    expect(await shownNotifications(await suite.browser.currentWorker())).toEqual([]);
  });

  it('"Save for later" puts both posts on the reading list and leaves them unread', async () => {
    await click(notification.id, SAVE_FOR_LATER);

    const later = await suite.browser.openPopup();
    await later.getByRole('tab', { name: 'Reading list' }).click();
    const list = later.getByRole('list', { name: 'Reading list' });
    await eventually(() => list.getByRole('link').allInnerTexts()).toEqual(titles(published));
    expect(await suite.badge()).toBe('11');
    expect(await shownNotifications(await suite.browser.currentWorker())).toEqual([]);
  });

  it('a click on the body of a notification about several posts opens the list of posts', async () => {
    await popup.close();

    await click(notification.id);

    // Chrome opens the toolbar popup itself (`action.openPopup`), which Playwright does not
    // list among the pages: its text is read through the DevTools protocol.
    const text = () => popupViewText(suite.browser);
    for (const post of published) await eventually(text).toContain(post.title);
    await eventually(text).toContain('11 unread');
    expect(await suite.badge()).toBe('11');
  });
});
