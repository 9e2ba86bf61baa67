/**
 * The reading list's state, shared by the popup's Reading list tab and the full-page view:
 * read-only signals over the `readingList` table and the named actions their buttons call.
 * Actions never reject: a failure is reported and said in words in `message`, and so is every
 * outcome a person should hear (saved, moved to position 3 of 7, finished, exported…): the
 * views show `message` in a live region. Removing offers an undo through the shared `undo`
 * (one offer at a time on a page). Export and import code is loaded only when asked for.
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { refreshBadge } from '@/utils/badge';
import {
  pageTabs as browserPageTabs,
  tabs as browserTabs,
  type PageTabsAdapter,
  type TabsAdapter,
} from '@/utils/browser/tabs';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { getFeed } from '@/utils/db/feeds';
import { markRead as markPostsRead } from '@/utils/db/posts';
import {
  addToReadingList,
  describeSave,
  finishReadingItem,
  listReadingList,
  moveReadingItemTo,
  NOT_A_WEB_PAGE,
  quoteTitle,
  removeReadingItem,
  restoreReadingItem,
  savePageToReadingList,
  setReadingNote,
  unfinishReadingItem,
} from '@/utils/db/reading-list';
import type { Post, ReadingListItem } from '@/utils/db/types';
import { downloadFile, type DownloadFile } from '@/utils/export/download';
import type { ExportKind } from '@/utils/export/reading-list';
import { errorMessage, plural } from '@/utils/format';
import { liveSignal, logError, type ErrorReporter } from '@/utils/state/live';
import { createUndo, type UndoState } from '@/utils/state/undo';
import { safeHttpUrl } from '@/utils/url';

export interface ReadingStateOptions {
  db?: DispatchDb;
  now?: () => number;
  tabs?: TabsAdapter;
  /** The current tab ("Save this page") and the full-page view. */
  pageTabs?: PageTabsAdapter;
  /** Called after every write that can change unread posts (opening a saved post reads it). */
  badge?: (db: DispatchDb) => Promise<unknown>;
  onError?: ErrorReporter;
  /** The page's one undo offer; created here when the page has no other. */
  undo?: UndoState;
  /** Hands an exported file to the browser (tests keep it). */
  download?: DownloadFile;
}

export interface ReadingState {
  /** Saved items not finished yet, in the user's order. */
  items: ReadonlySignal<ReadingListItem[]>;
  /** Finished items, most recently finished first. */
  finished: ReadonlySignal<ReadingListItem[]>;
  /** URLs already in the reading list (finished or not): their Save button reads "Saved". */
  savedUrls: ReadonlySignal<ReadonlySet<string>>;
  /** Reading time of the items not finished, added up (items without an estimate count 0). */
  totalMinutes: ReadonlySignal<number>;
  /** True once the list has answered or failed. */
  loaded: ReadonlySignal<boolean>;
  /** The list could not be read: the view shows `message`, never "Nothing saved yet". */
  readFailed: ReadonlySignal<boolean>;
  /** The outcome of the last action, or a failing read, in words; '' when all is well. */
  message: ReadonlySignal<string>;
  undo: UndoState;
  /** Saves an unread post (its blog's title kept as the source). */
  savePost(post: Post): Promise<void>;
  /**
   * Saves the page of the current tab (its title, and the post, blog and reading time when it
   * is a stored post). Call it from the click itself: the popup sees the tab through the
   * `activeTab` grant of the toolbar click.
   */
  saveCurrentTab(): Promise<void>;
  /** Opens a saved page; the post it came from counts as read. */
  openItem(item: ReadingListItem): Promise<void>;
  finishItem(item: ReadingListItem): Promise<void>;
  /** Puts a finished item back among the items to read, where it was. */
  unfinishItem(item: ReadingListItem): Promise<void>;
  /** Removes an item, with an undo on offer that restores the very record. */
  removeItem(item: ReadingListItem): Promise<void>;
  /**
   * Moves an item to `toIndex` (0-based) in its list and says where it went ("Moved “…” to
   * position 3 of 7."); an index past either end says it is already first or last.
   */
  moveItem(item: ReadingListItem, toIndex: number): Promise<void>;
  /** Sets the item's one-line note; an empty one removes it. */
  saveNote(item: ReadingListItem, note: string): Promise<void>;
  /** Runs the undo on offer; a failing undo is said in words. */
  runUndo(): Promise<void>;
  /** Opens the full-page view in a tab. */
  openFullPage(): Promise<void>;
  /** Downloads the whole list (finished items included) as JSON, Markdown or bookmarks HTML. */
  exportList(kind: ExportKind): Promise<void>;
  /** Adds the items of a JSON export that are not in the list yet. */
  importFile(file: Blob): Promise<void>;
  dispose(): void;
}

export function createReadingState({
  db = getDb(),
  now = Date.now,
  tabs = browserTabs,
  pageTabs = browserPageTabs,
  badge = refreshBadge,
  onError = logError,
  undo = createUndo(),
  download = downloadFile,
}: ReadingStateOptions = {}): ReadingState {
  const live = liveSignal(() => listReadingList(db), [] as ReadingListItem[], onError);
  const actionMessage = signal('');

  const all = live.value;
  const items = computed(() => all.value.filter((item) => item.doneAt === 0));
  const finished = computed(() =>
    all.value.filter((item) => item.doneAt !== 0).sort((a, b) => b.doneAt - a.doneAt),
  );
  const savedUrls = computed(() => new Set(all.value.map((item) => item.url)));
  const totalMinutes = computed(() =>
    items.value.reduce((sum, item) => sum + (item.minutes ?? 0), 0),
  );
  const loaded = computed(() => live.loaded.value || live.error.value !== undefined);
  const readFailed = computed(() => live.error.value !== undefined);
  const message = computed(() => {
    if (actionMessage.value || live.error.value === undefined) return actionMessage.value;
    return `Could not read your reading list: ${errorMessage(live.error.value)}`;
  });

  /** The edge where action failures are caught: reported, and said in words. */
  async function attempt(what: string, work: () => Promise<void>): Promise<void> {
    try {
      actionMessage.value = '';
      await work();
    } catch (error) {
      actionMessage.value = `Could not ${what}: ${errorMessage(error)}`;
      onError(error);
    }
  }

  const say = (text: string) => {
    actionMessage.value = text;
  };

  function savePost(post: Post): Promise<void> {
    const url = safeHttpUrl(post.url);
    if (!url) {
      say('This post has no web address to save.');
      return Promise.resolve();
    }
    return attempt('save it', async () => {
      const source = (await getFeed(db, post.feedId))?.title;
      const item = { url, title: post.title, postId: post.id, minutes: post.minutes };
      say(describeSave(await addToReadingList(db, { ...item, ...(source && { source }) }, now())));
    });
  }

  const saveCurrentTab = () =>
    attempt('save this page', async () => {
      const tab = await pageTabs.currentTab();
      if (!tab?.url) {
        say('Dispatch cannot see the address of this tab, so it cannot save it.');
        return;
      }
      const url = safeHttpUrl(tab.url);
      if (!url) {
        say(NOT_A_WEB_PAGE);
        return;
      }
      say(describeSave(await savePageToReadingList(db, { url, title: tab.title ?? '' }, now())));
    });

  function openItem(item: ReadingListItem): Promise<void> {
    const url = safeHttpUrl(item.url);
    if (!url) {
      say('This item has no web address to open.');
      return Promise.resolve();
    }
    return attempt('open the page', async () => {
      if (item.postId !== undefined) {
        await markPostsRead(db, [item.postId], now());
        await badge(db);
      }
      await tabs.openUrl(url);
    });
  }

  const finishItem = (item: ReadingListItem) =>
    attempt('mark it finished', async () => {
      await finishReadingItem(db, item.id, now());
      say(`Finished ${quoteTitle(item)}: it is under “Finished”.`);
    });

  const unfinishItem = (item: ReadingListItem) =>
    attempt('put it back', async () => {
      await unfinishReadingItem(db, item.id);
      say(`${quoteTitle(item)} is back on your reading list.`);
    });

  const removeItem = (item: ReadingListItem) =>
    attempt('remove it', async () => {
      await removeReadingItem(db, item.id);
      undo.offer(`Removed ${quoteTitle(item)}.`, async () => {
        const restored = await restoreReadingItem(db, item);
        say(
          restored
            ? `Restored ${quoteTitle(item)}.`
            : `${quoteTitle(item)} was saved again meanwhile; it stays as it is.`,
        );
      });
    });

  const moveItem = (item: ReadingListItem, toIndex: number) =>
    attempt('move it', async () => {
      const group = item.doneAt === 0 ? items.peek() : finished.peek();
      if (toIndex < 0 || toIndex >= group.length) {
        say(`${quoteTitle(item)} is already ${toIndex < 0 ? 'first' : 'last'}.`);
        return;
      }
      const moved = await moveReadingItemTo(db, item.id, toIndex);
      if (moved) say(`Moved ${quoteTitle(item)} to position ${moved.index + 1} of ${moved.count}.`);
    });

  const saveNote = (item: ReadingListItem, note: string) =>
    attempt('save the note', async () => {
      const saved = await setReadingNote(db, item.id, note);
      if (saved) say(`Saved the note on ${quoteTitle(item)}.`);
      else if (item.note) say(`Removed the note on ${quoteTitle(item)}.`);
    });

  const runUndo = () => attempt('undo', () => undo.run());

  const openFullPage = () =>
    attempt('open the reading list page', () => pageTabs.openReadingPage());

  const exportList = (kind: ExportKind) =>
    attempt('export the reading list', async () => {
      const { exportReadingList } = await import('@/utils/export/reading-list');
      const list = await listReadingList(db);
      const file = exportReadingList(kind, list, now());
      download(file);
      say(`Exported ${plural(list.length, 'item')} to ${file.name}.`);
    });

  const importFile = (file: Blob) =>
    attempt('import the file', async () => {
      const [{ IMPORT_MAX_BYTES, parseReadingListExport }, { importReadingList }] =
        await Promise.all([
          import('@/utils/export/reading-list'),
          import('@/utils/export/restore'),
        ]);
      if (file.size > IMPORT_MAX_BYTES) {
        say('This file is too large to be a Dispatch reading list.');
        return;
      }
      const parsed = parseReadingListExport(await file.text());
      const { added, skipped } = await importReadingList(db, parsed, now());
      const already = skipped > 0 ? ` ${plural(skipped, 'item')} already in your list.` : '';
      say(`Imported ${plural(added, 'item')}.${already}`);
    });

  return {
    items,
    finished,
    savedUrls,
    totalMinutes,
    loaded,
    readFailed,
    message,
    undo,
    savePost,
    saveCurrentTab,
    openItem,
    finishItem,
    unfinishItem,
    removeItem,
    moveItem,
    saveNote,
    runUndo,
    openFullPage,
    exportList,
    importFile,
    dispose() {
      live.dispose();
      undo.dispose();
    },
  };
}
