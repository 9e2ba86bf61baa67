/**
 * What the end-to-end build (`--mode e2e`) exposes in its worker, and nothing else: the
 * background calls {@link registerTestHooks} only when `import.meta.env.MODE === 'e2e'`, a
 * build-time constant, so production bundles drop this module.
 * - `globalThis.__dispatch`: the popup benchmark seeds its database through the real
 *   repositories (tests/bench/popup.browser.ts); headless Chromium cannot click a notification,
 *   so the notification tests call the listeners' own handlers (tests/e2e/notifications.e2e.ts).
 * - Firefox: WebDriver BiDi will not navigate to moz-extension:// pages (RECIPES.md §5), so the
 *   test build opens its popup page in a tab itself, for the smoke test to find.
 */
import { browser } from 'wxt/browser';
import { getDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import { markRead, savePollResult } from '@/utils/db/posts';
import { handleNotificationButton, handleNotificationClick } from '@/utils/notify';

export function registerTestHooks(): void {
  Object.assign(globalThis, {
    __dispatch: {
      db: getDb(),
      addFeed,
      savePollResult,
      markRead,
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
