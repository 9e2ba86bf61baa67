/**
 * The service worker: wiring only. Every listener is attached synchronously, before any
 * `await`, so the event that woke the worker is delivered.
 */
import { defineBackground } from '#imports';
import { registerBadge } from '@/utils/badge';
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
});
