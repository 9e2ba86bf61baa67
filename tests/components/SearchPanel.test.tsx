// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { markRead } from '@/utils/db/posts';
import type { SearchResult } from '@/utils/db/search';
import type { Post } from '@/utils/db/types';
import { resultCount } from '@/components/SearchPanel';
import { aPost } from '../helpers/db';
import { HOUR, NOW, usePopup } from './popup-harness';

const titles = (scope: HTMLElement) =>
  within(scope)
    .queryAllByRole('article')
    .map((article) => article.getAttribute('aria-label'));

/** The text of each `<mark>` in `scope`. */
const marked = (scope: HTMLElement) =>
  [...scope.querySelectorAll('mark')].map((mark) => mark.textContent);

describe('resultCount', () => {
  it.each([
    [1, true, 1, '1 result'],
    [3, true, 3, '3 results'],
    [120, true, 50, '120 results, the newest 50 shown'],
    [4000, false, 50, 'about 4000 results, the newest 50 shown'],
  ])('says %i (exact: %s, %i shown) as "%s"', (total, exact, shown, words) => {
    expect(resultCount(total, exact, shown)).toBe(words);
  });
});

describe('All tab: search', () => {
  const popup = usePopup();

  async function openSearch() {
    fireEvent.click(await screen.findByRole('tab', { name: 'All' }));
    return screen.findByRole('searchbox', { name: 'Search posts' });
  }

  const type = (box: HTMLElement, value: string) => fireEvent.input(box, { target: { value } });

  it('finds read and unread posts by title, summary and category as you type, matches marked', async () => {
    const feed = await popup.feed();
    const [, read] = await popup.store(feed, [
      aPost({ title: 'Mamba explained', categories: ['SSM'], publishedAt: NOW - HOUR }),
      aPost({
        title: 'Attention again',
        summary: 'Why Mamba matters',
        publishedAt: NOW - 2 * HOUR,
      }),
      aPost({ title: 'Unrelated', categories: ['Mambaverse'], publishedAt: NOW - 3 * HOUR }),
      aPost({ title: 'Something else' }),
    ]);
    await markRead(popup.db, [read!.id], NOW);
    popup.show();
    const box = await openSearch();

    type(box, 'mamb');

    const results = await screen.findByRole('region', { name: 'Search results' });
    await waitFor(() =>
      expect(titles(results)).toEqual(['Mamba explained', 'Attention again', 'Unrelated']),
    );
    expect(screen.getByText('3 results')).toBeTruthy();
    const first = within(results).getByRole('article', { name: 'Mamba explained' });
    expect(marked(first)).toEqual(['Mamb']);
    const second = within(results).getByRole('article', { name: 'Attention again' });
    expect(marked(second)).toEqual(['Mamb']);
    expect(within(second).getByRole('button', { name: 'Mark unread' })).toBeTruthy();
    expect(marked(within(results).getByRole('article', { name: 'Unrelated' }))).toEqual(['Mamb']);

    type(box, 'mamba expl');

    await waitFor(() => expect(titles(results)).toEqual(['Mamba explained']));
    expect(screen.getByText('1 result')).toBeTruthy();
    expect(marked(screen.getByRole('article', { name: 'Mamba explained' }))).toEqual([
      'Mamba',
      'expl',
    ]);

    type(box, '');
    await waitFor(() =>
      expect(screen.queryByRole('region', { name: 'Search results' })).toBeNull(),
    );
    expect(screen.queryByText(/results?$/)).toBeNull();
  });

  it('says when nothing matches', async () => {
    const feed = await popup.feed();
    await popup.store(feed, [aPost({ title: 'Mamba' })]);
    popup.show();
    const box = await openSearch();

    type(box, 'zebra');

    expect(await screen.findByText('0 results')).toBeTruthy();
    expect(screen.queryByRole('article')).toBeNull();
  });

  it('marks a result read from the results, which then offer to mark it unread', async () => {
    const feed = await popup.feed();
    await popup.store(feed, [aPost({ title: 'Mamba' })]);
    popup.show();
    const box = await openSearch();
    type(box, 'mamba');
    const row = await screen.findByRole('article', { name: 'Mamba' });

    fireEvent.click(within(row).getByRole('button', { name: 'Mark read' }));

    expect(
      await within(screen.getByRole('article', { name: 'Mamba' })).findByRole('button', {
        name: 'Mark unread',
      }),
    ).toBeTruthy();
    expect(await screen.findByText('0 unread')).toBeTruthy();
  });

  it('follows posts stored while the results are open: a new match joins, an edited one leaves', async () => {
    const feed = await popup.feed();
    const [older] = await popup.store(feed, [
      aPost({ guid: 'older', title: 'Mamba notes', publishedAt: NOW - 2 * HOUR }),
    ]);
    popup.show();
    const box = await openSearch();
    type(box, 'mamba');
    const results = await screen.findByRole('region', { name: 'Search results' });
    await waitFor(() => expect(titles(results)).toEqual(['Mamba notes']));

    // As the service worker's poll would store them.
    await popup.store(feed, [
      aPost({ guid: 'newer', title: 'Mamba, again', publishedAt: NOW - HOUR }),
      aPost({
        guid: 'older',
        title: 'Attention notes',
        url: older!.url,
        publishedAt: older!.publishedAt,
      }),
    ]);

    await waitFor(() =>
      expect(titles(screen.getByRole('region', { name: 'Search results' }))).toEqual([
        'Mamba, again',
      ]),
    );
    expect(screen.getByText('1 result')).toBeTruthy();
  });

  it('shows a long summary from a little before its first match, and a summary without one from its start', async () => {
    const feed = await popup.feed();
    const opening = 'A long opening that says nothing much about the subject at all, ';
    await popup.store(feed, [
      aPost({ title: 'Deep match', summary: `${opening}then mamba.`, publishedAt: NOW - HOUR }),
      aPost({ title: 'Mamba in the title', summary: opening, publishedAt: NOW - 2 * HOUR }),
    ]);
    popup.show();
    const box = await openSearch();

    type(box, 'mamba');

    const deep = await screen.findByRole('article', { name: 'Deep match' });
    const excerpt = deep.querySelector('.excerpt')!.textContent!;
    expect(excerpt).toMatch(/…[^…]*then mamba\.$/);
    expect(excerpt).not.toContain('A long opening');
    expect(marked(deep)).toEqual(['mamba']);
    const title = screen.getByRole('article', { name: 'Mamba in the title' });
    expect(title.querySelector('.excerpt')!.textContent).toContain(opening.trim());
  });

  /** A search whose answers the test gives, in the order it chooses. */
  function controlledSearch() {
    const pending = new Map<string, (result: SearchResult) => void>();
    const search = (_db: unknown, query: string) =>
      new Promise<SearchResult>((resolve) => pending.set(query, resolve));
    return { pending, search };
  }

  const post = (id: number, title: string): Post => ({
    ...aPost({ title }),
    id,
    feedId: 1,
    readAt: 0,
    firstSeenAt: 0,
    publishedAt: NOW,
    sectionKeys: [],
    terms: [],
  });

  it('never shows an older answer that arrives before the answer to what is typed now', async () => {
    const { pending, search } = controlledSearch();
    await popup.feed();
    popup.show({ search });
    const box = await openSearch();

    type(box, 'ma');
    await waitFor(() => expect([...pending.keys()]).toEqual(['ma']));
    type(box, 'mamba');
    await waitFor(() => expect([...pending.keys()]).toEqual(['ma', 'mamba']));
    pending.get('ma')!({ posts: [post(1, 'Old answer')], total: 1, exact: true, tokens: ['ma'] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole('article', { name: 'Old answer' })).toBeNull();

    pending.get('mamba')!({
      posts: [post(2, 'Mamba new')],
      total: 1,
      exact: true,
      tokens: ['mamba'],
    });

    expect(await screen.findByRole('article', { name: 'Mamba new' })).toBeTruthy();
    expect(screen.getByText('1 result')).toBeTruthy();
  });

  it('never lets an older answer replace the answer to what is typed now', async () => {
    const { pending, search } = controlledSearch();
    await popup.feed();
    popup.show({ search });
    const box = await openSearch();

    type(box, 'ma');
    await waitFor(() => expect([...pending.keys()]).toEqual(['ma']));
    type(box, 'mamba');
    await waitFor(() => expect([...pending.keys()]).toEqual(['ma', 'mamba']));
    pending.get('mamba')!({
      posts: [post(2, 'Mamba new')],
      total: 1,
      exact: true,
      tokens: ['mamba'],
    });
    await screen.findByRole('article', { name: 'Mamba new' });
    pending.get('ma')!({ posts: [post(1, 'Old answer')], total: 1, exact: true, tokens: ['ma'] });
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(titles(screen.getByRole('region', { name: 'Search results' }))).toEqual(['Mamba new']);
    expect(screen.queryByRole('article', { name: 'Old answer' })).toBeNull();
  });
});
