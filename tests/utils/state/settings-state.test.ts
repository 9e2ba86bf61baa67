import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerBadge } from '@/utils/badge';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { removeFeed } from '@/utils/db/feeds';
import { savePollResult } from '@/utils/db/posts';
import type { Protocol, SyncReport } from '@/utils/messaging';
import { readSettings, SETTINGS, type SettingValues } from '@/utils/settings';
import {
  checkNumber,
  createSettingsState,
  formatInterval,
  listCategories,
  nudgeSync,
  numberFieldValue,
  type SettingsState,
  type SettingsStateOptions,
} from '@/utils/state/settings-state';
import { aFeed, aPost, freshDb } from '../../helpers/db';

const NOW = Date.UTC(2026, 2, 12, 12);

const DEFAULTS = Object.fromEntries(
  Object.entries(SETTINGS).map(([name, setting]) => [name, setting.defaultValue]),
) as SettingValues;

const REPORT: SyncReport = {
  ok: false,
  at: NOW,
  bytes: 0,
  items: 0,
  dropped: { readStates: 0, readingItems: 0 },
  message: 'Sync failed: the browser refused to write (quota).',
};

function fakeWorker(report: SyncReport = REPORT) {
  const received: { dispatch: keyof Protocol; data: unknown }[] = [];
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
    received.push(message as { dispatch: keyof Protocol; data: unknown });
    return Promise.resolve({ ok: report });
  });
  return received;
}

describe('formatInterval', () => {
  it.each([
    [15, '15 min'],
    [0.05, '0.05 min'],
    [60, '1 h'],
    [90, '1.5 h'],
    [24 * 60, '1 day'],
    [36 * 60, '36 h'],
    [7 * 24 * 60, '7 days'],
  ])('says %d minutes as "%s"', (minutes, words) => {
    expect(formatInterval(minutes)).toBe(words);
  });
});

describe('numberFieldValue', () => {
  it('shows the longest interval in hours and the others as stored', () => {
    const values = { ...DEFAULTS, pollIntervalMinutes: 0.05, maxPollIntervalMinutes: 90 };
    expect(numberFieldValue('pollIntervalMinutes', values)).toBe('0.05');
    expect(numberFieldValue('maxPollIntervalMinutes', values)).toBe('1.5');
    expect(numberFieldValue('wordsPerMinute', values)).toBe('230');
  });
});

describe('checkNumber', () => {
  it.each([
    ['pollIntervalMinutes', '15', 15],
    ['pollIntervalMinutes', ' 7,5 ', 7.5],
    ['maxPollIntervalMinutes', '2', 120],
    ['wordsPerMinute', '2000', 2000],
  ] as const)('accepts %s = %j as %d', (name, text, value) => {
    expect(checkNumber(name, text, DEFAULTS)).toEqual({ ok: true, value });
  });

  it.each([
    ['pollIntervalMinutes', 'abc', 'Enter a number of minutes from 5 to 1440; not saved.'],
    ['pollIntervalMinutes', '4', 'Enter a number of minutes from 5 to 1440; not saved.'],
    ['maxPollIntervalMinutes', '200', 'Enter a number of hours from 1 to 168; not saved.'],
    ['wordsPerMinute', '10', 'Enter a reading speed from 50 to 2000; not saved.'],
  ] as const)('refuses %s = %j', (name, text, message) => {
    expect(checkNumber(name, text, DEFAULTS)).toEqual({ ok: false, message });
  });

  it('keeps the shortest interval within the longest, and the longest above the shortest', () => {
    const values = { ...DEFAULTS, pollIntervalMinutes: 120, maxPollIntervalMinutes: 180 };
    expect(checkNumber('pollIntervalMinutes', '240', values)).toEqual({
      ok: false,
      message: 'The shortest interval cannot be longer than the longest (3 h); not saved.',
    });
    expect(checkNumber('maxPollIntervalMinutes', '1', values)).toEqual({
      ok: false,
      message: 'The longest interval cannot be shorter than the shortest (2 h); not saved.',
    });
  });
});

describe('listCategories', () => {
  it('lists the sections with unread posts, then the other categories with a mode', () => {
    const sections = [
      { key: 'state space model', name: 'State Space Model', unread: 3 },
      { key: 'uncategorized', name: 'Uncategorized', unread: 1 },
    ];
    expect(
      listCategories(sections, { uncategorized: 'mute', zeta: 'list', alpha: 'notify' }),
    ).toEqual([
      { key: 'state space model', name: 'State Space Model', unread: 3, mode: 'notify' },
      { key: 'uncategorized', name: 'Uncategorized', unread: 1, mode: 'mute' },
      { key: 'alpha', name: 'alpha', unread: 0, mode: 'notify' },
      { key: 'zeta', name: 'zeta', unread: 0, mode: 'list' },
    ]);
  });

  it('gives a category named like an Object property (constructor) the default mode', () => {
    const sections = [
      { key: 'constructor', name: 'constructor', unread: 2 },
      { key: 'tostring', name: 'toString', unread: 1 },
    ];

    expect(listCategories(sections, {}).map((entry) => entry.mode)).toEqual(['notify', 'notify']);
  });
});

describe('nudgeSync', () => {
  beforeEach(() => fakeBrowser.reset());

  it('sends syncNow only when sync is on, and reports a failure', async () => {
    const received = fakeWorker();
    nudgeSync(undefined, () => Promise.resolve(false));
    await vi.waitFor(() => Promise.resolve());
    expect(received).toEqual([]);

    nudgeSync(undefined, () => Promise.resolve(true));
    await vi.waitFor(() => expect(received).toEqual([{ dispatch: 'syncNow', data: {} }]));

    const errors: unknown[] = [];
    nudgeSync(
      () => Promise.reject(new Error('no worker')),
      () => Promise.resolve(true),
      (error) => errors.push(error),
    );
    await vi.waitFor(() => expect(errors).toHaveLength(1));
  });

  it('reads the syncEnabled setting by default', async () => {
    const received = fakeWorker();
    await SETTINGS.syncEnabled.setValue(true);

    nudgeSync();

    await vi.waitFor(() => expect(received).toHaveLength(1));
  });
});

describe('createSettingsState', () => {
  let db: DispatchDb;
  let state: SettingsState | undefined;

  function create(options: SettingsStateOptions = {}): SettingsState {
    state = createSettingsState({
      db,
      permissions: { requestPermissions: () => Promise.resolve(true) },
      lastSync: () => Promise.resolve(undefined),
      onError: () => {},
      ...options,
    });
    return state;
  }

  beforeEach(() => {
    fakeBrowser.reset();
    db = freshDb();
  });

  afterEach(() => {
    state?.dispose();
    state = undefined;
  });

  it('reads every setting, defaults for those never set', async () => {
    await fakeBrowser.storage.local.set({ badgeMode: 'off', wordsPerMinute: 'fast' });
    const settings = create();

    await vi.waitFor(() => expect(settings.values.value).toBeDefined());
    expect(settings.values.value).toEqual({ ...DEFAULTS, badgeMode: 'off' });
  });

  it('shows the last sync report kept by the worker', async () => {
    const settings = create({ lastSync: () => Promise.resolve(REPORT) });

    await vi.waitFor(() => expect(settings.syncReport.value).toEqual(REPORT));
  });

  it('asks for the permission synchronously when notifications are turned on', async () => {
    const asked: string[][] = [];
    const settings = create({
      permissions: { requestPermissions: (names) => (asked.push(names), Promise.resolve(true)) },
    });

    const turning = settings.setNotifications(true);
    expect(asked).toEqual([['notifications']]);
    expect(await turning).toBe(true);

    expect((await readSettings()).notificationsEnabled).toBe(true);
    expect(settings.status.value).toBe('Saved.');
  });

  it('treats a failing permission request as a refusal', async () => {
    const errors: unknown[] = [];
    const settings = create({
      permissions: {
        requestPermissions: () => {
          throw new Error('must be called during a user gesture');
        },
      },
      onError: (error) => errors.push(error),
    });
    await vi.waitFor(() => expect(settings.values.value).toBeDefined());

    expect(await settings.setNotifications(true)).toBe(false);

    expect(settings.status.value).toBe('Notifications were not allowed, so they stay off.');
    expect(settings.values.value?.notificationsEnabled).toBe(false);
    expect(errors).toHaveLength(1);
  });

  it('turns notifications off without asking', async () => {
    await SETTINGS.notificationsEnabled.setValue(true);
    const asked: string[][] = [];
    const settings = create({
      permissions: { requestPermissions: (names) => (asked.push(names), Promise.resolve(true)) },
    });

    expect(await settings.setNotifications(false)).toBe(true);

    expect(asked).toEqual([]);
    expect((await readSettings()).notificationsEnabled).toBe(false);
  });

  it('says "Saved." for a short while', async () => {
    const settings = create({ savedFor: 10 });

    await settings.setBadgeMode('minutes');
    expect(settings.status.value).toBe('Saved.');

    await vi.waitFor(() => expect(settings.status.value).toBe(''));
  });

  it('refuses quiet hours that are not times', async () => {
    const settings = create();

    expect(await settings.setQuietHours({ start: '25:00' })).toBe(false);

    expect(settings.errors.value.quietHours).toBe(
      'Enter quiet hours as times, e.g. 22:00 to 07:00; not saved.',
    );
    expect((await readSettings()).quietHours.start).toBe('22:00');

    expect(await settings.setQuietHours({ start: '21:15' })).toBe(true);
    expect(settings.errors.value.quietHours).toBeUndefined();
  });

  it('refuses quiet hours that start when they end: they would mean none', async () => {
    const settings = create();

    expect(await settings.setQuietHours({ enabled: true, end: '22:00' })).toBe(false);

    expect(settings.status.value).toBe('Quiet hours need a different start and end time.');
    expect(settings.errors.value.quietHours).toBe(
      'Quiet hours need a different start and end time.',
    );
    expect((await readSettings()).quietHours).toEqual({
      enabled: false,
      start: '22:00',
      end: '07:00',
    });

    expect(await settings.setQuietHours({ enabled: true, end: '06:30' })).toBe(true);
    expect(settings.errors.value.quietHours).toBeUndefined();
    expect((await readSettings()).quietHours).toEqual({
      enabled: true,
      start: '22:00',
      end: '06:30',
    });
  });

  it('leaves the badge to the worker, which follows the badge and category modes set here', async () => {
    const shared = getDb();
    const feed = await aFeed(shared);
    await savePollResult(shared, feed.id, {
      posts: [aPost({ categories: ['Crypto'], minutes: 3 }), aPost({ minutes: 4 })],
      feed: {},
      now: NOW,
    });
    registerBadge();
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('2'));
    const settings = create({ db: shared });

    await settings.setBadgeMode('minutes');
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('7m'));
    await settings.setCategoryMode('Crypto', 'mute');
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('4m'));
    await settings.setBadgeMode('off');
    await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe(''));
    await removeFeed(shared, feed.id);
  });

  it('says so when a setting cannot be saved, and shows the old value again', async () => {
    const settings = create({
      store: {
        read: () => Promise.resolve(DEFAULTS),
        write: () => Promise.reject(new Error('The disk is full.')),
        watch: () => () => {},
      },
    });
    await vi.waitFor(() => expect(settings.values.value).toBeDefined());

    expect(await settings.setBadgeMode('off')).toBe(false);

    expect(settings.status.value).toBe('Could not save: The disk is full.');
    expect(settings.values.value?.badgeMode).toBe('posts');
  });

  it('syncs after a change when sync is on', async () => {
    await SETTINGS.syncEnabled.setValue(true);
    const received = fakeWorker();
    const settings = create();

    await settings.setNumber('wordsPerMinute', '250');

    await vi.waitFor(() => expect(received).toEqual([{ dispatch: 'syncNow', data: {} }]));
  });

  it('does not sync after a change when sync is off', async () => {
    const received = fakeWorker();
    const settings = create();

    await settings.setNumber('wordsPerMinute', '250');
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(received).toEqual([]);
  });

  it('turns sync on, syncs once and shows the report; off sends nothing', async () => {
    const received = fakeWorker();
    const settings = create();

    expect(await settings.setSync(true)).toBe(true);
    expect(received).toEqual([{ dispatch: 'syncNow', data: {} }]);
    expect(settings.syncReport.value).toEqual(REPORT);
    expect(settings.status.value).toBe(REPORT.message);

    expect(await settings.setSync(false)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toHaveLength(1);
    expect((await readSettings()).syncEnabled).toBe(false);
  });

  it('keys category modes by section', async () => {
    const settings = create();

    await settings.setCategoryMode('Transformer', 'mute');
    await settings.setCategoryMode('State  Space Model', 'list');

    expect((await readSettings()).categoryModes).toEqual({
      transformer: 'mute',
      'state space model': 'list',
    });
    expect(settings.statusIn.value).toBe('categories');
  });
});
