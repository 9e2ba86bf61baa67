/**
 * The reading list's state, shared by the popup's Reading list tab and the full-page view:
 * read-only signals over the `readingList` table and the named actions their buttons call.
 * Actions never reject: a failure is reported and said in words in `message`. Removing offers
 * an undo through the shared `undo` (one offer at a time on a page).
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { refreshBadge } from '@/utils/badge';
import { tabs as browserTabs, type TabsAdapter } from '@/utils/browser/tabs';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { getFeed } from '@/utils/db/feeds';
import { markRead as markPostsRead } from '@/utils/db/posts';
import {
  finishReadingItem,
  listReadingList,
  removeReadingItem,
  saveToReadingList,
} from '@/utils/db/reading-list';
import type { Post, ReadingListItem } from '@/utils/db/types';
import { errorMessage } from '@/utils/format';
import { liveSignal, logError, type ErrorReporter } from '@/utils/state/live';
import { createUndo, type UndoState } from '@/utils/state/undo';
import { safeHttpUrl } from '@/utils/url';

export interface ReadingStateOptions {
  db?: DispatchDb;
  now?: () => number;
  tabs?: TabsAdapter;
  /** Called after every write that can change unread posts (opening a saved post reads it). */
  badge?: (db: DispatchDb) => Promise<unknown>;
  onError?: ErrorReporter;
  /** The page's one undo offer; created here when the page has no other. */
  undo?: UndoState;
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
  /** Opens a saved page; the post it came from counts as read. */
  openItem(item: ReadingListItem): Promise<void>;
  finishItem(item: ReadingListItem): Promise<void>;
  /** Removes an item, with an undo on offer. */
  removeItem(item: ReadingListItem): Promise<void>;
  dispose(): void;
}

export function createReadingState({
  db = getDb(),
  now = Date.now,
  tabs = browserTabs,
  badge = refreshBadge,
  onError = logError,
  undo = createUndo(),
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

  function savePost(post: Post): Promise<void> {
    const url = safeHttpUrl(post.url);
    if (!url) {
      actionMessage.value = 'This post has no web address to save.';
      return Promise.resolve();
    }
    return attempt('save it', async () => {
      const source = (await getFeed(db, post.feedId))?.title;
      const item = { url, title: post.title, postId: post.id, minutes: post.minutes };
      await saveToReadingList(db, { ...item, ...(source && { source }) }, now());
    });
  }

  function openItem(item: ReadingListItem): Promise<void> {
    const url = safeHttpUrl(item.url);
    if (!url) {
      actionMessage.value = 'This item has no web address to open.';
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
    attempt('mark it finished', () => finishReadingItem(db, item.id, now()));

  const removeItem = (item: ReadingListItem) =>
    attempt('remove it', async () => {
      await removeReadingItem(db, item.id);
      undo.offer('Removed from the reading list.', async () => {
        await db.readingList.put(item);
      });
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
    openItem,
    finishItem,
    removeItem,
    dispose() {
      live.dispose();
      undo.dispose();
    },
  };
}
