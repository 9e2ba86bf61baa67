import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { PageTabsAdapter, TabPage } from '@/utils/browser/tabs';
import { createDb, type DispatchDb } from '@/utils/db/db';
import { STORAGE_UNAVAILABLE_MESSAGE } from '@/utils/db/errors';
import { getPost, savePollResult } from '@/utils/db/posts';
import {
  finishReadingItem,
  listReadingList,
  saveToReadingList,
  setReadingNote,
} from '@/utils/db/reading-list';
import type { ReadingListItem } from '@/utils/db/types';
import type { ExportFile } from '@/utils/export/reading-list';
import { createReadingState, type ReadingState } from '@/utils/state/reading-state';
import { aFeed, aPost, freshDb } from '../../helpers/db';
import { fakeTabs } from '../../helpers/fakes';

const NOW = new Date(2026, 10, 29, 12).getTime();
const page = (n: number) => ({ url: `https://blog.example/${n}`, title: `Page ${n}` });

/** The current tab as the popup would see it, and what opened. */
function fakePageTabs(tab?: TabPage) {
  const opened: string[] = [];
  const pageTabs: PageTabsAdapter = {
    currentTab: async () => tab,
    openReadingPage: async () => void opened.push('reading.html'),
  };
  return { pageTabs, opened };
}

describe('createReadingState', () => {
  let db: DispatchDb;
  let state: ReadingState | undefined;
  let errors: unknown[];
  let downloads: ExportFile[];
  let opened: string[];

  function create(tab?: TabPage): ReadingState {
    const tabs = fakeTabs();
    opened = tabs.opened;
    state = createReadingState({
      db,
      now: () => NOW,
      tabs: tabs.tabs,
      pageTabs: fakePageTabs(tab).pageTabs,
      badge: async () => undefined,
      onError: (error) => errors.push(error),
      download: (file) => void downloads.push(file),
    });
    return state;
  }

  async function loaded(count: number, reading = create()): Promise<ReadingState> {
    await vi.waitFor(() =>
      expect(reading.items.value.length + reading.finished.value.length).toBe(count),
    );
    return reading;
  }

  const titles = (items: ReadingListItem[]) => items.map((item) => item.title);

  beforeEach(() => {
    fakeBrowser.reset();
    db = freshDb();
    errors = [];
    downloads = [];
  });

  afterEach(() => {
    state?.dispose();
    state = undefined;
    expect(errors).toEqual([]);
  });

  it('splits items to read (in order) from finished ones, and adds up the minutes', async () => {
    await saveToReadingList(db, { ...page(1), minutes: 4 }, 1);
    const second = await saveToReadingList(db, { ...page(2), minutes: 9 }, 2);
    await saveToReadingList(db, page(3), 3);
    await finishReadingItem(db, second.id, NOW);

    const reading = await loaded(3);

    expect(titles(reading.items.value)).toEqual(['Page 1', 'Page 3']);
    expect(titles(reading.finished.value)).toEqual(['Page 2']);
    expect(reading.totalMinutes.value).toBe(4);
    expect([...reading.savedUrls.value].sort()).toEqual([1, 2, 3].map((n) => page(n).url));
  });

  describe('saving', () => {
    it('saves a post with its blog and reading time, and a second time says it is there', async () => {
      const feed = await aFeed(db, { title: 'Edge Notes' });
      const {
        added: [post],
      } = await savePollResult(db, feed.id, {
        posts: [aPost({ title: 'Long read', minutes: 6 })],
        feed: {},
        now: NOW,
      });
      const reading = create();

      await reading.savePost(post!);
      expect(reading.message.value).toBe('Saved “Long read” to your reading list.');
      await reading.savePost(post!);

      expect(reading.message.value).toBe('Already in your reading list: “Long read”.');
      expect(await listReadingList(db)).toEqual([
        expect.objectContaining({ postId: post!.id, source: 'Edge Notes', minutes: 6 }),
      ]);
    });

    it('saves the current tab with its title', async () => {
      const reading = create({ url: 'https://news.example/story', title: 'A story' });

      await reading.saveCurrentTab();

      expect(reading.message.value).toBe('Saved “A story” to your reading list.');
      expect(await listReadingList(db)).toEqual([
        expect.objectContaining({ url: 'https://news.example/story', title: 'A story' }),
      ]);
    });

    it('saves the current tab once', async () => {
      await saveToReadingList(db, { url: 'https://news.example/story', title: 'Mine' }, 1);
      const reading = create({ url: 'https://news.example/story', title: 'A story' });

      await reading.saveCurrentTab();

      expect(reading.message.value).toBe('Already in your reading list: “Mine”.');
      expect(await listReadingList(db)).toHaveLength(1);
    });

    it.each([
      ['a browser page', { url: 'chrome://extensions/', title: 'Extensions' }, /only web pages/i],
      ['a local file', { url: 'file:///home/me/notes.html', title: 'Notes' }, /only web pages/i],
      ['a tab it cannot see', { title: 'Hidden' }, /cannot see the address/],
      ['no tab at all', undefined, /cannot see the address/],
    ])('refuses %s in words and saves nothing', async (_what, tab, words) => {
      const reading = create(tab);

      await reading.saveCurrentTab();

      expect(reading.message.value).toMatch(words);
      expect(await listReadingList(db)).toEqual([]);
    });
  });

  it('opens an item and counts its post as read', async () => {
    const feed = await aFeed(db);
    const {
      added: [post],
    } = await savePollResult(db, feed.id, { posts: [aPost()], feed: {}, now: NOW });
    await saveToReadingList(db, { url: post!.url!, title: post!.title, postId: post!.id }, 1);
    const reading = await loaded(1);

    await reading.openItem(reading.items.value[0]!);

    expect(opened).toEqual([post!.url]);
    expect((await getPost(db, post!.id))?.readAt).toBe(NOW);
  });

  it('moves an item and says where it went', async () => {
    for (const n of [1, 2, 3, 4]) await saveToReadingList(db, page(n), n);
    const reading = await loaded(4);

    await reading.moveItem(reading.items.value[3]!, 1);

    await vi.waitFor(() =>
      expect(titles(reading.items.value)).toEqual(['Page 1', 'Page 4', 'Page 2', 'Page 3']),
    );
    expect(reading.message.value).toBe('Moved “Page 4” to position 2 of 4.');
  });

  it('says an item is already first or last instead of moving it', async () => {
    for (const n of [1, 2]) await saveToReadingList(db, page(n), n);
    const reading = await loaded(2);

    await reading.moveItem(reading.items.value[0]!, -1);
    expect(reading.message.value).toBe('“Page 1” is already first.');
    await reading.moveItem(reading.items.value[1]!, 2);
    expect(reading.message.value).toBe('“Page 2” is already last.');
    expect(titles(await listReadingList(db))).toEqual(['Page 1', 'Page 2']);
  });

  it('finishes an item and puts it back where it was', async () => {
    for (const n of [1, 2, 3]) await saveToReadingList(db, page(n), n);
    const reading = await loaded(3);

    await reading.finishItem(reading.items.value[1]!);
    await vi.waitFor(() => expect(titles(reading.finished.value)).toEqual(['Page 2']));
    expect(reading.finished.value[0]?.doneAt).toBe(NOW);
    expect(reading.message.value).toMatch(/^Finished “Page 2”/);

    await reading.unfinishItem(reading.finished.value[0]!);

    await vi.waitFor(() =>
      expect(titles(reading.items.value)).toEqual(['Page 1', 'Page 2', 'Page 3']),
    );
    expect(reading.finished.value).toEqual([]);
  });

  it('removes an item with an undo that restores the very record', async () => {
    for (const n of [1, 2, 3]) await saveToReadingList(db, page(n), n);
    await setReadingNote(db, 2, 'Keep this');
    const reading = await loaded(3);
    const before = await listReadingList(db);

    await reading.removeItem(reading.items.value[1]!);
    await vi.waitFor(() => expect(titles(reading.items.value)).toEqual(['Page 1', 'Page 3']));
    expect(reading.undo.current.value?.message).toBe('Removed “Page 2”.');

    await reading.runUndo();

    expect(await listReadingList(db)).toEqual(before);
    expect(reading.message.value).toBe('Restored “Page 2”.');
    expect(reading.undo.current.value).toBeUndefined();
  });

  it('says so when the undo cannot run', async () => {
    await saveToReadingList(db, page(1), 1);
    const reading = await loaded(1);
    await reading.removeItem(reading.items.value[0]!);
    await db.close();

    await reading.runUndo();

    expect(reading.message.value).toMatch(/^Could not undo: /);
    errors.splice(0);
  });

  it('saves, edits and removes a note', async () => {
    await saveToReadingList(db, page(1), 1);
    const reading = await loaded(1);

    await reading.saveNote(reading.items.value[0]!, 'Skim the intro');
    await vi.waitFor(() => expect(reading.items.value[0]?.note).toBe('Skim the intro'));
    expect(reading.message.value).toBe('Saved the note on “Page 1”.');

    await reading.saveNote(reading.items.value[0]!, '');

    await vi.waitFor(() => expect(reading.items.value[0]?.note).toBeUndefined());
    expect(reading.message.value).toBe('Removed the note on “Page 1”.');
  });

  it('opens the full page', async () => {
    const pages = fakePageTabs();
    state = createReadingState({ db, pageTabs: pages.pageTabs, onError: (e) => errors.push(e) });

    await state.openFullPage();

    expect(pages.opened).toEqual(['reading.html']);
  });

  describe('export and import', () => {
    it('downloads the whole list as JSON, Markdown and bookmarks, named for the day', async () => {
      await saveToReadingList(db, page(1), 1);
      const second = await saveToReadingList(db, page(2), 2);
      await finishReadingItem(db, second.id, NOW);
      const reading = await loaded(2);

      await reading.exportList('json');
      await reading.exportList('markdown');
      await reading.exportList('bookmarks');

      expect(downloads.map((file) => [file.name, file.type])).toEqual([
        ['dispatch-reading-list-2026-11-29.json', 'application/json'],
        ['dispatch-reading-list-2026-11-29.md', 'text/markdown'],
        ['dispatch-reading-list-2026-11-29.html', 'text/html'],
      ]);
      expect(JSON.parse(downloads[0]!.text).items).toHaveLength(2);
      expect(reading.message.value).toBe(
        'Exported 2 items to dispatch-reading-list-2026-11-29.html.',
      );
    });

    it('imports an export once: a second import adds nothing', async () => {
      await saveToReadingList(db, page(1), 1);
      const reading = await loaded(1);
      await reading.exportList('json');
      const file = new Blob([downloads[0]!.text.replace(page(1).url, page(9).url)]);

      await reading.importFile(file);
      expect(reading.message.value).toBe('Imported 1 item.');
      await reading.importFile(file);

      expect(reading.message.value).toBe('Imported 0 items. 1 item already in your list.');
      expect(titles(await listReadingList(db))).toEqual(['Page 1', 'Page 1']);
    });

    it('refuses a file that is not a reading list, in words', async () => {
      const reading = create();

      await reading.importFile(new Blob(['{"opml": true}']));

      expect(reading.message.value).toMatch(
        /^Could not import the file: This file is not a Dispatch reading list/,
      );
      expect(await listReadingList(db)).toEqual([]);
      errors.splice(0);
    });
  });

  it('says when the list cannot be read, never that it is empty', async () => {
    db = createDb(`no-idb-${crypto.randomUUID()}`, { indexedDB: undefined });
    const reading = create();

    await vi.waitFor(() => expect(reading.loaded.value).toBe(true));

    expect(reading.readFailed.value).toBe(true);
    expect(reading.message.value).toBe(
      `Could not read your reading list: ${STORAGE_UNAVAILABLE_MESSAGE}`,
    );
    expect(reading.items.value).toEqual([]);
    errors.splice(0);
  });
});
