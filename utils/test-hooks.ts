/**
 * What the end-to-end build (`--mode e2e`) exposes in its worker, and nothing else: the
 * background calls {@link registerTestHooks} only when `import.meta.env.MODE === 'e2e'`, a
 * build-time constant, so production bundles drop this module.
 * - `globalThis.__dispatch`: the popup benchmark seeds its database through the real
 *   repositories (tests/bench/popup.browser.ts); headless Chromium cannot click a notification,
 *   so the notification tests call the listeners' own handlers (tests/e2e/notifications.e2e.ts);
 *   `idle()` resolves once the work the worker does after answering (a listing blog's article
 *   measuring and backfill, `queueListingWork`) has run, so a test can wait for it without a
 *   timer.
 * - Firefox: WebDriver BiDi will not navigate to moz-extension:// pages (RECIPES.md §5), so the
 *   test build opens its popup page in a tab itself, for the smoke test to find.
 */
import { browser } from 'wxt/browser';
import { getDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import { markRead, savePollResult } from '@/utils/db/posts';
import { listingWorkDone } from '@/utils/listing/poll';
import { handleNotificationButton, handleNotificationClick } from '@/utils/notify';

export function registerTestHooks(): void {
  Object.assign(globalThis, {
    __dispatch: {
      db: getDb(),
      addFeed,
      savePollResult,
      markRead,
      idle: () => listingWorkDone(),
      clickNotification: (id: string) => handleNotificationClick(id),
      clickNotificationButton: (id: string, index: number) => handleNotificationButton(id, index),
    },
  });
  if (import.meta.env.FIREFOX) {
    browser.runtime.onInstalled.addListener(() => {
      void browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
    });
  }
}
