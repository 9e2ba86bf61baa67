// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { markRead } from '@/utils/db/posts';
import { COLLAPSED_KEY } from '@/utils/state/popup-state';
import { aPost } from '../helpers/db';
import { HOUR, NOW, usePopup } from './popup-harness';

const titles = (scope: HTMLElement) =>
  within(scope)
    .queryAllByRole('article')
    .map((article) => article.getAttribute('aria-label'));

describe('Unread tab', () => {
  const popup = usePopup();

  describe('sections', () => {
    it('collapses a section and remembers it at the next opening', async () => {
      const feed = await popup.feed();
      await popup.store(feed, [
        aPost({ title: 'A1', categories: ['Alpha'] }),
        aPost({ title: 'B1', categories: ['Beta'] }),
      ]);
      popup.show();
      const alpha = await screen.findByRole('region', { name: 'Alpha' });
      const toggle = within(alpha).getByRole('button', { name: 'Alpha 1' });
      expect(toggle.getAttribute('aria-expanded')).toBe('true');
      await within(alpha).findByRole('article', { name: 'A1' });

      fireEvent.click(toggle);

      expect(toggle.getAttribute('aria-expanded')).toBe('false');
      expect(within(alpha).queryByRole('article')).toBeNull();
      expect(within(alpha).getByRole('heading', { level: 2 }).textContent).toBe('Alpha 1');
      expect(JSON.parse(localStorage.getItem(COLLAPSED_KEY) ?? '[]')).toEqual(['alpha']);

      popup.show();

      const again = await screen.findByRole('region', { name: 'Alpha' });
      expect(
        within(again).getByRole('button', { name: 'Alpha 1' }).getAttribute('aria-expanded'),
      ).toBe('false');
      expect(within(again).queryByRole('article')).toBeNull();
      expect(
        await within(screen.getByRole('region', { name: 'Beta' })).findByRole('article', {
          name: 'B1',
        }),
      ).toBeTruthy();

      fireEvent.click(within(again).getByRole('button', { name: 'Alpha 1' }));
      expect(await within(again).findByRole('article', { name: 'A1' })).toBeTruthy();
    });

    it('marks a whole section read, and Undo makes exactly those posts unread again', async () => {
      const feed = await popup.feed();
      const [, , earlier] = await popup.store(feed, [
        aPost({ title: 'S1', categories: ['SSM'], publishedAt: NOW - HOUR }),
        aPost({ title: 'S2', categories: ['SSM'], publishedAt: NOW - 2 * HOUR }),
        aPost({ title: 'S3 read before', categories: ['SSM'], publishedAt: NOW - 3 * HOUR }),
        aPost({ title: 'T1', categories: ['Transformer'] }),
      ]);
      await markRead(popup.db, [earlier!.id], NOW);
      popup.show();
      const ssm = await screen.findByRole('region', { name: 'SSM' });
      await waitFor(() => expect(titles(ssm)).toEqual(['S1', 'S2']));

      fireEvent.click(within(ssm).getByRole('button', { name: 'Mark all read in SSM' }));

      await waitFor(() => expect(screen.queryByRole('region', { name: 'SSM' })).toBeNull());
      expect(await screen.findByText('Marked 2 posts in SSM read.')).toBeTruthy();
      expect(screen.getByText('1 unread')).toBeTruthy();
      expect(screen.getByRole('article', { name: 'T1' })).toBeTruthy();

      fireEvent.click(screen.getByRole('button', { name: 'Undo' }));

      const back = await screen.findByRole('region', { name: 'SSM' });
      await waitFor(() => expect(titles(back)).toEqual(['S1', 'S2']));
      expect(await screen.findByText('3 unread')).toBeTruthy();
      expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
      expect((await popup.db.posts.get(earlier!.id))?.readAt).toBe(NOW);
    });

    it('marks everything read, and Undo brings it all back', async () => {
      const feed = await popup.feed();
      await popup.store(feed, [
        aPost({ title: 'One', categories: ['A'] }),
        aPost({ title: 'Two', categories: ['B'] }),
      ]);
      popup.show();
      await screen.findByRole('article', { name: 'One' });

      fireEvent.click(screen.getByRole('button', { name: 'Mark all read' }));

      expect(await screen.findByText('All caught up.')).toBeTruthy();
      expect(screen.getByText('Marked 2 posts read.')).toBeTruthy();
      expect(screen.getByText('0 unread')).toBeTruthy();
      expect(
        (screen.getByRole('button', { name: 'Mark all read' }) as HTMLButtonElement).disabled,
      ).toBe(true);

      fireEvent.click(screen.getByRole('button', { name: 'Undo' }));

      expect(await screen.findByRole('article', { name: 'One' })).toBeTruthy();
      expect(await screen.findByRole('article', { name: 'Two' })).toBeTruthy();
      expect(screen.getByText('2 unread')).toBeTruthy();
    });
  });

  describe('Show read', () => {
    it('lists the posts read, most recently read first, and marks one unread', async () => {
      const feed = await popup.feed();
      const [first, second] = await popup.store(feed, [
        aPost({ title: 'Read first' }),
        aPost({ title: 'Read second' }),
        aPost({ title: 'Unread' }),
      ]);
      await markRead(popup.db, [first!.id], NOW - HOUR);
      await markRead(popup.db, [second!.id], NOW);
      popup.show();
      await screen.findByRole('article', { name: 'Unread' });
      const toggle = screen.getByRole('button', { name: 'Show read' });

      fireEvent.click(toggle);

      expect(toggle.getAttribute('aria-pressed')).toBe('true');
      const list = await screen.findByRole('region', { name: 'Recently read' });
      await waitFor(() => expect(titles(list)).toEqual(['Read second', 'Read first']));
      const article = within(list).getByRole('article', { name: 'Read first' });

      fireEvent.click(within(article).getByRole('button', { name: 'Mark unread' }));

      await waitFor(() => expect(titles(list)).toEqual(['Read second']));
      expect(await screen.findByText('2 unread')).toBeTruthy();

      fireEvent.click(toggle);
      expect(toggle.getAttribute('aria-pressed')).toBe('false');
      expect(await screen.findByRole('article', { name: 'Read first' })).toBeTruthy();
    });

    it('says when nothing has been read', async () => {
      const feed = await popup.feed();
      await popup.store(feed, [aPost({ title: 'Unread' })]);
      popup.show();
      await screen.findByRole('article', { name: 'Unread' });

      fireEvent.click(screen.getByRole('button', { name: 'Show read' }));

      expect(await screen.findByText('No post read yet.')).toBeTruthy();
    });
  });

  describe('reading-time budget', () => {
    it('lists only the unread posts that fit, shortest first, with how many and their minutes', async () => {
      const feed = await popup.feed();
      const [, , , , gone] = await popup.store(feed, [
        aPost({ title: 'Eight', minutes: 8 }),
        aPost({ title: 'Three', minutes: 3 }),
        aPost({ title: 'Twelve', minutes: 12 }),
        aPost({ title: 'Four', minutes: 4, minutesFromSummary: true }),
        aPost({ title: 'Two but read', minutes: 2 }),
      ]);
      await markRead(popup.db, [gone!.id], NOW);
      popup.show();
      await screen.findByRole('article', { name: 'Eight' });
      const group = screen.getByRole('group', { name: 'Fits in' });
      const ten = within(group).getByRole('button', { name: '10 min' });

      fireEvent.click(ten);

      expect(ten.getAttribute('aria-pressed')).toBe('true');
      const list = await screen.findByRole('region', { name: 'Fits in 10 min' });
      await waitFor(() => expect(titles(list)).toEqual(['Three', 'Four', 'Eight']));
      expect(within(list).getByRole('heading', { level: 2 }).textContent).toBe('Fits in 10 min 3');
      expect(within(list).getByText('15 min')).toBeTruthy();
      expect(within(list).getByText(/~4 min read/)).toBeTruthy();

      fireEvent.click(within(group).getByRole('button', { name: '5 min' }));

      const five = await screen.findByRole('region', { name: 'Fits in 5 min' });
      await waitFor(() => expect(titles(five)).toEqual(['Three', 'Four']));
      expect(ten.getAttribute('aria-pressed')).toBe('false');

      fireEvent.click(within(group).getByRole('button', { name: '5 min' }));
      expect(await screen.findByRole('region', { name: 'Transformer' })).toBeTruthy();
    });

    it('takes a post marked read off the budget list', async () => {
      const feed = await popup.feed();
      await popup.store(feed, [
        aPost({ title: 'Short', minutes: 2 }),
        aPost({ title: 'Too', minutes: 3 }),
      ]);
      popup.show();
      await screen.findByRole('article', { name: 'Short' });
      fireEvent.click(screen.getByRole('button', { name: '5 min' }));
      const list = await screen.findByRole('region', { name: 'Fits in 5 min' });
      const short = await within(list).findByRole('article', { name: 'Short' });

      fireEvent.click(within(short).getByRole('button', { name: 'Mark read' }));

      await waitFor(() => expect(titles(list)).toEqual(['Too']));
      await waitFor(() =>
        expect(within(list).getByRole('heading', { level: 2 }).textContent).toBe('Fits in 5 min 1'),
      );
    });

    it('says when nothing fits', async () => {
      const feed = await popup.feed();
      await popup.store(feed, [aPost({ title: 'Long', minutes: 30 })]);
      popup.show();
      await screen.findByRole('article', { name: 'Long' });

      fireEvent.click(screen.getByRole('button', { name: '20 min' }));

      expect(await screen.findByText('Nothing unread fits in 20 min.')).toBeTruthy();
    });
  });

  describe('muted categories', () => {
    const muteSsm = () => fakeBrowser.storage.local.set({ categoryModes: { ssm: 'mute' } });

    it('"Mark all read" marks what is shown, leaves muted posts unread, and Undo is exact', async () => {
      const feed = await popup.feed();
      const [muted, both, shown] = await popup.store(feed, [
        aPost({ title: 'Muted', categories: ['SSM'] }),
        aPost({ title: 'Both', categories: ['SSM', 'Transformer'] }),
        aPost({ title: 'Shown', categories: ['Transformer'] }),
      ]);
      await muteSsm();
      popup.show();
      await screen.findByRole('article', { name: 'Shown' });
      expect(screen.getByText('2 unread')).toBeTruthy();

      fireEvent.click(screen.getByRole('button', { name: 'Mark all read' }));

      expect(await screen.findByText('All caught up.')).toBeTruthy();
      expect(screen.getByText('Marked 2 posts read.')).toBeTruthy();
      expect(screen.getByText('0 unread')).toBeTruthy();
      const readAt = async () =>
        (await popup.db.posts.bulkGet([muted!.id, both!.id, shown!.id])).map((p) => p?.readAt);
      expect(await readAt()).toEqual([0, NOW, NOW]);

      fireEvent.click(screen.getByRole('button', { name: 'Undo' }));

      expect(await screen.findByRole('article', { name: 'Both' })).toBeTruthy();
      expect(await screen.findByText('2 unread')).toBeTruthy();
      expect(await readAt()).toEqual([0, 0, 0]);
      expect(screen.queryByRole('region', { name: 'SSM' })).toBeNull();
    });

    it('leaves muted posts out of "Fits in N min"', async () => {
      const feed = await popup.feed();
      await popup.store(feed, [
        aPost({ title: 'Muted short', categories: ['SSM'], minutes: 1 }),
        aPost({ title: 'Both short', categories: ['SSM', 'Transformer'], minutes: 2 }),
        aPost({ title: 'Shown short', categories: ['Transformer'], minutes: 3 }),
        aPost({ title: 'Shown long', categories: ['Transformer'], minutes: 30 }),
      ]);
      await muteSsm();
      popup.show();
      await screen.findByRole('article', { name: 'Shown short' });

      fireEvent.click(screen.getByRole('button', { name: '5 min' }));

      const list = await screen.findByRole('region', { name: 'Fits in 5 min' });
      await waitFor(() => expect(titles(list)).toEqual(['Both short', 'Shown short']));
      expect(within(list).getByRole('heading', { level: 2 }).textContent).toBe('Fits in 5 min 2');
      expect(within(list).getByText('5 min')).toBeTruthy();
    });
  });
});
