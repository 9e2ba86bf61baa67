/**
 * User settings, each a typed value in `browser.storage.local` with a default. Records live in
 * Dexie. A thin adapter of our own rather than WXT's `storage.defineItem`: the worker uses
 * two reads and one write of it, and WXT's storage layer (with its locking and versioning we
 * do not use) cost 3 KB gzip of the worker's 60 KB budget (docs/decisions.md). The keys are the
 * ones WXT's `local:` items used, so stored settings carry over.
 */
import { browser } from 'wxt/browser';
import { DEFAULT_WORDS_PER_MINUTE } from '@/utils/reading-time';

/** A typed setting: its stored value, else its default. */
export interface Setting<T> {
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
}

function defineSetting<T>(key: string, fallback: T): Setting<T> {
  return {
    async getValue() {
      const stored = (await browser.storage.local.get(key))[key] as T | null | undefined;
      return stored ?? fallback;
    },
    setValue: (value) => browser.storage.local.set({ [key]: value }),
  };
}

/** Minutes between polls of each blog (the default for feeds without their own). */
export const pollIntervalMinutes = defineSetting<number>('pollIntervalMinutes', 30);

/** Reading speed used for "N min read". */
export const wordsPerMinute = defineSetting<number>('wordsPerMinute', DEFAULT_WORDS_PER_MINUTE);

/** Whether a poll that finds new posts shows a notification. */
export const notificationsEnabled = defineSetting<boolean>('notificationsEnabled', true);
