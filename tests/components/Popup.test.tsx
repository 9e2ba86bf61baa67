// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createDb } from '@/utils/db/db';
import { STORAGE_UNAVAILABLE_MESSAGE } from '@/utils/db/errors';
import { saveToReadingList } from '@/utils/db/reading-list';
import { aPost } from '../helpers/db';
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
