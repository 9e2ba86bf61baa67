// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ReadingListPanel } from '@/components/ReadingListPanel';
import type { PageTabsAdapter } from '@/utils/browser/tabs';
import { createDb, type DispatchDb } from '@/utils/db/db';
import { STORAGE_UNAVAILABLE_MESSAGE } from '@/utils/db/errors';
import { finishReadingItem, listReadingList, saveToReadingList } from '@/utils/db/reading-list';
import type { ExportFile } from '@/utils/export/reading-list';
import { createReadingState, type ReadingState } from '@/utils/state/reading-state';
import { freshDb } from '../helpers/db';
import { fakeTabs } from '../helpers/fakes';

const NOW = new Date(2026, 10, 29, 12).getTime();
const page = (n: number, minutes?: number) => ({
  url: `https://blog.example/${n}`,
  title: `Page ${n}`,
  ...(minutes && { minutes }),
});

/**
 * happy-dom's elements lack the `ondragstart`… properties browsers have, so Preact would listen
 * for "DragStart" instead of "dragstart". Giving them the properties makes it listen as it does
 * in a browser.
 */
for (const name of ['ondragstart', 'ondragover', 'ondrop', 'ondragend', 'ondragleave']) {
  if (!(name in HTMLElement.prototype)) {
    Object.defineProperty(HTMLElement.prototype, name, { value: null, writable: true });
  }
}

/** A drag event at a height (happy-dom's DragEvent is a bare Event, without coordinates). */
const dragAt = (type: 'dragover' | 'drop', clientY: number) =>
  new MouseEvent(type, { bubbles: true, cancelable: true, clientY });

describe('ReadingListPanel', () => {
  let db: DispatchDb;
  let state: ReadingState;
  let opened: string[];
  let downloads: ExportFile[];

  function show(full = false) {
    const tabs = fakeTabs();
    opened = tabs.opened;
    const pageTabs: PageTabsAdapter = {
      currentTab: async () => undefined,
      openReadingPage: async () => void opened.push('reading.html'),
    };
    state = createReadingState({
      db,
      now: () => NOW,
      tabs: tabs.tabs,
      pageTabs,
      badge: async () => undefined,
      onError: () => undefined,
      download: (file) => void downloads.push(file),
    });
    return render(<ReadingListPanel state={state} full={full} />);
  }

  async function saveSome(count: number) {
    for (let n = 1; n <= count; n += 1) await saveToReadingList(db, page(n, n), n);
  }

  const list = () => screen.getByRole('list', { name: 'Reading list' });
  const rows = () => within(list()).getAllByRole('listitem');
  const shownTitles = () =>
    within(list())
      .getAllByRole('link')
      .map((link) => link.textContent);
  const status = () => screen.getByRole('status');

  beforeEach(() => {
    fakeBrowser.reset();
    db = freshDb();
    downloads = [];
  });

  afterEach(() => {
    cleanup();
    state.dispose();
  });

  it('says when nothing is saved, and links to the full page', async () => {
    show();

    expect(await screen.findByText('Nothing saved yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('link', { name: 'Open full page' }));
    await waitFor(() => expect(opened).toEqual(['reading.html']));
  });

  it('lists the items in order with their reading time, under the count and total minutes', async () => {
    await saveSome(3);
    show();

    await screen.findByRole('list', { name: 'Reading list' });

    expect(shownTitles()).toEqual(['Page 1', 'Page 2', 'Page 3']);
    expect(screen.getByText('3 to read · 6 min')).toBeTruthy();
    expect(within(rows()[1]!).getByText('2 min read')).toBeTruthy();
  });

  it('opens an item in a new tab', async () => {
    await saveSome(1);
    show();

    fireEvent.click(await screen.findByRole('link', { name: 'Page 1' }));

    await waitFor(() => expect(opened).toEqual([page(1).url]));
  });

  describe('ordering', () => {
    it('moves an item with its Move down / Move up buttons, announcing the new place', async () => {
      await saveSome(3);
      show();
      const down = await screen.findByRole('button', { name: 'Move Page 1 down' });
      down.focus();

      fireEvent.click(down);

      await waitFor(() => expect(shownTitles()).toEqual(['Page 2', 'Page 1', 'Page 3']));
      expect(status().textContent).toBe('Moved “Page 1” to position 2 of 3.');
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Move Page 1 down' }));

      fireEvent.click(screen.getByRole('button', { name: 'Move Page 3 up' }));

      await waitFor(() => expect(shownTitles()).toEqual(['Page 2', 'Page 3', 'Page 1']));
      expect(status().textContent).toBe('Moved “Page 3” to position 2 of 3.');
    });

    it('marks the first item’s Move up (and the last one’s Move down) as unavailable', async () => {
      await saveSome(2);
      show();
      const up = await screen.findByRole('button', { name: 'Move Page 1 up' });

      expect(up.getAttribute('aria-disabled')).toBe('true');
      expect(
        screen.getByRole('button', { name: 'Move Page 2 down' }).getAttribute('aria-disabled'),
      ).toBe('true');
      fireEvent.click(up);

      await waitFor(() => expect(status().textContent).toBe('“Page 1” is already first.'));
      expect(shownTitles()).toEqual(['Page 1', 'Page 2']);
    });

    it('moves the focused item with Alt+ArrowDown and Alt+ArrowUp', async () => {
      await saveSome(3);
      show();
      const link = await screen.findByRole('link', { name: 'Page 1' });
      link.focus();

      fireEvent.keyDown(link, { key: 'ArrowDown', altKey: true });
      await waitFor(() => expect(shownTitles()).toEqual(['Page 2', 'Page 1', 'Page 3']));
      fireEvent.keyDown(link, { key: 'ArrowDown', altKey: true });
      await waitFor(() => expect(shownTitles()).toEqual(['Page 2', 'Page 3', 'Page 1']));
      fireEvent.keyDown(link, { key: 'ArrowUp', altKey: true });

      await waitFor(() => expect(shownTitles()).toEqual(['Page 2', 'Page 1', 'Page 3']));
      expect(status().textContent).toBe('Moved “Page 1” to position 2 of 3.');
      expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Page 1' }));
    });

    it('ignores arrows without Alt', async () => {
      await saveSome(2);
      show();
      const link = await screen.findByRole('link', { name: 'Page 1' });

      fireEvent.keyDown(link, { key: 'ArrowDown' });

      expect(shownTitles()).toEqual(['Page 1', 'Page 2']);
      expect(status().textContent).toBe('');
    });

    it('drags a row below another, showing where it will land', async () => {
      await saveSome(4);
      show();
      await screen.findByRole('list', { name: 'Reading list' });
      const [first, , third] = rows();

      expect(first!.getAttribute('draggable')).toBe('true');
      fireEvent.dragStart(first!);
      fireEvent(third!, dragAt('dragover', 10));
      expect(third!.getAttribute('data-drop')).toBe('after');
      fireEvent(third!, dragAt('drop', 10));

      await waitFor(() => expect(shownTitles()).toEqual(['Page 2', 'Page 3', 'Page 1', 'Page 4']));
      expect(status().textContent).toBe('Moved “Page 1” to position 3 of 4.');
      expect(rows().some((row) => row.hasAttribute('data-drop'))).toBe(false);
    });

    it('drags a row above another', async () => {
      await saveSome(3);
      show();
      await screen.findByRole('list', { name: 'Reading list' });
      const [first, , last] = rows();

      fireEvent.dragStart(last!);
      fireEvent(first!, dragAt('dragover', 0));
      expect(first!.getAttribute('data-drop')).toBe('before');
      fireEvent(first!, dragAt('drop', 0));

      await waitFor(() => expect(shownTitles()).toEqual(['Page 3', 'Page 1', 'Page 2']));
    });

    it('leaves the order alone when a drag ends without a drop', async () => {
      await saveSome(2);
      show();
      await screen.findByRole('list', { name: 'Reading list' });
      const [first, second] = rows();

      fireEvent.dragStart(first!);
      fireEvent(second!, dragAt('dragover', 10));
      fireEvent.dragEnd(first!);

      expect(second!.hasAttribute('data-drop')).toBe(false);
      expect(await listReadingList(db)).toEqual([
        expect.objectContaining({ title: 'Page 1' }),
        expect.objectContaining({ title: 'Page 2' }),
      ]);
    });
  });

  describe('finished items', () => {
    it('moves a finished item under a collapsed "Finished" section, and back', async () => {
      await saveSome(2);
      show();

      fireEvent.click(await screen.findByRole('button', { name: 'Mark Page 1 finished' }));

      const disclosure = await screen.findByRole('button', { name: /^Finished/ });
      expect(screen.getByRole('heading', { level: 2, name: 'Finished 1' })).toBeTruthy();
      expect(disclosure.getAttribute('aria-expanded')).toBe('false');
      expect(screen.queryByRole('list', { name: 'Finished' })).toBeNull();
      expect(shownTitles()).toEqual(['Page 2']);
      expect(screen.getByText('1 to read · 2 min')).toBeTruthy();

      fireEvent.click(disclosure);

      expect(disclosure.getAttribute('aria-expanded')).toBe('true');
      const finished = screen.getByRole('list', { name: 'Finished' });
      expect(within(finished).getByRole('link', { name: 'Page 1' })).toBeTruthy();
      expect(within(finished).getByText('finished 29 Nov 2026')).toBeTruthy();

      fireEvent.click(within(finished).getByRole('button', { name: 'Mark Page 1 not finished' }));

      await waitFor(() => expect(shownTitles()).toEqual(['Page 1', 'Page 2']));
      expect(screen.queryByRole('button', { name: /^Finished/ })).toBeNull();
    });

    it('starts collapsed with the count of finished items', async () => {
      await saveSome(3);
      await finishReadingItem(db, 1, NOW);
      await finishReadingItem(db, 2, NOW);
      show();

      const disclosure = await screen.findByRole('button', { name: 'Finished 2' });

      expect(disclosure.getAttribute('aria-expanded')).toBe('false');
      expect(screen.queryByRole('link', { name: 'Page 1' })).toBeNull();
    });

    it('says "Nothing left to read" when every item is finished', async () => {
      await saveSome(1);
      await finishReadingItem(db, 1, NOW);
      show();

      expect(await screen.findByText('Nothing left to read.')).toBeTruthy();
      expect(screen.queryByText('Nothing saved yet.')).toBeNull();
    });
  });

  it('removes an item, and Undo puts it back in its place (full page)', async () => {
    await saveSome(3);
    show(true);

    fireEvent.click(await screen.findByRole('button', { name: 'Remove Page 2' }));

    await waitFor(() => expect(shownTitles()).toEqual(['Page 1', 'Page 3']));
    expect(await screen.findByText('Removed “Page 2”.')).toBeTruthy();
    // Focus goes to the next item, not to the page.
    expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Page 3' }));

    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));

    await waitFor(() => expect(shownTitles()).toEqual(['Page 1', 'Page 2', 'Page 3']));
    expect(status().textContent).toBe('Restored “Page 2”.');
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  describe('notes', () => {
    it('adds a note with Enter, shows it, and offers to edit it', async () => {
      await saveSome(1);
      show();

      fireEvent.click(await screen.findByRole('button', { name: 'Add note to Page 1' }));
      const input = screen.getByLabelText('Note') as HTMLInputElement;
      expect(document.activeElement).toBe(input);
      fireEvent.input(input, { target: { value: 'Read the appendix first' } });
      fireEvent.keyDown(input, { key: 'Enter' });

      expect(await screen.findByText('Read the appendix first')).toBeTruthy();
      const edit = screen.getByRole('button', { name: 'Edit note on Page 1' });
      expect(document.activeElement).toBe(edit);
      expect((await listReadingList(db))[0]?.note).toBe('Read the appendix first');
    });

    it('cancels an edit with Escape, keeping the note', async () => {
      await saveToReadingList(db, { ...page(1), note: 'Keep me' }, 1);
      show();

      fireEvent.click(await screen.findByRole('button', { name: 'Edit note on Page 1' }));
      const input = screen.getByLabelText('Note') as HTMLInputElement;
      expect(input.value).toBe('Keep me');
      fireEvent.input(input, { target: { value: 'Changed' } });
      fireEvent.keyDown(input, { key: 'Escape' });

      expect(screen.queryByLabelText('Note')).toBeNull();
      expect(screen.getByText('Keep me')).toBeTruthy();
      expect(document.activeElement).toBe(
        screen.getByRole('button', { name: 'Edit note on Page 1' }),
      );
      expect((await listReadingList(db))[0]?.note).toBe('Keep me');
    });

    it('caps the note’s length in the input, and stops the row from dragging meanwhile', async () => {
      await saveSome(1);
      show();

      fireEvent.click(await screen.findByRole('button', { name: 'Add note to Page 1' }));

      expect(screen.getByLabelText('Note').getAttribute('maxlength')).toBe('280');
      expect(rows()[0]!.hasAttribute('draggable')).toBe(false);
      fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
      expect(rows()[0]!.getAttribute('draggable')).toBe('true');
    });

    it('saves with the Save note button', async () => {
      await saveSome(1);
      show();

      fireEvent.click(await screen.findByRole('button', { name: 'Add note to Page 1' }));
      fireEvent.input(screen.getByLabelText('Note'), { target: { value: 'Later' } });
      fireEvent.click(screen.getByRole('button', { name: 'Save note' }));

      expect(await screen.findByText('Later')).toBeTruthy();
    });
  });

  describe('full page', () => {
    it('has a heading, no link to itself, and export and import controls', async () => {
      await saveSome(1);
      show(true);

      expect(await screen.findByRole('button', { name: 'Export JSON' })).toBeTruthy();
      expect(screen.getByRole('heading', { level: 1, name: 'Reading list' })).toBeTruthy();
      expect(screen.getByRole('main')).toBeTruthy();
      expect(screen.queryByRole('link', { name: 'Open full page' })).toBeNull();
      expect(screen.getByRole('button', { name: 'Export Markdown' })).toBeTruthy();
      expect(screen.getByRole('button', { name: 'Export bookmarks (HTML)' })).toBeTruthy();
      expect(screen.getByLabelText('Import…')).toBeTruthy();
    });

    it.each([
      ['Export JSON', 'dispatch-reading-list-2026-11-29.json'],
      ['Export Markdown', 'dispatch-reading-list-2026-11-29.md'],
      ['Export bookmarks (HTML)', 'dispatch-reading-list-2026-11-29.html'],
    ])('"%s" downloads %s and says so', async (button, name) => {
      await saveSome(2);
      show(true);

      fireEvent.click(await screen.findByRole('button', { name: button }));

      await waitFor(() => expect(status().textContent).toBe(`Exported 2 items to ${name}.`));
      expect(downloads.map((file) => file.name)).toEqual([name]);
    });

    it('imports a chosen JSON export', async () => {
      const source = freshDb();
      await saveToReadingList(source, page(7), 1);
      const { toJson } = await import('@/utils/export/reading-list');
      const text = toJson(await listReadingList(source), NOW);
      show(true);
      const input = (await screen.findByLabelText('Import…')) as HTMLInputElement;
      Object.defineProperty(input, 'files', {
        value: [new File([text], 'list.json', { type: 'application/json' })],
      });

      fireEvent.change(input);

      await waitFor(() => expect(status().textContent).toBe('Imported 1 item.'));
      await waitFor(() => expect(shownTitles()).toEqual(['Page 7']));
    });

    it('refuses a file that is not a reading list, in words', async () => {
      show(true);
      const input = (await screen.findByLabelText('Import…')) as HTMLInputElement;
      Object.defineProperty(input, 'files', { value: [new File(['<opml/>'], 'feeds.opml')] });

      fireEvent.change(input);

      await waitFor(() =>
        expect(status().textContent).toBe(
          'Could not import the file: This file is not a Dispatch reading list: it is not JSON.',
        ),
      );
    });
  });

  it('shows hostile titles and notes as text, each in its own direction', async () => {
    const markup = '<img src=x onerror=alert(1)>';
    await saveToReadingList(
      db,
      { url: 'https://evil.example/', title: markup, source: markup, note: markup },
      1,
    );
    const { container } = show();

    const link = await screen.findByRole('link', { name: markup });

    expect(link.textContent).toBe(markup);
    expect(container.querySelector('img, script')).toBeNull();
    for (const shown of screen.getAllByText(markup)) {
      expect(shown.closest('[dir]')?.getAttribute('dir')).toBe('auto');
    }
    expect(screen.getAllByText(markup)).toHaveLength(3);
  });

  it('says the list cannot be read instead of showing it empty', async () => {
    db = createDb(`no-idb-${crypto.randomUUID()}`, { indexedDB: undefined });
    show();

    await waitFor(() =>
      expect(status().textContent).toBe(
        `Could not read your reading list: ${STORAGE_UNAVAILABLE_MESSAGE}`,
      ),
    );
    expect(screen.queryByText('Nothing saved yet.')).toBeNull();
    expect(screen.queryByRole('list')).toBeNull();
  });
});
