/**
 * The service worker: wiring only. Every listener is attached synchronously, before any
 * `await`, so the event that woke the worker is delivered.
 */
import { defineBackground } from '#imports';
import { registerBadge } from '@/utils/badge';
import { registerContextMenus } from '@/utils/context-menus';
import {
  followListingFromMessage,
  previewListingFromMessage,
  relearnListingFromMessage,
  setListingExtractorFromMessage,
} from '@/utils/listing/follow';
import { registerMessageHandlers } from '@/utils/messaging';
import { registerNotificationClicks } from '@/utils/notify';
import { pollNow } from '@/utils/poll/poll-all';
import { registerPolling } from '@/utils/poll/schedule';
import { registerSync, syncNow } from '@/utils/sync';
import { subscribeFromMessage } from '@/utils/subscribe';
import { registerTestHooks } from '@/utils/test-hooks';

export default defineBackground(() => {
  registerPolling();
  registerBadge();
  registerMessageHandlers({
    subscribe: subscribeFromMessage,
    pollNow,
    previewListing: previewListingFromMessage,
    followListing: followListingFromMessage,
    relearnListing: relearnListingFromMessage,
    setListingExtractor: setListingExtractorFromMessage,
    syncNow,
  });
  registerSync();
  registerNotificationClicks();
  registerContextMenus();
  // A build-time constant: production drops the hooks (utils/test-hooks.ts).
  if (import.meta.env.MODE === 'e2e') registerTestHooks();
});
