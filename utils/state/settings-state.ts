/**
 * The options page's Settings and Categories sections: every setting's value (following
 * `browser.storage` changes made elsewhere, e.g. by sync), the categories with their modes, and
 * one action per control. Each change is checked, saved at once and confirmed with "Saved.";
 * input that is not valid is explained and not saved. Turning notifications on asks for the
 * optional `notifications` permission inside the user's click (Chrome needs the gesture), so
 * `setNotifications` calls `requestPermissions` before its first `await`.
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { browser } from 'wxt/browser';
import {
  permissions as browserPermissions,
  type OptionalPermissionsAdapter,
} from '@/utils/browser/permissions';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { sectionKey, summarizeSections, UNCATEGORIZED_KEY } from '@/utils/db/section-summary';
import { listUnreadCounts } from '@/utils/db/unread-counts';
import { errorMessage } from '@/utils/format';
import { sendMessage, type SyncReport } from '@/utils/messaging';
import {
  readSettings,
  SETTINGS,
  syncEnabled,
  type BadgeMode,
  type CategoryMode,
  type QuietHours,
  type Setting,
  type SettingValues,
} from '@/utils/settings';
import { liveSignal, logError, type ErrorReporter } from '@/utils/state/live';

export type SettingName = keyof SettingValues;

/** Where the settings live: `browser.storage.local` through utils/settings.ts. */
export interface SettingsStore {
  read(): Promise<SettingValues>;
  /** Rejects (an Error in words) when the value is not valid for the setting. */
  write<K extends SettingName>(name: K, value: SettingValues[K]): Promise<void>;
  /** Calls `onChange` after any setting changed (in this page or elsewhere); returns the stop. */
  watch(onChange: () => void): () => void;
}

export const browserSettingsStore: SettingsStore = {
  read: readSettings,
  write: (name, value) => (SETTINGS[name] as Setting<typeof value>).setValue(value),
  watch(onChange) {
    const keys = new Set(Object.values(SETTINGS).map((setting) => setting.key));
    const listener = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && Object.keys(changes).some((key) => keys.has(key))) onChange();
    };
    browser.storage.onChanged.addListener(listener);
    return () => browser.storage.onChanged.removeListener(listener);
  },
};

/** The number fields, as typed (text), each with its unit. */
export type NumberSetting = 'pollIntervalMinutes' | 'maxPollIntervalMinutes' | 'wordsPerMinute';

/** A field that can hold input that was not saved: a number field or a quiet-hours time. */
export type SettingsField = NumberSetting | 'quietHours';

/** One category as the Categories section lists it. */
export interface CategoryEntry {
  /** `sectionKey(name)`: what `categoryModes` is keyed by. */
  key: string;
  /** The spelling shown (the popup section's name), else the key. */
  name: string;
  mode: CategoryMode;
  /** Unread posts in it now (0 for a category known only from its saved mode). */
  unread: number;
}

export interface SettingsStateOptions {
  db?: DispatchDb;
  store?: SettingsStore;
  permissions?: Pick<OptionalPermissionsAdapter, 'requestPermissions'>;
  send?: typeof sendMessage;
  /** The last sync report kept by the worker (loaded with the sync code, on demand). */
  lastSync?: () => Promise<SyncReport | undefined>;
  onError?: ErrorReporter;
  /** How long "Saved." stays (ms). */
  savedFor?: number;
}

export interface SettingsState {
  /** Every setting's value; undefined until read. */
  values: ReadonlySignal<SettingValues | undefined>;
  /** What the last change did: "Saved.", or why it was not saved. */
  status: ReadonlySignal<string>;
  /** The section the last change was made in: where `status` is shown. */
  statusIn: ReadonlySignal<'settings' | 'categories'>;
  /** Why a field's input was not saved, by field (shown beside it). */
  errors: ReadonlySignal<Partial<Record<SettingsField, string>>>;
  /** The categories with unread posts and those with a chosen mode, by name. */
  categories: ReadonlySignal<CategoryEntry[]>;
  /** The last sync's report, when sync has run. */
  syncReport: ReadonlySignal<SyncReport | undefined>;
  /** Checks and saves a number field's text. Resolves true when saved. */
  setNumber(name: NumberSetting, text: string): Promise<boolean>;
  setBadgeMode(mode: BadgeMode): Promise<boolean>;
  /**
   * Turns notifications on (asking for the permission: call it directly from the change
   * handler) or off. Refused: they stay off, and the status says so.
   */
  setNotifications(on: boolean): Promise<boolean>;
  /** Changes quiet hours: on/off, or a time ('HH:MM'). */
  setQuietHours(change: Partial<QuietHours>): Promise<boolean>;
  /** Turns sync on (and syncs at once, showing its report) or off. */
  setSync(on: boolean): Promise<boolean>;
  setCategoryMode(key: string, mode: CategoryMode): Promise<boolean>;
  dispose(): void;
}

const MINUTES_PER_HOUR = 60;

/** Why quiet hours from a time to the same time are not saved. */
export const QUIET_HOURS_SAME_TIME = 'Quiet hours need a different start and end time.';

/** What each number field accepts in the page (narrower than the stored setting's range). */
export const NUMBER_FIELDS: Record<
  NumberSetting,
  { min: number; max: number; unit: 'minutes' | 'hours' | 'words per minute'; what: string }
> = {
  pollIntervalMinutes: { min: 5, max: 24 * 60, unit: 'minutes', what: 'a number of minutes' },
  maxPollIntervalMinutes: { min: 1, max: 7 * 24, unit: 'hours', what: 'a number of hours' },
  wordsPerMinute: { min: 50, max: 2000, unit: 'words per minute', what: 'a reading speed' },
};

/** A number field's stored value as the page shows it (the longest interval in hours). */
export function numberFieldValue(name: NumberSetting, values: SettingValues): string {
  const stored = values[name];
  const shown = NUMBER_FIELDS[name].unit === 'hours' ? stored / MINUTES_PER_HOUR : stored;
  return String(Math.round(shown * 100) / 100);
}

/** "30 min", "1 h", "1 day": an interval in minutes, in words. */
export function formatInterval(minutes: number): string {
  if (minutes < MINUTES_PER_HOUR) return `${Math.round(minutes * 100) / 100} min`;
  const hours = minutes / MINUTES_PER_HOUR;
  if (hours < 24 || hours % 24 !== 0) return `${Math.round(hours * 100) / 100} h`;
  const days = hours / 24;
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}

export type NumberCheck = { ok: true; value: number } | { ok: false; message: string };

/**
 * Reads a number field's text against its range and the other interval: the shortest check
 * interval may not exceed the longest, nor the longest fall below the shortest.
 */
export function checkNumber(name: NumberSetting, text: string, values: SettingValues): NumberCheck {
  const field = NUMBER_FIELDS[name];
  const trimmed = text.trim().replace(',', '.');
  const typed = trimmed === '' ? NaN : Number(trimmed);
  if (!Number.isFinite(typed) || typed < field.min || typed > field.max) {
    return {
      ok: false,
      message: `Enter ${field.what} from ${field.min} to ${field.max}; not saved.`,
    };
  }
  const value = field.unit === 'hours' ? typed * MINUTES_PER_HOUR : typed;
  if (name === 'pollIntervalMinutes' && value > values.maxPollIntervalMinutes) {
    return {
      ok: false,
      message: `The shortest interval cannot be longer than the longest (${formatInterval(values.maxPollIntervalMinutes)}); not saved.`,
    };
  }
  if (name === 'maxPollIntervalMinutes' && value < values.pollIntervalMinutes) {
    return {
      ok: false,
      message: `The longest interval cannot be shorter than the shortest (${formatInterval(values.pollIntervalMinutes)}); not saved.`,
    };
  }
  return { ok: true, value };
}

/**
 * Asks the worker to sync after a change sync carries (subscriptions, per-blog settings,
 * settings, imports), when the user turned sync on. Fire and forget: failures are reported,
 * never shown as the change's failure.
 */
export function nudgeSync(
  send: typeof sendMessage = sendMessage,
  isOn: () => Promise<boolean> = () => syncEnabled.getValue(),
  onError: ErrorReporter = logError,
): void {
  void isOn()
    .then((on) => (on ? send('syncNow', {}) : undefined))
    .catch(onError);
}

/** The categories to list: those with unread posts (named as the popup names them), then the others with a mode. */
export function listCategories(
  sections: readonly { key: string; name: string; unread: number }[],
  modes: Readonly<Record<string, CategoryMode>>,
): CategoryEntry[] {
  const listed = sections.map(({ key, name, unread }) => ({
    key,
    name,
    unread,
    // Own keys only: a category named "constructor" has no mode unless one was chosen.
    mode: Object.hasOwn(modes, key) ? modes[key]! : 'notify',
  }));
  const known = new Set(listed.map((entry) => entry.key));
  const others = Object.keys(modes)
    .filter((key) => !known.has(key))
    .sort((a, b) =>
      a === UNCATEGORIZED_KEY ? 1 : b === UNCATEGORIZED_KEY ? -1 : a.localeCompare(b),
    )
    .map((key) => ({ key, name: key, unread: 0, mode: modes[key]! }));
  return [...listed, ...others];
}

const loadLastSync = () => import('@/utils/sync').then((sync) => sync.lastSyncReport());

export function createSettingsState({
  db = getDb(),
  store = browserSettingsStore,
  permissions = browserPermissions,
  send = sendMessage,
  lastSync = loadLastSync,
  onError = logError,
  savedFor = 4000,
}: SettingsStateOptions = {}): SettingsState {
  const values = signal<SettingValues | undefined>(undefined);
  const status = signal('');
  const statusIn = signal<'settings' | 'categories'>('settings');
  const errors = signal<Partial<Record<SettingsField, string>>>({});
  const syncReport = signal<SyncReport | undefined>(undefined);
  let savedTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  async function reload(): Promise<void> {
    try {
      const read = await store.read();
      if (!disposed) values.value = read;
    } catch (error) {
      status.value = `Could not read your settings: ${errorMessage(error)}`;
      onError(error);
    }
  }
  void reload();
  const stopWatching = store.watch(() => void reload());
  void lastSync()
    .then((report) => {
      if (report && !syncReport.peek()) syncReport.value = report;
    })
    .catch(onError);

  const countsLive = liveSignal(() => listUnreadCounts(db), [], onError);
  const categories = computed(() =>
    listCategories(summarizeSections(countsLive.value.value), values.value?.categoryModes ?? {}),
  );

  function say(words: string, where: 'settings' | 'categories' = 'settings'): void {
    clearTimeout(savedTimer);
    statusIn.value = where;
    status.value = words;
    if (words === 'Saved.') {
      savedTimer = setTimeout(() => {
        if (status.peek() === 'Saved.') status.value = '';
      }, savedFor);
    }
  }

  function setError(field: SettingsField, message: string | undefined): void {
    const next = { ...errors.peek() };
    if (message) next[field] = message;
    else delete next[field];
    errors.value = next;
  }

  /**
   * Saves one setting, shows it at once, then asks for a sync. The badge is not refreshed
   * here: the worker's `storage.onChanged` listener (`registerBadge`) follows the settings it
   * depends on (the badge mode, the category modes), whoever changed them.
   */
  async function save<K extends SettingName>(
    name: K,
    value: SettingValues[K],
    after: { sync?: boolean; where?: 'settings' | 'categories' } = {},
  ): Promise<boolean> {
    const before = values.peek();
    if (before) values.value = { ...before, [name]: value };
    try {
      await store.write(name, value);
    } catch (error) {
      if (before) values.value = before;
      say(`Could not save: ${errorMessage(error)}`, after.where);
      onError(error);
      return false;
    }
    say('Saved.', after.where);
    if (after.sync !== false)
      nudgeSync(send, () => store.read().then((v) => v.syncEnabled), onError);
    return true;
  }

  /** The values to check a change against: read now when the page has not read them yet. */
  async function current(): Promise<SettingValues> {
    return values.peek() ?? (await store.read());
  }

  async function setNumber(name: NumberSetting, text: string): Promise<boolean> {
    const checked = checkNumber(name, text, await current());
    if (!checked.ok) {
      setError(name, checked.message);
      say(checked.message);
      return false;
    }
    setError(name, undefined);
    return save(name, checked.value);
  }

  function setBadgeMode(mode: BadgeMode): Promise<boolean> {
    return save('badgeMode', mode);
  }

  function setNotifications(on: boolean): Promise<boolean> {
    if (!on) return save('notificationsEnabled', false);
    let granted: Promise<boolean>;
    try {
      granted = permissions.requestPermissions(['notifications']);
    } catch (error) {
      granted = Promise.reject(error);
    }
    return granted
      .catch((error: unknown) => {
        onError(error);
        return false;
      })
      .then((yes) => {
        if (yes) return save('notificationsEnabled', true);
        // A new object, so the page re-renders and unticks the box the user ticked.
        const shown = values.peek();
        if (shown) values.value = { ...shown, notificationsEnabled: false };
        say('Notifications were not allowed, so they stay off.');
        return false;
      });
  }

  async function setQuietHours(change: Partial<QuietHours>): Promise<boolean> {
    const next = { ...(await current()).quietHours, ...change };
    const message = !SETTINGS.quietHours.isValid(next)
      ? 'Enter quiet hours as times, e.g. 22:00 to 07:00; not saved.'
      : next.start === next.end
        ? // The same start and end would be saved, yet mean no quiet hours at all.
          QUIET_HOURS_SAME_TIME
        : undefined;
    if (message) {
      setError('quietHours', message);
      say(message);
      return false;
    }
    setError('quietHours', undefined);
    return save('quietHours', next);
  }

  async function setSync(on: boolean): Promise<boolean> {
    if (!(await save('syncEnabled', on, { sync: false }))) return false;
    if (!on) return true;
    try {
      const report = await send('syncNow', {});
      syncReport.value = report;
      say(report.message);
    } catch (error) {
      say(`Could not sync: ${errorMessage(error)}`);
      onError(error);
    }
    return true;
  }

  async function setCategoryMode(key: string, mode: CategoryMode): Promise<boolean> {
    const modes = { ...(await current()).categoryModes };
    // Kept even for the default, so a category without unread posts stays listed.
    modes[sectionKey(key)] = mode;
    return save('categoryModes', modes, { where: 'categories' });
  }

  return {
    values,
    status,
    statusIn,
    errors,
    categories,
    syncReport,
    setNumber,
    setBadgeMode,
    setNotifications,
    setQuietHours,
    setSync,
    setCategoryMode,
    dispose() {
      disposed = true;
      clearTimeout(savedTimer);
      stopWatching();
      countsLive.dispose();
    },
  };
}
