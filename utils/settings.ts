/**
 * User settings, each a typed value in `browser.storage.local` with a default. Records live in
 * Dexie. A thin adapter of our own rather than WXT's `storage.defineItem`: the worker uses
 * a few reads and one write of it, and WXT's storage layer (with its locking and versioning we
 * do not use) cost 3 KB gzip of the worker's 60 KB budget (docs/decisions.md). The keys are the
 * ones WXT's `local:` items used, so stored settings carry over.
 *
 * Every setting has a validator: a stored value that fails it (an old format, a hand-edited or
 * restored backup) reads as the default, and `setValue` refuses it, so a bad value can never
 * reach the code that uses it.
 */
import { browser } from 'wxt/browser';
import { DEFAULT_WORDS_PER_MINUTE } from '@/utils/reading-time';

/** A typed setting: its stored value, else its default. */
export interface Setting<T> {
  /** The `storage.local` key. */
  readonly key: string;
  readonly defaultValue: T;
  /** True when `value` is a valid value of this setting. */
  isValid(value: unknown): value is T;
  getValue(): Promise<T>;
  /** Rejects with an Error in words when `value` is not valid. */
  setValue(value: T): Promise<void>;
}

function defineSetting<T>(
  key: string,
  defaultValue: T,
  isValid: (value: unknown) => value is T,
): Setting<T> {
  return {
    key,
    defaultValue,
    isValid,
    async getValue() {
      const stored: unknown = (await browser.storage.local.get(key))[key];
      return isValid(stored) ? stored : defaultValue;
    },
    async setValue(value) {
      if (!isValid(value)) throw new Error(`Not a valid value for the setting “${key}”.`);
      await browser.storage.local.set({ [key]: value });
    },
  };
}

const isNumberIn =
  (min: number, max: number) =>
  (value: unknown): value is number =>
    typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is string =>
  typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value);

/**
 * Minutes between polls of each blog: the shortest interval, for blogs without their own
 * (`Feed.intervalMinutes`). Fractional minutes are allowed (end-to-end tests poll every few
 * seconds).
 */
export const pollIntervalMinutes = defineSetting<number>(
  'pollIntervalMinutes',
  30,
  isNumberIn(0.01, 7 * 24 * 60),
);

/**
 * The longest interval polling may learn for a quiet blog (its own rhythm, `ttl`,
 * `sy:updatePeriod`, `Cache-Control: max-age`): never beyond this.
 */
export const maxPollIntervalMinutes = defineSetting<number>(
  'maxPollIntervalMinutes',
  24 * 60,
  isNumberIn(0.01, 7 * 24 * 60),
);

/** Reading speed used for "N min read". */
export const wordsPerMinute = defineSetting<number>(
  'wordsPerMinute',
  DEFAULT_WORDS_PER_MINUTE,
  isNumberIn(50, 2000),
);

/**
 * Whether a poll that finds new posts shows a notification. Off until the user turns it on
 * (which asks for the optional `notifications` permission).
 */
export const notificationsEnabled = defineSetting<boolean>(
  'notificationsEnabled',
  false,
  isBoolean,
);

/** What the toolbar badge counts. */
export type BadgeMode = 'posts' | 'minutes' | 'notifying' | 'off';
export const BADGE_MODES: readonly BadgeMode[] = ['posts', 'minutes', 'notifying', 'off'];
export const badgeMode = defineSetting<BadgeMode>(
  'badgeMode',
  'posts',
  (value): value is BadgeMode => BADGE_MODES.includes(value as BadgeMode),
);

/**
 * What happens to a category's posts: `notify` (listed, announced, counted; the default for a
 * category not in the map), `list` (listed and counted, never announced), `mute` (hidden from
 * Unread, the badge and notifications; still stored and searchable). A post is announced when
 * one of its categories notifies, and hidden only when all of its categories are muted.
 */
export type CategoryMode = 'notify' | 'list' | 'mute';
export const CATEGORY_MODES: readonly CategoryMode[] = ['notify', 'list', 'mute'];

/** Category modes keyed by `sectionKey(category)` (utils/db/section-summary.ts). */
export type CategoryModes = Readonly<Record<string, CategoryMode>>;
export const categoryModes = defineSetting<CategoryModes>(
  'categoryModes',
  {},
  (value): value is CategoryModes =>
    isRecord(value) &&
    Object.values(value).every((mode) => CATEGORY_MODES.includes(mode as CategoryMode)),
);

/**
 * Quiet hours, in local time ('HH:MM'; `end` before `start` spans midnight). Posts that
 * arrive then are announced in one digest when they end.
 */
export interface QuietHours {
  enabled: boolean;
  start: string;
  end: string;
}
export const quietHours = defineSetting<QuietHours>(
  'quietHours',
  { enabled: false, start: '22:00', end: '07:00' },
  (value): value is QuietHours =>
    isRecord(value) && isBoolean(value.enabled) && isTime(value.start) && isTime(value.end),
);

/** Whether subscriptions, settings, the reading list and recent read state sync through `storage.sync`. */
export const syncEnabled = defineSetting<boolean>('syncEnabled', false, isBoolean);

/** Every setting, by key: what a backup saves and restores, and what sync carries. */
export const SETTINGS = {
  pollIntervalMinutes,
  maxPollIntervalMinutes,
  wordsPerMinute,
  notificationsEnabled,
  badgeMode,
  categoryModes,
  quietHours,
  syncEnabled,
} as const;

export type SettingValues = {
  [K in keyof typeof SETTINGS]: Awaited<ReturnType<(typeof SETTINGS)[K]['getValue']>>;
};

/** Every setting's current value (defaults for those never set or invalid). */
export async function readSettings(): Promise<SettingValues> {
  const stored = await browser.storage.local.get(Object.values(SETTINGS).map((s) => s.key));
  const values: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS)) {
    const value: unknown = stored[setting.key];
    values[name] = (setting as Setting<unknown>).isValid(value) ? value : setting.defaultValue;
  }
  return values as SettingValues;
}
