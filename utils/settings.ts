/** User settings, in typed `browser.storage.local` items with defaults. Records live in Dexie. */
import { storage } from '#imports';
import { DEFAULT_WORDS_PER_MINUTE } from '@/utils/reading-time';

/** Minutes between polls of each blog (the default for feeds without their own). */
export const pollIntervalMinutes = storage.defineItem<number>('local:pollIntervalMinutes', {
  fallback: 30,
  version: 1,
});

/** Reading speed used for "N min read". */
export const wordsPerMinute = storage.defineItem<number>('local:wordsPerMinute', {
  fallback: DEFAULT_WORDS_PER_MINUTE,
  version: 1,
});

/** Whether a poll that finds new posts shows a notification. */
export const notificationsEnabled = storage.defineItem<boolean>('local:notificationsEnabled', {
  fallback: true,
  version: 1,
});
