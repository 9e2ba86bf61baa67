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
import { registerNotificationClicks } from '@/utils/notify';
import { pollNow } from '@/utils/poll/poll-all';
import { registerPolling } from '@/utils/poll/schedule';
import { subscribeFromMessage } from '@/utils/subscribe';

export default defineBackground(() => {
  registerPolling();
  registerBadge();
  registerMessageHandlers({ subscribe: subscribeFromMessage, pollNow });
  registerNotificationClicks();
  registerContextMenus();
  // Test hooks (e2e build only; MODE is a constant, so production drops this): the popup
  // benchmark seeds its database through the real repositories (tests/bench/popup.browser.ts).
  if (import.meta.env.MODE === 'e2e') {
    Object.assign(globalThis, { __dispatch: { db: getDb(), addFeed, savePollResult, markRead } });
  }
});
