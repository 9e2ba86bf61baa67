/**
 * The service worker: wiring only. Every listener is attached synchronously, before any
 * `await`, so the event that woke the worker is delivered.
 */
import { defineBackground } from '#imports';
import { registerBadge } from '@/utils/badge';
import { registerContextMenus } from '@/utils/context-menus';
import { getDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import { markRead, savePollResult } from '@/utils/db/posts';
import { registerMessageHandlers } from '@/utils/messaging';
import {
  handleNotificationButton,
  handleNotificationClick,
  registerNotificationClicks,
} from '@/utils/notify';
import { pollNow } from '@/utils/poll/poll-all';
import { registerPolling } from '@/utils/poll/schedule';
import { registerSync, syncNow } from '@/utils/sync';
import { subscribeFromMessage } from '@/utils/subscribe';
import { browser } from 'wxt/browser';

export default defineBackground(() => {
  registerPolling();
  registerBadge();
  registerMessageHandlers({ subscribe: subscribeFromMessage, pollNow, syncNow });
  registerSync();
  registerNotificationClicks();
  registerContextMenus();
  // Test hooks (e2e build only; MODE is a constant, so production drops this): the popup
  // benchmark seeds its database through the real repositories (tests/bench/popup.browser.ts);
  // headless Chromium cannot click a notification, so the notification tests call the
  // listeners' own handlers (tests/e2e/notifications.e2e.ts).
  if (import.meta.env.MODE === 'e2e') {
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
    // WebDriver BiDi will not navigate to moz-extension:// pages (RECIPES.md §5): the Firefox
    // test build opens its popup page in a tab itself, for the smoke test to find.
    if (import.meta.env.FIREFOX) {
      browser.runtime.onInstalled.addListener(() => {
        void browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
      });
    }
  }
});
