// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { commandFor } from '@/components/keys';
import { aPost } from '../helpers/db';
import { HOUR, NOW, usePopup } from './popup-harness';

/** Presses `key` where the focus is, as a user would. */
function press(key: string, init: KeyboardEventInit = {}) {
  fireEvent.keyDown(document.activeElement ?? document.body, { key, ...init });
}

const focusedRow = () => document.activeElement?.closest('article')?.getAttribute('aria-label');

describe('commandFor', () => {
  const event = (key: string, init: KeyboardEventInit = {}, target: Element = document.body) => {
    const keyboard = new KeyboardEvent('keydown', { key, bubbles: true, ...init });
    Object.defineProperty(keyboard, 'target', { value: target });
    return keyboard;
  };

  it.each([
    ['j', 'next'],
    ['ArrowDown', 'next'],
    ['k', 'previous'],
    ['ArrowUp', 'previous'],
    ['o', 'open'],
    ['m', 'toggle'],
    ['s', 'save'],
    ['/', 'search'],
    ['?', 'help'],
  ])('reads %s as %s', (key, command) => {
    expect(commandFor(event(key))).toBe(command);
  });

  it('needs Shift for A, and ignores keys held with Ctrl, Alt or Meta', () => {
    expect(commandFor(event('A', { shiftKey: true }))).toBe('section');
    expect(commandFor(event('a'))).toBeUndefined();
    expect(commandFor(event('j', { ctrlKey: true }))).toBeUndefined();
    expect(commandFor(event('j', { altKey: true }))).toBeUndefined();
    expect(commandFor(event('j', { metaKey: true }))).toBeUndefined();
  });

  it('ignores keys typed in a field, and takes Enter on a row only', () => {
    const input = document.createElement('input');
    expect(commandFor(event('j', {}, input))).toBeUndefined();
    expect(commandFor(event('/', {}, document.createElement('textarea')))).toBeUndefined();
    const row = document.createElement('article');
    row.setAttribute('data-row', '0:0');
    expect(commandFor(event('Enter', {}, row))).toBe('open');
    expect(commandFor(event('Enter', {}, document.createElement('button')))).toBeUndefined();
  });
});

describe('Popup keyboard', () => {
  const popup = usePopup();

  async function showPosts() {
    const feed = await popup.feed();
    await popup.store(feed, [
      aPost({
        title: 'A1',
        categories: ['Alpha'],
        publishedAt: NOW - HOUR,
        url: 'https://a.example/1',
      }),
      aPost({ title: 'A2', categories: ['Alpha'], publishedAt: NOW - 2 * HOUR }),
      aPost({ title: 'B1', categories: ['Beta'], publishedAt: NOW - 3 * HOUR }),
    ]);
    popup.show();
    await screen.findByRole('article', { name: 'B1' });
  }

  it('moves between rows with j / k and the arrow keys, across sections', async () => {
    await showPosts();

    press('j');
    expect(focusedRow()).toBe('A1');
    expect(document.activeElement?.getAttribute('tabindex')).toBe('0');
    press('j');
    expect(focusedRow()).toBe('A2');
    press('ArrowDown');
    expect(focusedRow()).toBe('B1');
    press('j');
    expect(focusedRow()).toBe('B1');
    press('k');
    expect(focusedRow()).toBe('A2');
    press('ArrowUp');
    expect(focusedRow()).toBe('A1');
    expect(
      screen
        .getAllByRole('article')
        .filter((row) => row.getAttribute('tabindex') === '0')
        .map((row) => row.getAttribute('aria-label')),
    ).toEqual(['A1']);
  });

  it('opens the focused post with Enter and with o', async () => {
    await showPosts();
    press('j');

    press('Enter');

    await waitFor(() => expect(popup.opened).toEqual(['https://a.example/1']));
    press('j');
    press('o');
    await waitFor(() => expect(popup.opened).toHaveLength(2));
  });

  it('marks the focused post read with m, and the next post takes the focus', async () => {
    await showPosts();
    press('j');

    press('m');

    await waitFor(() => expect(screen.queryByRole('article', { name: 'A1' })).toBeNull());
    await waitFor(() => expect(focusedRow()).toBe('A2'));
    expect(await screen.findByText('2 unread')).toBeTruthy();
  });

  it('saves the focused post with s', async () => {
    await showPosts();
    press('j');

    press('s');

    const row = screen.getByRole('article', { name: 'A1' });
    expect(await within(row).findByRole('button', { name: 'Saved' })).toBeTruthy();
  });

  it("marks the focused post's section read with Shift+A, with an undo, and focus moves on", async () => {
    await showPosts();
    press('j');

    press('A', { shiftKey: true });

    await waitFor(() => expect(screen.queryByRole('region', { name: 'Alpha' })).toBeNull());
    expect(await screen.findByText('Marked 2 posts in Alpha read.')).toBeTruthy();
    // The section that took its place has the focus, on its first post.
    await waitFor(() => expect(focusedRow()).toBe('B1'));
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect(await screen.findByRole('region', { name: 'Alpha' })).toBeTruthy();
  });

  it('goes to the search box with /, where letters are typed, not taken as keys', async () => {
    await showPosts();

    press('/');

    expect(screen.getByRole('tab', { name: 'All' }).getAttribute('aria-selected')).toBe('true');
    const box = await screen.findByRole('searchbox', { name: 'Search posts' });
    await waitFor(() => expect(document.activeElement).toBe(box));
    press('j');
    press('?');
    expect(document.activeElement).toBe(box);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('lists the keys in a dialog with ?, closes it with Escape and gives focus back', async () => {
    await showPosts();
    press('j');
    const row = document.activeElement;

    press('?');

    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).getByRole('heading', { name: 'Keyboard shortcuts' })).toBeTruthy();
    expect(within(dialog).getByText('Mark read / unread')).toBeTruthy();
    expect(dialog.contains(document.activeElement)).toBe(true);
    press('j');
    expect(dialog.contains(document.activeElement)).toBe(true);

    press('Escape');

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(row);
  });

  it('closes the key help with its Close button too', async () => {
    await showPosts();
    press('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });

    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('moves between search results with j and k', async () => {
    await showPosts();
    press('/');
    const box = await screen.findByRole('searchbox', { name: 'Search posts' });
    fireEvent.input(box, { target: { value: 'summary' } });
    await screen.findByText('3 results');
    box.blur();

    press('j');

    expect(focusedRow()).toBe('A1');
    press('j');
    expect(focusedRow()).toBe('A2');
  });
});
