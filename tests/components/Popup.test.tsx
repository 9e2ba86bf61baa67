// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Popup } from '@/components/Popup';

import type { DispatchDb } from '@/utils/db/db';
import { savePollResult } from '@/utils/db/posts';
import { finishReadingItem, saveToReadingList } from '@/utils/db/reading-list';
import type { Feed, NewPost } from '@/utils/db/types';
import { createPopupState, type PopupState } from '@/utils/state/popup-state';
import { aFeed, aPost, freshDb } from '../helpers/db';
import { fakeTabs } from '../helpers/fakes';

const NOW = new Date(2026, 2, 12, 12).getTime();
const MINUTE = 60_000;

describe('Popup', () => {
  let db: DispatchDb;
  let state: PopupState;
  let opened: string[];

  function show() {
    const fake = fakeTabs();
    opened = fake.opened;
    state = createPopupState({ db, now: () => NOW, tabs: fake.tabs });
    return render(<Popup state={state} />);
  }

  async function store(feed: Feed, posts: NewPost[]) {
    await savePollResult(db, feed.id, { posts, feed: {}, now: NOW });
  }

  beforeEach(() => {
    fakeBrowser.reset();
    db = freshDb();
    opened = [];
  });

  afterEach(() => {
    cleanup();
    state.dispose();
  });

  it('tells a new user to add a blog', async () => {
    show();

    expect(await screen.findByText('No blogs yet.')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Dispatch' })).toBeTruthy();
    expect(screen.getByText('0 unread')).toBeTruthy();
    expect(screen.getByText('not checked yet')).toBeTruthy();

    fireEvent.click(screen.getByRole('link', { name: 'Add a blog' }));
    await waitFor(() => expect(opened).toEqual(['options']));
  });

  it('groups unread posts by category, with counts and reading times', async () => {
    const feed = await aFeed(db, { title: 'Edge Notes', lastCheckedAt: NOW - 3 * MINUTE });
    await store(feed, [
      aPost({
        title: 'Mamba explained',
        categories: ['State Space Model'],
        publishedAt: NOW - 3000,
        minutes: 2,
      }),
      aPost({
        title: 'xLSTM',
        categories: ['State Space Model', 'RNN'],
        publishedAt: NOW - 1000,
        minutes: 5,
      }),
      aPost({ title: 'Loose note', categories: [], publishedAt: NOW - 2000, minutes: 1 }),
    ]);

    show();

    const ssm = await screen.findByRole('region', { name: 'State Space Model' });
    expect(within(ssm).getByRole('heading', { level: 2 }).textContent).toBe('State Space Model 2');
    expect(within(ssm).getByText('7 min')).toBeTruthy();
    expect(
      within(ssm)
        .getAllByRole('article')
        .map((article) => article.getAttribute('aria-label')),
    ).toEqual(['xLSTM', 'Mamba explained']);
    const mamba = within(ssm).getByRole('article', { name: 'Mamba explained' });
    // The blog name is an element of its own (dir="auto"); the line reads as one.
    const metaLine = (_: string, node: Element | null) =>
      node?.tagName === 'P' && node.textContent === 'Edge Notes · 12 Mar 2026 · 2 min read';
    expect(within(mamba).getByText(metaLine)).toBeTruthy();

    expect(
      screen.getAllByRole('region').map((section) => section.getAttribute('aria-label')),
    ).toEqual(['State Space Model', 'RNN', 'Uncategorized']);
    expect(screen.getByText('3 unread')).toBeTruthy();
    expect(screen.getByText('checked 3 min ago')).toBeTruthy();
  });

  it('opens a post through the tabs adapter and marks it read', async () => {
    const feed = await aFeed(db);
    await store(feed, [aPost({ title: 'Open me', url: 'https://blog.example/open-me' })]);
    show();

    const link = await screen.findByRole('link', { name: 'Open me' });
    expect(link.getAttribute('href')).toBe('https://blog.example/open-me');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    fireEvent.click(link);

    await waitFor(() => expect(opened).toEqual(['https://blog.example/open-me']));
    await waitFor(() => expect(screen.getByText('All caught up.')).toBeTruthy());
  });

  it('removes a row marked read, and updates the count and the badge', async () => {
    const feed = await aFeed(db);
    await store(feed, [aPost({ title: 'Keep' }), aPost({ title: 'Done' })]);
    show();

    const done = await screen.findByRole('article', { name: 'Done' });
    fireEvent.click(within(done).getByRole('button', { name: 'Mark read' }));

    await waitFor(() => expect(screen.queryByRole('article', { name: 'Done' })).toBeNull());
    expect(screen.getByRole('article', { name: 'Keep' })).toBeTruthy();
    await waitFor(() => expect(screen.getByText('1 unread')).toBeTruthy());
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
  });

  it('turns Save into a disabled "Saved" once the post is in the reading list', async () => {
    const feed = await aFeed(db);
    await store(feed, [aPost({ title: 'Later' })]);
    show();

    const article = await screen.findByRole('article', { name: 'Later' });
    fireEvent.click(within(article).getByRole('button', { name: 'Save' }));

    const saved = await within(article).findByRole('button', { name: 'Saved' });
    expect((saved as HTMLButtonElement).disabled).toBe(true);
  });

  it('renders feed text as text, never as markup', async () => {
    const feed = await aFeed(db, { title: '<b>Bold</b> blog' });
    await store(feed, [aPost({ title: '<img src=x onerror=alert(1)>', categories: ['<i>x</i>'] })]);
    const { container } = show();

    expect(await screen.findByRole('link', { name: '<img src=x onerror=alert(1)>' })).toBeTruthy();
    expect(screen.getByRole('region', { name: '<i>x</i>' })).toBeTruthy();
    expect(container.querySelector('img, b, i')).toBeNull();
  });

  it('gives every title a direction of its own', async () => {
    const feed = await aFeed(db);
    await store(feed, [aPost({ title: 'שלום עולם' })]);
    show();

    const link = await screen.findByRole('link', { name: 'שלום עולם' });
    expect(link.closest('[dir="auto"]')).not.toBeNull();
  });

  it('says "All caught up." when every post is read', async () => {
    await aFeed(db);
    show();

    expect(await screen.findByText('All caught up.')).toBeTruthy();
  });

  it('shows "Checking…" while refreshing', async () => {
    let finish: (() => void) | undefined;
    fakeBrowser.runtime.onMessage.addListener(
      () =>
        new Promise((resolve) => {
          finish = () => resolve({ ok: { checked: 1, newPosts: 0, failed: 0 } });
        }),
    );
    show();

    fireEvent.click(await screen.findByRole('button', { name: 'Refresh' }));

    expect(await screen.findByRole('button', { name: 'Checking…' })).toBeTruthy();
    await waitFor(() => expect(finish).toBeDefined());
    finish!();
    expect(await screen.findByRole('button', { name: 'Refresh' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Checked 1 blog: no new posts.');
  });

  it('moves between tabs with the arrow keys', async () => {
    show();
    const unread = await screen.findByRole('tab', { name: 'Unread' });

    fireEvent.keyDown(unread, { key: 'ArrowRight' });

    const reading = screen.getByRole('tab', { name: 'Reading list' });
    expect(reading.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(reading);
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(reading.id);
    expect(within(screen.getByRole('tabpanel')).getByText('Nothing saved yet.')).toBeTruthy();
  });

  describe('reading list', () => {
    async function openReadingList() {
      fireEvent.click(await screen.findByRole('tab', { name: 'Reading list' }));
      return screen.getByRole('tabpanel');
    }

    it('says when nothing is saved', async () => {
      show();

      const panel = await openReadingList();

      expect(within(panel).getByText('Nothing saved yet.')).toBeTruthy();
      expect(screen.getByRole('tab', { name: 'Reading list' }).getAttribute('aria-selected')).toBe(
        'true',
      );
    });

    it('lists items in the order saved; Finished moves one under "Finished"', async () => {
      await saveToReadingList(db, { url: 'https://a.example/', title: 'First', minutes: 3 }, 1);
      await saveToReadingList(db, { url: 'https://b.example/', title: 'Second' }, 2);
      show();
      await openReadingList();

      const list = await screen.findByRole('list', { name: 'Reading list' });
      expect(
        within(list)
          .getAllByRole('link')
          .map((link) => link.textContent),
      ).toEqual(['First', 'Second']);
      expect(within(list).getByText('3 min read')).toBeTruthy();

      const first = within(list).getAllByRole('listitem')[0]!;
      fireEvent.click(within(first).getByRole('button', { name: 'Finished' }));

      const finished = await screen.findByRole('list', { name: 'Finished' });
      expect(screen.getByRole('heading', { level: 2, name: 'Finished' })).toBeTruthy();
      expect(within(finished).getByRole('link', { name: 'First' })).toBeTruthy();
      expect(within(finished).getByText('finished 12 Mar 2026')).toBeTruthy();
      expect(
        within(screen.getByRole('list', { name: 'Reading list' })).getAllByRole('listitem'),
      ).toHaveLength(1);
    });

    it('removes an item', async () => {
      const item = await saveToReadingList(db, { url: 'https://a.example/', title: 'Gone' }, 1);
      await finishReadingItem(db, item.id, NOW);
      await saveToReadingList(db, { url: 'https://b.example/', title: 'Stays' }, 2);
      show();
      const panel = await openReadingList();

      const finished = await within(panel).findByRole('list', { name: 'Finished' });
      fireEvent.click(within(finished).getByRole('button', { name: 'Remove' }));

      await waitFor(() => expect(screen.queryByRole('link', { name: 'Gone' })).toBeNull());
      expect(screen.queryByRole('heading', { name: 'Finished' })).toBeNull();
      expect(screen.getByRole('link', { name: 'Stays' })).toBeTruthy();
    });
  });
});
