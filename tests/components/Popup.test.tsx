// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Popup } from '@/components/Popup';
import { createFirstPaintState } from '@/utils/state/first-paint-state';
import { createDb } from '@/utils/db/db';
import { STORAGE_UNAVAILABLE_MESSAGE } from '@/utils/db/errors';
import { saveToReadingList } from '@/utils/db/reading-list';
import { SCHEMA_V2 } from '@/utils/db/schema';
import { COLLAPSED_KEY } from '@/utils/db/section-summary';
import { popupAlert } from '@/utils/health';
import { aPost } from '../helpers/db';
import { V2_RECORDS } from '../utils/db/fixtures';
import { HOUR, MINUTE, NOW, usePopup } from './popup-harness';

/** Titles of the posts listed in `scope`, in order. */
const titles = (scope: HTMLElement) =>
  within(scope)
    .queryAllByRole('article')
    .map((article) => article.getAttribute('aria-label'));

describe('Popup', () => {
  const popup = usePopup();

  it('tells a new user to add a blog', async () => {
    popup.show();

    expect(await screen.findByText('No blogs yet.')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Dispatch' })).toBeTruthy();
    expect(screen.getByText('0 unread')).toBeTruthy();
    expect(screen.getByText('not checked yet')).toBeTruthy();

    fireEvent.click(screen.getByRole('link', { name: 'Add a blog' }));
    await waitFor(() => expect(popup.opened).toEqual(['options']));
  });

  it('shows neither an empty state nor a count before the counters answer', () => {
    popup.show();

    expect(screen.queryByText('No blogs yet.')).toBeNull();
    expect(screen.queryByText('All caught up.')).toBeNull();
    expect(screen.queryByText(/unread$/)).toBeNull();
    expect(screen.getByRole('tablist')).toBeTruthy();
  });

  it('lists a section per category, by name, Uncategorized last, with counts and minutes', async () => {
    const feed = await popup.feed({ lastCheckedAt: NOW - 3 * MINUTE });
    await popup.store(feed, [
      aPost({ title: 'Mamba', categories: ['State Space Model'], publishedAt: NOW - 3 * HOUR }),
      aPost({
        title: 'xLSTM',
        categories: ['State Space Model', 'RNN'],
        publishedAt: NOW - HOUR,
        minutes: 5,
      }),
      aPost({ title: 'Loose note', categories: [], publishedAt: NOW - 2 * HOUR, minutes: 1 }),
    ]);

    popup.show();

    const ssm = await screen.findByRole('region', { name: 'State Space Model' });
    expect(within(ssm).getByRole('heading', { level: 2 }).textContent).toBe('State Space Model 2');
    expect(within(ssm).getByText('7 min')).toBeTruthy();
    await waitFor(() => expect(titles(ssm)).toEqual(['xLSTM', 'Mamba']));
    expect(
      screen.getAllByRole('region').map((section) => section.getAttribute('aria-label')),
    ).toEqual(['RNN', 'State Space Model', 'Uncategorized']);
    expect(screen.getByText('3 unread')).toBeTruthy();
    expect(screen.getByText('8 min')).toBeTruthy();
    expect(screen.getByText('checked 3 min ago')).toBeTruthy();
  });

  it('gives each row its blog, a relative date with the full date on hover, and its reading time', async () => {
    const feed = await popup.feed();
    const publishedAt = new Date(2026, 2, 12, 9, 5).getTime();
    await popup.store(feed, [
      aPost({ title: 'Full text', publishedAt, minutes: 2 }),
      aPost({ title: 'Summary only', publishedAt: NOW - 2 * 86_400_000, minutesFromSummary: true }),
    ]);
    popup.show();

    const full = await screen.findByRole('article', { name: 'Full text' });
    const metaLine = (text: string) => (_: string, node: Element | null) =>
      node?.tagName === 'P' && node.textContent === text;
    expect(within(full).getByText(metaLine('Edge Notes · 2 h ago · 2 min read'))).toBeTruthy();
    const date = within(full).getByText('2 h ago');
    expect(date.getAttribute('title')).toBe('12 Mar 2026, 09:05');
    expect(date.getAttribute('datetime')).toBe(new Date(publishedAt).toISOString());

    const estimated = screen.getByRole('article', { name: 'Summary only' });
    expect(
      within(estimated).getByText(metaLine('Edge Notes · 2 days ago · ~2 min read')),
    ).toBeTruthy();
  });

  it.each(['first paint', 'live'] as const)(
    'puts the site’s own reading time beside Dispatch’s (%s)',
    async (when) => {
      const feed = await popup.feed();
      const [counted, agreed, label] = await popup.store(feed, [
        aPost({ title: 'Counted longer', publishedAt: NOW - 2 * HOUR, minutes: 3 }),
        aPost({ title: 'Same count', publishedAt: NOW - 3 * HOUR, minutes: 2 }),
        aPost({ title: 'Card label only', publishedAt: NOW - 4 * HOUR, minutes: 5 }),
      ]);
      await popup.db.posts.update(counted!.id, { siteMinutes: 2, articleCounted: true });
      await popup.db.posts.update(agreed!.id, { siteMinutes: 2, articleCounted: true });
      // Never counted (too many new posts at once, the article unreachable): the card's label.
      await popup.db.posts.update(label!.id, { siteMinutes: 5 });
      if (when === 'live') popup.show();
      else popup.showFirstPaint();

      const longer = await screen.findByRole('article', { name: 'Counted longer' });
      const metaLine = (text: string) => (_: string, node: Element | null) =>
        node?.tagName === 'P' && node.textContent === text;
      expect(
        within(longer).getByText(
          metaLine('Edge Notes · 2 h ago · 3 min read (the site says 2 min)'),
        ),
      ).toBeTruthy();
      expect(within(longer).getByText('3 min read').getAttribute('title')).toBe(
        '3 min by Dispatch’s count; the site says 2 min',
      );
      const same = screen.getByRole('article', { name: 'Same count' });
      expect(within(same).getByText(metaLine('Edge Notes · 3 h ago · 2 min read'))).toBeTruthy();
      expect(within(same).getByText('2 min read').getAttribute('title')).toBe(
        '2 min by Dispatch’s count; the site says 2 min',
      );
      const uncounted = screen.getByRole('article', { name: 'Card label only' });
      expect(
        within(uncounted).getByText(metaLine('Edge Notes · 4 h ago · 5 min read')),
      ).toBeTruthy();
      expect(within(uncounted).getByText('5 min read').getAttribute('title')).toBe(
        'The site says 5 min',
      );
    },
  );

  it('takes the header totals from the counters, without counting posts', async () => {
    const feed = await popup.feed();
    await popup.store(feed, [aPost({ minutes: 3 })]);
    // Counters that disagree with the posts: what the header shows must be theirs.
    await popup.db.unreadCounts.put({ feedId: feed.id, category: '', unread: 42, minutes: 99 });

    popup.show();

    expect(await screen.findByText('42 unread')).toBeTruthy();
    expect(screen.getByText('99 min')).toBeTruthy();
  });

  it('opens a post through the tabs adapter and marks it read', async () => {
    const feed = await popup.feed();
    await popup.store(feed, [aPost({ title: 'Open me', url: 'https://blog.example/open-me' })]);
    popup.show();

    const link = await screen.findByRole('link', { name: 'Open me' });
    expect(link.getAttribute('href')).toBe('https://blog.example/open-me');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    fireEvent.click(link);

    await waitFor(() => expect(popup.opened).toEqual(['https://blog.example/open-me']));
    expect(popup.errors).toEqual([]);
    await waitFor(() => expect(screen.getByText('All caught up.')).toBeTruthy());
  });

  it('removes a row marked read, and updates the counts and the badge', async () => {
    const feed = await popup.feed();
    await popup.store(feed, [aPost({ title: 'Keep' }), aPost({ title: 'Done', minutes: 4 })]);
    popup.show();

    const done = await screen.findByRole('article', { name: 'Done' });
    fireEvent.click(within(done).getByRole('button', { name: 'Mark read' }));

    await waitFor(() => expect(screen.queryByRole('article', { name: 'Done' })).toBeNull());
    expect(screen.getByRole('article', { name: 'Keep' })).toBeTruthy();
    await waitFor(() => expect(screen.getByText('1 unread')).toBeTruthy());
    expect(within(screen.getByRole('banner')).getByText('2 min')).toBeTruthy();
    await waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('1'));
  });

  it('turns Save into a disabled "Saved" once the post is in the reading list', async () => {
    const feed = await popup.feed();
    await popup.store(feed, [aPost({ title: 'Later' })]);
    popup.show();

    const article = await screen.findByRole('article', { name: 'Later' });
    fireEvent.click(within(article).getByRole('button', { name: 'Save' }));

    const saved = await within(article).findByRole('button', { name: 'Saved' });
    expect((saved as HTMLButtonElement).disabled).toBe(true);
  });

  it('renders feed text as text, never as markup', async () => {
    const feed = await popup.feed({ title: '<b>Bold</b> blog' });
    await popup.store(feed, [
      aPost({ title: '<img src=x onerror=alert(1)>', categories: ['<i>x</i>'] }),
    ]);
    const { container } = popup.show();

    expect(await screen.findByRole('link', { name: '<img src=x onerror=alert(1)>' })).toBeTruthy();
    expect(screen.getByRole('region', { name: '<i>x</i>' })).toBeTruthy();
    expect(container.querySelector('img, b, i')).toBeNull();
  });

  it('gives every title and blog name a direction of its own', async () => {
    const feed = await popup.feed({ title: 'مدونة' });
    await popup.store(feed, [aPost({ title: 'שלום עולם' })]);
    popup.show();

    const link = await screen.findByRole('link', { name: 'שלום עולם' });
    expect(link.closest('[dir="auto"]')).not.toBeNull();
    expect(screen.getByText('مدونة').getAttribute('dir')).toBe('auto');
  });

  it('says "All caught up." when every post is read', async () => {
    await popup.feed();
    popup.show();

    expect(await screen.findByText('All caught up.')).toBeTruthy();
  });

  it('shows "Checking…" while refreshing, then what the check found', async () => {
    let finish: (() => void) | undefined;
    fakeBrowser.runtime.onMessage.addListener(
      () =>
        new Promise((resolve) => {
          finish = () => resolve({ ok: { checked: 1, newPosts: 0, failed: 0 } });
        }),
    );
    popup.show();

    fireEvent.click(await screen.findByRole('button', { name: 'Refresh' }));

    expect(await screen.findByRole('button', { name: 'Checking…' })).toBeTruthy();
    await waitFor(() => expect(finish).toBeDefined());
    finish!();
    expect(await screen.findByRole('button', { name: 'Refresh' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Checked 1 blog: no new posts.');
  });

  it('names a blog that is gone when a refresh could not check it', async () => {
    await popup.feed({ title: 'Old Blog', status: 'gone' });
    fakeBrowser.runtime.onMessage.addListener(async () => ({
      ok: { checked: 0, newPosts: 0, failed: 0 },
    }));
    popup.show();
    await screen.findByText('All caught up.');

    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'Not checked, gone (HTTP 410): Old Blog — use "Check now" in Settings to try again.',
      ),
    );
  });

  it('says why it cannot read the posts instead of showing an empty list', async () => {
    const broken = createDb(`no-idb-${crypto.randomUUID()}`, { indexedDB: undefined });
    popup.show({ db: broken });

    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        `Could not read your posts: ${STORAGE_UNAVAILABLE_MESSAGE}`,
      ),
    );
    expect(screen.queryByText('No blogs yet.')).toBeNull();
    expect(screen.queryByText('All caught up.')).toBeNull();
    expect(screen.queryByRole('tablist')).toBeNull();
  });

  it('moves between the tabs Unread, Reading list and All with the arrow keys', async () => {
    popup.show();
    const unread = await screen.findByRole('tab', { name: 'Unread' });

    fireEvent.keyDown(unread, { key: 'ArrowRight' });

    const reading = screen.getByRole('tab', { name: 'Reading list' });
    expect(reading.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(reading);
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(reading.id);
    expect(
      await within(screen.getByRole('tabpanel')).findByText('Nothing saved yet.'),
    ).toBeTruthy();

    fireEvent.keyDown(reading, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'All' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(screen.getByRole('tab', { name: 'All' }), { key: 'ArrowRight' });
    expect(unread.getAttribute('aria-selected')).toBe('true');
  });

  it('shows the saved items on the Reading list tab, with "Save this page"', async () => {
    await saveToReadingList(popup.db, { url: 'https://a.example/', title: 'First' }, 1);
    popup.show();

    fireEvent.click(await screen.findByRole('tab', { name: 'Reading list' }));

    const list = await screen.findByRole('list', { name: 'Reading list' });
    expect(within(list).getByRole('link', { name: 'First' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save this page' })).toBeTruthy();
  });

  it('keeps the Unread list where it was when coming back from another tab', async () => {
    const feed = await popup.feed();
    await popup.store(feed, [aPost({ title: 'Still here' })]);
    popup.show();
    const article = await screen.findByRole('article', { name: 'Still here' });

    fireEvent.click(screen.getByRole('tab', { name: 'All' }));
    fireEvent.click(screen.getByRole('tab', { name: 'Unread' }));

    expect(screen.getByRole('article', { name: 'Still here' })).toBe(article);
  });
});

describe('Popup with muted categories', () => {
  const popup = usePopup();
  const mute = (modes: Record<string, string>) =>
    fakeBrowser.storage.local.set({ categoryModes: modes });

  /** A blog with a post only in SSM, one in SSM and Transformer, one only in Transformer. */
  async function arrange() {
    const feed = await popup.feed();
    await popup.store(feed, [
      aPost({ title: 'Mamba', categories: ['SSM'], minutes: 3, publishedAt: NOW - HOUR }),
      aPost({ title: 'Hybrid', categories: ['SSM', 'Transformer'], minutes: 4, publishedAt: NOW }),
      aPost({
        title: 'Attention',
        categories: ['Transformer'],
        minutes: 5,
        publishedAt: NOW - HOUR,
      }),
    ]);
  }

  const sectionNames = () =>
    screen.getAllByRole('region').map((section) => section.getAttribute('aria-label'));

  it('hides a muted section, lists a post also in another category there, and leaves muted posts out of the header', async () => {
    await arrange();
    await mute({ ssm: 'mute' });
    popup.show();

    const transformer = await screen.findByRole('region', { name: 'Transformer' });
    await waitFor(() => expect(titles(transformer)).toEqual(['Hybrid', 'Attention']));
    expect(sectionNames()).toEqual(['Transformer']);
    expect(screen.queryByRole('article', { name: 'Mamba' })).toBeNull();
    const header = screen.getByRole('banner');
    expect(within(header).getByText('2 unread')).toBeTruthy();
    expect(within(header).getByText('9 min')).toBeTruthy();
  });

  it('still finds a muted post in All', async () => {
    await arrange();
    await mute({ ssm: 'mute' });
    popup.show();
    await screen.findByRole('region', { name: 'Transformer' });

    fireEvent.click(screen.getByRole('tab', { name: 'All' }));
    fireEvent.input(await screen.findByRole('searchbox', { name: 'Search posts' }), {
      target: { value: 'mamba' },
    });

    const results = await screen.findByRole('region', { name: 'Search results' });
    await waitFor(() => expect(titles(results)).toEqual(['Mamba']));
  });

  it('follows the setting while open: the section goes and comes back, and the count with it', async () => {
    await arrange();
    popup.show();
    await screen.findByRole('region', { name: 'SSM' });
    expect(await screen.findByText('3 unread')).toBeTruthy();

    await mute({ ssm: 'mute' });

    await waitFor(() => expect(screen.queryByRole('region', { name: 'SSM' })).toBeNull());
    expect(await screen.findByText('2 unread')).toBeTruthy();

    await mute({ ssm: 'list' });

    expect(await screen.findByRole('region', { name: 'SSM' })).toBeTruthy();
    expect(await screen.findByText('3 unread')).toBeTruthy();
  });

  it('honours the mutes from the first paint on, before the live state is there', async () => {
    await arrange();
    await mute({ ssm: 'mute' });
    const opening = popup.showFirstPaint();

    const transformer = await screen.findByRole('region', { name: 'Transformer' });
    await waitFor(() => expect(titles(transformer)).toEqual(['Hybrid', 'Attention']));
    expect(sectionNames()).toEqual(['Transformer']);
    expect(screen.getByText('2 unread')).toBeTruthy();

    // Every state of the header from now on, as a user could see it.
    const counts = within(screen.getByRole('banner')).getByText('2 unread').parentElement!;
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(counts.textContent ?? ''));
    observer.observe(counts, { childList: true, subtree: true, characterData: true });
    opening.release();
    await popup.store((await popup.db.feeds.toArray())[0]!, [
      aPost({ title: 'Fresh', categories: ['Transformer'], minutes: 1, publishedAt: NOW }),
    ]);
    await waitFor(() => expect(titles(transformer)).toEqual(['Fresh', 'Hybrid', 'Attention']));
    await screen.findByText('3 unread');
    observer.disconnect();

    expect(new Set(seen)).toEqual(new Set(['3 unread · 10 min']));
    expect(screen.queryByRole('region', { name: 'SSM' })).toBeNull();
    expect(opening.loads).toBe(1);
    expect(popup.errors).toEqual([]);
  });
});

describe('Popup header alert', () => {
  const popup = usePopup();
  const DAY = 24 * HOUR;

  it('flags a blog failing for a day in popupAlert’s words, with a way to the settings', async () => {
    await popup.feed({ title: 'Fine' });
    await popup.feed({ title: 'Flaky', failingSince: NOW - 2 * DAY, failures: 6 });
    popup.show();

    const expected = popupAlert(await popup.db.feeds.toArray(), NOW);
    expect(expected).not.toBe('');
    const header = screen.getByRole('banner');
    expect(await within(header).findByText(expected)).toBeTruthy();
    const live = within(header).getByText(expected).closest('[aria-live]');
    expect(live?.getAttribute('aria-live')).toBe('polite');

    fireEvent.click(within(header).getByRole('link', { name: 'Open settings' }));

    await waitFor(() => expect(popup.opened).toEqual(['options']));
  });

  it('flags a blog that is gone, from the first paint on', async () => {
    await popup.feed({ title: 'Old Blog', status: 'gone' });
    popup.showFirstPaint();

    const expected = popupAlert(await popup.db.feeds.toArray(), NOW);
    expect(expected).not.toBe('');
    expect(await within(screen.getByRole('banner')).findByText(expected)).toBeTruthy();
  });

  it('flags a listing blog whose page layout changed at once, from the first paint on', async () => {
    await popup.feed({
      title: 'Page Blog',
      url: 'https://blog.example/',
      listing: {
        extractor: { version: 1, cards: 'main > article.card', fields: [], count: 9 },
        lastCount: 9,
        drift: { reason: 'No posts were found.', since: NOW - MINUTE, found: 0 },
      },
    });
    popup.showFirstPaint();

    const header = screen.getByRole('banner');
    expect(
      await within(header).findByText('Page Blog: the page layout changed — re-learn?'),
    ).toBeTruthy();
    expect(within(header).getByRole('link', { name: 'Open settings' })).toBeTruthy();
  });

  it('says nothing while every blog is well, or failing for less than a day', async () => {
    const feed = await popup.feed({ title: 'Brief hiccup', failingSince: NOW - HOUR, failures: 1 });
    popup.show();
    await screen.findByText('All caught up.');

    expect(popupAlert([feed], NOW)).toBe('');
    expect(
      within(screen.getByRole('banner')).queryByRole('link', { name: 'Open settings' }),
    ).toBeNull();

    await popup.db.feeds.update(feed.id, { failingSince: NOW - 2 * DAY });

    expect(
      await within(screen.getByRole('banner')).findByRole('link', { name: 'Open settings' }),
    ).toBeTruthy();
  });
});

describe('Popup as it opens: what is stored first, read without Dexie, then the live state', () => {
  const popup = usePopup();

  it('shows the stored rows first, then the live rows in their place: none missing, none twice', async () => {
    const feed = await popup.feed({ lastCheckedAt: NOW - 3 * MINUTE });
    await popup.store(feed, [
      aPost({ title: 'Mamba', categories: ['State Space Model'], publishedAt: NOW - 3 * HOUR }),
      aPost({ title: 'xLSTM', categories: ['State Space Model', 'RNN'], publishedAt: NOW - HOUR }),
    ]);
    const opening = popup.showFirstPaint();

    const ssm = await screen.findByRole('region', { name: 'State Space Model' });
    await waitFor(() => expect(titles(ssm)).toEqual(['xLSTM', 'Mamba']));
    expect(titles(screen.getByRole('region', { name: 'RNN' }))).toEqual(['xLSTM']);
    expect(screen.getByText('2 unread')).toBeTruthy();
    expect(screen.getByText('checked 3 min ago')).toBeTruthy();
    const first = screen.getByRole('article', { name: 'Mamba' });

    // Every state of the list from now on, as a user could see it.
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(titles(ssm).join(', ')));
    observer.observe(ssm, { childList: true, subtree: true, attributes: true });
    opening.release();
    // Only the live state follows what the worker writes.
    await popup.store(feed, [
      aPost({ title: 'Fresh', categories: ['State Space Model'], publishedAt: NOW }),
    ]);
    await waitFor(() => expect(titles(ssm)).toEqual(['Fresh', 'xLSTM', 'Mamba']));
    observer.disconnect();

    expect(new Set(seen)).toEqual(new Set(['xLSTM, Mamba', 'Fresh, xLSTM, Mamba']));
    expect(screen.getByRole('article', { name: 'Mamba' })).toBe(first);
    expect(screen.getByText('3 unread')).toBeTruthy();
    expect(opening.loads).toBe(1);
    expect(popup.errors).toEqual([]);
  });

  it('marks a post read clicked before the live state is there, once it is', async () => {
    const feed = await popup.feed();
    const [done] = await popup.store(feed, [aPost({ title: 'Done' }), aPost({ title: 'Keep' })]);
    const opening = popup.showFirstPaint();

    const row = await screen.findByRole('article', { name: 'Done' });
    fireEvent.click(within(row).getByRole('button', { name: 'Mark read' }));
    expect((await popup.db.posts.get(done!.id))?.readAt).toBe(0);
    opening.release();

    await waitFor(() => expect(screen.queryByRole('article', { name: 'Done' })).toBeNull());
    expect(screen.getByRole('article', { name: 'Keep' })).toBeTruthy();
    expect((await popup.db.posts.get(done!.id))?.readAt).toBe(NOW);
    await waitFor(() => expect(screen.getByText('1 unread')).toBeTruthy());
    expect(opening.loads).toBe(1);
  });

  it('keeps a collapsed section collapsed, and reads no rows for it', async () => {
    localStorage.setItem(COLLAPSED_KEY, JSON.stringify(['state space model']));
    const feed = await popup.feed();
    await popup.store(feed, [
      aPost({ title: 'Mamba', categories: ['State Space Model'] }),
      aPost({ title: 'Loose note', categories: [] }),
    ]);
    popup.showFirstPaint();

    const ssm = await screen.findByRole('region', { name: 'State Space Model' });
    expect(within(ssm).getByRole('button', { name: 'State Space Model 1' })).toBeTruthy();
    expect(
      within(ssm).getByRole('button', { expanded: false, name: /^State Space Model/ }),
    ).toBeTruthy();
    expect(titles(ssm)).toEqual([]);
    expect(await screen.findByRole('article', { name: 'Loose note' })).toBeTruthy();
  });

  it('tells a new user to add a blog at once, and creates no database before the live state', async () => {
    const none = createDb(`none-${crypto.randomUUID()}`);
    const opening = popup.showFirstPaint({ db: none });

    expect(await screen.findByText('No blogs yet.')).toBeTruthy();
    expect(screen.getByText('0 unread')).toBeTruthy();
    const names = (await indexedDB.databases()).map((database) => database.name);
    expect(names).not.toContain(none.name);

    opening.release();
    await waitFor(() => expect(opening.loads).toBe(1));
    expect(screen.getByText('No blogs yet.')).toBeTruthy();
    none.close();
  });

  it('shows the posts of a database of an older schema through the live state, which upgrades it', async () => {
    const name = `v2-${crypto.randomUUID()}`;
    const old = new Dexie(name);
    old.version(2).stores(SCHEMA_V2);
    await old.table('feeds').bulkAdd(V2_RECORDS.feeds);
    await old.table('posts').bulkAdd(V2_RECORDS.posts);
    await old.table('unreadCounts').bulkAdd(V2_RECORDS.unreadCounts);
    old.close();
    const db = createDb(name);

    popup.showFirstPaint({ db, held: false });

    expect(await screen.findByRole('article', { name: 'Attention is a lookup' })).toBeTruthy();
    expect(screen.queryByRole('article', { name: 'Mamba, explained' })).toBeNull();
    expect(popup.errors).toEqual([]);
    db.close();
  });

  it('says why, with no tabs, when nothing was read first and the live state cannot load', async () => {
    const errors: unknown[] = [];
    const state = createFirstPaintState({
      read: async () => undefined,
      load: () => Promise.reject(new Error('Its code could not be fetched.')),
      onError: (error) => errors.push(error),
    });
    render(<Popup state={state} />);

    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'Could not read your posts: Its code could not be fetched.',
      ),
    );
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(errors).toHaveLength(1);
    state.dispose();
  });
});
