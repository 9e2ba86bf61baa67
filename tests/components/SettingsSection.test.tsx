// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CategoryModes } from '@/components/CategoryModes';
import { SettingsSection } from '@/components/SettingsSection';
import type { OptionalPermission } from '@/utils/browser/permissions';
import type { DispatchDb } from '@/utils/db/db';
import { savePollResult } from '@/utils/db/posts';
import type { Protocol, SyncReport } from '@/utils/messaging';
import { categoryModes, readSettings } from '@/utils/settings';
import { createSettingsState, type SettingsState } from '@/utils/state/settings-state';
import { aFeed, aPost, freshDb } from '../helpers/db';

const NOW = Date.UTC(2026, 2, 12, 12);

const REPORT: SyncReport = {
  ok: true,
  at: NOW,
  bytes: 2048,
  items: 4,
  dropped: { readStates: 0, readingItems: 0 },
  message: 'Synced 1 blog, 0 reading-list items and 0 read posts (2 KB of 100 KB).',
};

describe('SettingsSection and CategoryModes', () => {
  let db: DispatchDb;
  let state: SettingsState;
  let grant: boolean;
  let asked: OptionalPermission[][];
  let received: { dispatch: keyof Protocol; data: unknown }[];

  function show() {
    state = createSettingsState({
      db,
      permissions: {
        requestPermissions: (names) => (asked.push(names), Promise.resolve(grant)),
      },
      lastSync: () => Promise.resolve(undefined),
      onError: () => {},
    });
    return render(
      <>
        <SettingsSection state={state} />
        <CategoryModes state={state} />
      </>,
    );
  }

  const settingsPart = () =>
    within(screen.getByRole('region', { name: 'Settings' }) as HTMLElement);
  const settingsStatus = () => settingsPart().getByRole('status');

  beforeEach(() => {
    fakeBrowser.reset();
    db = freshDb();
    grant = true;
    asked = [];
    received = [];
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
      const envelope = message as { dispatch: keyof Protocol; data: unknown };
      received.push(envelope);
      return Promise.resolve({ ok: REPORT });
    });
  });

  afterEach(() => {
    cleanup();
    state.dispose();
  });

  it('shows the stored values in labelled fields', async () => {
    await fakeBrowser.storage.local.set({ pollIntervalMinutes: 15, badgeMode: 'minutes' });
    show();

    const shortest = (await screen.findByLabelText(
      'Check blogs every (minutes)',
    )) as HTMLInputElement;
    expect(shortest.value).toBe('15');
    expect(
      (screen.getByLabelText('Check quiet blogs at least every (hours)') as HTMLInputElement).value,
    ).toBe('24');
    expect(
      (screen.getByLabelText('Reading speed (words per minute)') as HTMLInputElement).value,
    ).toBe('230');
    const group = screen.getByRole('group', { name: 'Toolbar badge shows' });
    expect(
      within(group)
        .getAllByRole('radio')
        .map((radio) => [radio.parentElement!.textContent, (radio as HTMLInputElement).checked]),
    ).toEqual([
      ['Unread posts', false],
      ['Unread minutes', true],
      ['Only notifying categories', false],
      ['Off', false],
    ]);
    expect(
      (
        screen.getByRole('checkbox', {
          name: 'Show a notification when new posts arrive',
        }) as HTMLInputElement
      ).checked,
    ).toBe(false);
    expect((screen.getByLabelText('From') as HTMLInputElement).value).toBe('22:00');
    expect((screen.getByLabelText('until') as HTMLInputElement).value).toBe('07:00');
  });

  it('saves a number on change and says "Saved."', async () => {
    show();

    const field = await screen.findByLabelText('Reading speed (words per minute)');
    fireEvent.change(field, { target: { value: '300' } });

    await waitFor(() => expect(settingsStatus().textContent).toBe('Saved.'));
    expect((await readSettings()).wordsPerMinute).toBe(300);
  });

  it('saves the longest interval in minutes from hours', async () => {
    show();

    fireEvent.change(await screen.findByLabelText('Check quiet blogs at least every (hours)'), {
      target: { value: '6' },
    });

    await waitFor(() => expect(settingsStatus().textContent).toBe('Saved.'));
    expect((await readSettings()).maxPollIntervalMinutes).toBe(360);
  });

  it.each([
    ['', 'Enter a number of minutes from 5 to 1440; not saved.'],
    ['2', 'Enter a number of minutes from 5 to 1440; not saved.'],
  ])('explains input %j and does not save it', async (typed, message) => {
    show();

    const field = await screen.findByLabelText('Check blogs every (minutes)');
    fireEvent.change(field, { target: { value: typed } });

    await waitFor(() => expect(settingsStatus().textContent).toBe(message));
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(field.getAttribute('aria-describedby')!)!.textContent).toBe(
      message,
    );
    expect(await fakeBrowser.storage.local.get('pollIntervalMinutes')).toEqual({});
  });

  it('changes the badge mode', async () => {
    show();

    fireEvent.click(await screen.findByRole('radio', { name: 'Only notifying categories' }));

    await waitFor(() => expect(settingsStatus().textContent).toBe('Saved.'));
    expect((await readSettings()).badgeMode).toBe('notifying');
    expect(
      (screen.getByRole('radio', { name: 'Only notifying categories' }) as HTMLInputElement)
        .checked,
    ).toBe(true);
  });

  it('asks for the notifications permission inside the click, then turns them on', async () => {
    show();
    const box = (await screen.findByRole('checkbox', {
      name: 'Show a notification when new posts arrive',
    })) as HTMLInputElement;

    fireEvent.click(box);

    expect(asked).toEqual([['notifications']]);
    await waitFor(() => expect(settingsStatus().textContent).toBe('Saved.'));
    expect((await readSettings()).notificationsEnabled).toBe(true);
    expect(box.checked).toBe(true);
  });

  it('leaves notifications off when the permission is refused, and says so', async () => {
    grant = false;
    show();
    const box = (await screen.findByRole('checkbox', {
      name: 'Show a notification when new posts arrive',
    })) as HTMLInputElement;

    fireEvent.click(box);

    await waitFor(() =>
      expect(settingsStatus().textContent).toBe(
        'Notifications were not allowed, so they stay off.',
      ),
    );
    expect(box.checked).toBe(false);
    expect((await readSettings()).notificationsEnabled).toBe(false);
  });

  it('turns quiet hours on and changes their times', async () => {
    show();

    fireEvent.click(await screen.findByRole('checkbox', { name: 'Quiet hours' }));
    await waitFor(() => expect(settingsStatus().textContent).toBe('Saved.'));
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '23:30' } });
    await waitFor(async () =>
      expect((await readSettings()).quietHours).toEqual({
        enabled: true,
        start: '23:30',
        end: '07:00',
      }),
    );
  });

  it('refuses quiet hours that start when they end, and reads the reason out at both times', async () => {
    show();
    const from = (await screen.findByLabelText('From')) as HTMLInputElement;
    const until = screen.getByLabelText('until') as HTMLInputElement;
    const described = (input: HTMLElement) =>
      document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent;
    expect(described(from)).toBe(
      'Posts that arrive during quiet hours are announced in one notification when they end.',
    );

    fireEvent.change(until, { target: { value: '22:00' } });

    const reason = 'Quiet hours need a different start and end time.';
    await waitFor(() => expect(settingsStatus().textContent).toBe(reason));
    expect(described(from)).toBe(reason);
    expect(described(until)).toBe(reason);
    expect(until.getAttribute('aria-invalid')).toBe('true');
    expect((await readSettings()).quietHours).toEqual({
      enabled: false,
      start: '22:00',
      end: '07:00',
    });
  });

  it('turns sync on, syncs at once and shows the report', async () => {
    show();

    fireEvent.click(
      await screen.findByRole('checkbox', {
        name: 'Sync blogs, settings and the reading list through the browser',
      }),
    );

    await waitFor(() => expect(settingsStatus().textContent).toBe(REPORT.message));
    expect(received).toEqual([{ dispatch: 'syncNow', data: {} }]);
    expect(screen.getByText(`Last sync: ${REPORT.message}`)).toBeTruthy();
    expect((await readSettings()).syncEnabled).toBe(true);
  });

  it('follows a change made elsewhere (sync, a restore)', async () => {
    show();
    const field = (await screen.findByLabelText(
      'Reading speed (words per minute)',
    )) as HTMLInputElement;

    await fakeBrowser.storage.local.set({ wordsPerMinute: 180 });

    await waitFor(() =>
      expect(
        (screen.getByLabelText('Reading speed (words per minute)') as HTMLInputElement).value,
      ).toBe('180'),
    );
    expect(field).toBeTruthy();
  });

  it('lists the categories with unread posts and those with a mode, and mutes one', async () => {
    const feed = await aFeed(db);
    await savePollResult(db, feed.id, {
      posts: [
        aPost({ categories: ['State Space Model'] }),
        aPost({ categories: ['Transformer'] }),
        aPost({ categories: ['Transformer'] }),
      ],
      feed: {},
      now: NOW,
    });
    await categoryModes.setValue({ 'old topic': 'list' });
    show();

    const list = await screen.findByRole('list', { name: 'Categories' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3));
    expect(
      within(list)
        .getAllByRole('combobox')
        .map((select) => select.getAttribute('id')),
    ).toHaveLength(3);
    const transformer = within(list).getByRole('combobox', {
      name: 'Transformer',
    }) as HTMLSelectElement;
    expect(transformer.value).toBe('notify');
    expect([...transformer.options].map((option) => option.textContent)).toEqual([
      'Notify',
      'List only',
      'Mute',
    ]);
    expect(
      (within(list).getByRole('combobox', { name: 'old topic' }) as HTMLSelectElement).value,
    ).toBe('list');
    expect(within(list).getByText('2 unread')).toBeTruthy();

    fireEvent.change(transformer, { target: { value: 'mute' } });

    const categories = within(screen.getByRole('region', { name: 'Categories' }) as HTMLElement);
    await waitFor(() => expect(categories.getByRole('status').textContent).toBe('Saved.'));
    expect(settingsStatus().textContent).toBe('');
    expect(await categoryModes.getValue()).toEqual({ 'old topic': 'list', transformer: 'mute' });
  });

  it('says what to do when there are no categories yet', async () => {
    show();

    expect(
      await screen.findByText('No categories yet: they appear once your blogs have unread posts.'),
    ).toBeTruthy();
  });
});
