/**
 * The popup's state: read-only signals over the database and the named actions its controls
 * call. At open it reads only the feeds and the unread counters (sections, totals); a section's
 * rows are read a page at a time when they come into view (`sectionRows`), each page a live
 * query that follows the worker's writes. The popup loads it (Dexie with it) right after its
 * first paint, seeded with what that paint showed (`initial`, read without Dexie:
 * `utils/db/first-paint.ts`, `utils/state/first-paint-state.ts`). Search, the reading
 * list, the tabs adapter, the badge and the message channel are loaded with `import()` on first
 * use, so the popup's first paint carries none of their code. Every action that changes read
 * state refreshes the badge. Actions never reject: a failure is reported and said in words in
 * `message`.
 */
import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import { liveQuery } from 'dexie';
import type { DispatchDb } from '@/utils/db/db';
import { getDb } from '@/utils/db/db';
import type { FirstPaint } from '@/utils/db/first-paint';
import { listFeeds } from '@/utils/db/feeds';
import { COLLAPSED_KEY, readCollapsedSections, toggleCollapsed } from '@/utils/db/section-summary';
import { markRead as markPostsRead, markUnread as markPostsUnread } from '@/utils/db/posts';
import type { SearchResult } from '@/utils/db/search';
import {
  countFitting,
  listFitting,
  listRecentlyRead,
  listSectionPosts,
  readUnreadView,
  sectionPostIds,
  unreadPostIds,
  type SectionSummary,
  type UnreadView,
} from '@/utils/db/sections';
import type { Feed, Post, ReadingListItem } from '@/utils/db/types';
import { listUnreadCounts } from '@/utils/db/unread-counts';
import type { TabsAdapter } from '@/utils/browser/tabs';
import { blogTitle, errorMessage, plural } from '@/utils/format';
import {
  overview,
  readMutedSections,
  sameKeys,
  watchMutedSections,
  type Overview,
} from '@/utils/state/overview';
import type { PollSummary, sendMessage } from '@/utils/messaging';
import {
  clockSignal,
  keyedLiveSignal,
  liveSignal,
  logError,
  type ErrorReporter,
  type LiveSignal,
} from '@/utils/state/live';
import type { ReadingState } from '@/utils/state/reading-state';
import { createUndo, type UndoState } from '@/utils/state/undo';
import { safeHttpUrl } from '@/utils/url';

/** Rows read per query: a page of a section, of the budget list or of "Show read". */
export const PAGE_SIZE = 50;

/** Pages kept live (re-read on every change) across all lists; farther ones are let go. */
const LIVE_PAGES = 16;

export { COLLAPSED_KEY };

export type SearchFn = (db: DispatchDb, query: string) => Promise<SearchResult>;

export interface PopupStateOptions {
  db?: DispatchDb;
  now?: () => number;
  tabs?: TabsAdapter;
  /** The message channel to the service worker (tests answer through `fakeBrowser`). */
  send?: typeof sendMessage;
  /** Called after every read-state change with the database written to. */
  badge?: (db: DispatchDb) => Promise<unknown>;
  /** The search over all posts (`searchPosts`, loaded on first use). */
  search?: SearchFn;
  /** Where collapsed sections are remembered; `localStorage` when there is one. */
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  /**
   * The muted sections (the `categoryModes` setting): `read` once at start, `watch` for changes
   * while the popup is open (it returns the function that stops watching).
   */
  mutes?: {
    read(): Promise<ReadonlySet<string>>;
    watch(onChange: (muted: ReadonlySet<string>) => void): () => void;
  };
  onError?: ErrorReporter;
  /**
   * What the popup painted first, read without Dexie (`readFirstPaint`): the feeds, counters
   * and sections' first rows start from it, and each live query replaces its part when it
   * answers (the same rows, so nothing moves). Without it they start empty, not loaded.
   */
  initial?: FirstPaint;
}

/**
 * Rows of a list read a page at a time. `at` is reactive: it reads a page's signal, so a view
 * that calls it re-renders when the page arrives or changes.
 */
export interface PagedRows {
  /** The row at `index`, or undefined while its page loads. */
  at(index: number): Post | undefined;
  /** Loads (and keeps live) the pages holding rows `start` to `end - 1`. */
  show(start: number, end: number): void;
  /**
   * For lists without a counter: the rows known so far, plus a page more while the last page
   * read was full; undefined until the first page answers.
   */
  readonly length: ReadonlySignal<number | undefined>;
  dispose(): void;
}

/** The reading-time budget: the unread posts that fit in `maxMinutes`, shortest first. */
export interface Budget {
  maxMinutes: number;
  /** How many fit and their minutes added up; undefined until counted. */
  fits: ReadonlySignal<{ count: number; minutes: number } | undefined>;
  rows: PagedRows;
  dispose(): void;
}

/** A search's answer, with the query it answers (an older query's answer is never shown). */
export interface SearchAnswer extends SearchResult {
  query: string;
}

/**
 * The popup's state. Blog titles, sections (muted categories have none: their posts are found
 * in All), the unread totals the badge counts, the last check and the health alert come from
 * `overview` (utils/state/overview.ts), shared with the first paint.
 */
export interface PopupState extends Overview {
  feeds: ReadonlySignal<Feed[]>;
  /** URLs in the reading list (known once the reading list is loaded, after the first rows). */
  savedUrls: ReadonlySignal<ReadonlySet<string>>;
  /** Keys of the sections the user collapsed (remembered between openings). */
  collapsed: ReadonlySignal<ReadonlySet<string>>;
  /** The reading list's state, once loaded (`loadReading`). */
  reading: ReadonlySignal<ReadingState | undefined>;
  /** The current search and its latest answer (undefined while there is none). */
  query: ReadonlySignal<string>;
  searchAnswer: ReadonlySignal<SearchAnswer | undefined>;
  /** True once the feeds and counters have answered or failed (no empty state flashes). */
  loaded: ReadonlySignal<boolean>;
  /** A read failed: the page shows `message` alone, never an empty list. */
  readFailed: ReadonlySignal<boolean>;
  refreshing: ReadonlySignal<boolean>;
  /**
   * The outcome of the last action, or a read that fails, in words; '' when all is well. The
   * reading list says its own (`reading.message`).
   */
  message: ReadonlySignal<string>;
  /** The current time, for "3 h ago". */
  clock: ReadonlySignal<number>;
  /** The page's one undo offer ("Marked 12 posts read. Undo"). */
  undo: UndoState;
  /** A section's unread posts, newest first (one instance per section, kept). */
  sectionRows(key: string): PagedRows;
  /** The budget list for `maxMinutes`; the caller disposes it. */
  budget(maxMinutes: number): Budget;
  /** Read posts, most recently read first; the caller disposes it. */
  readRows(): PagedRows;
  toggleSection(key: string): void;
  /** Searches titles, summaries and categories of every post; '' clears. */
  search(query: string): void;
  markRead(post: Post): Promise<void>;
  markUnread(post: Post): Promise<void>;
  /** Marks every unread post of a section read, with an undo on offer. */
  markSectionRead(section: SectionSummary): Promise<void>;
  /** Marks every unread post read (not those muted categories hide), with an undo on offer. */
  markAllRead(): Promise<void>;
  /** Undoes the offer on screen. */
  runUndo(): Promise<void>;
  /** Marks the post read, then opens it in a new tab (writes first: opening closes the popup). */
  openPost(post: Post): Promise<void>;
  savePost(post: Post): Promise<void>;
  openItem(item: ReadingListItem): Promise<void>;
  finishItem(item: ReadingListItem): Promise<void>;
  removeItem(item: ReadingListItem): Promise<void>;
  /**
   * Loads the reading list's state (its code and its one query), once; undefined when its code
   * cannot be loaded (said in `message`). Never rejects.
   */
  loadReading(): Promise<ReadingState | undefined>;
  /** Asks the service worker to poll every blog now. */
  refresh(): Promise<void>;
  openOptions(): Promise<void>;
  dispose(): void;
}

/** Opens pages through the tabs adapter, loaded on first use (it brings the browser polyfill). */
const lazyTabs: TabsAdapter = {
  openUrl: async (url) => (await import('@/utils/browser/tabs')).tabs.openUrl(url),
  openOptionsPage: async () => (await import('@/utils/browser/tabs')).tabs.openOptionsPage(),
  openPostList: async () => (await import('@/utils/browser/tabs')).tabs.openPostList(),
};

const lazyBadge = async (db: DispatchDb) => (await import('@/utils/badge')).refreshBadge(db);

const lazySend = (async (type, data) =>
  (await import('@/utils/messaging')).sendMessage(type, data)) as typeof sendMessage;

let searchLoad: Promise<SearchFn> | undefined;

/**
 * The search code (`searchPosts`), loaded once. The All tab's code asks for it as it loads
 * (fetched once the first rows are on screen), so the first search does not wait for it.
 */
export function loadSearch(): Promise<SearchFn> {
  searchLoad ??= import('@/utils/db/search').then(
    (module) => module.searchPosts,
    (error: unknown) => {
      searchLoad = undefined;
      throw error;
    },
  );
  return searchLoad;
}

const EMPTY = new Set<string>();

const browserMutes = { read: readMutedSections, watch: watchMutedSections };

function defaultStorage(): Pick<Storage, 'getItem' | 'setItem'> | undefined {
  return typeof localStorage === 'undefined' ? undefined : localStorage;
}

/** From this many posts, "Mark all read" says it is working while it writes. */
export const MANY_POSTS = 200;

/** A page kept live in the shared pool: `used` orders them for letting go. */
interface LivePage {
  used: number;
  release(): void;
}

export function createPopupState({
  db = getDb(),
  now = Date.now,
  tabs = lazyTabs,
  send = lazySend,
  badge = lazyBadge,
  search: searchWith,
  storage = defaultStorage(),
  mutes = browserMutes,
  onError = logError,
  initial,
}: PopupStateOptions = {}): PopupState {
  // The muted sections: the first paint's (or unknown until read), then every change to the
  // setting. A write that leaves the same sections muted (another category's mode) changes
  // nothing, so no query runs again for it.
  const muted = signal<ReadonlySet<string> | undefined>(initial?.muted);
  let mutesKnown: (keys: ReadonlySet<string>) => void = () => undefined;
  /** The mutes, once known. */
  const firstMutes = initial
    ? Promise.resolve(initial.muted)
    : new Promise<ReadonlySet<string>>((resolve) => (mutesKnown = resolve));
  let mutesChanged = false;
  const setMuted = (keys: ReadonlySet<string>) => {
    const before = muted.peek();
    if (!before || !sameKeys(before, keys)) muted.value = keys;
    mutesKnown(keys);
  };
  const stopWatching = mutes.watch((keys) => {
    mutesChanged = true;
    setMuted(keys);
  });
  mutes.read().then(
    // A change seen meanwhile is newer than what was read.
    (keys) => void (mutesChanged || setMuted(keys)),
    (error: unknown) => {
      onError(error);
      if (!mutesChanged) setMuted(muted.peek() ?? EMPTY);
    },
  );
  const feedsLive = liveSignal(() => listFeeds(db), initial?.feeds ?? [], onError);
  /** The counters, the mutes and the posts they hide, read together: one moment, never two. */
  const viewLive = keyedLiveSignal<ReadonlySet<string>, UnreadView>(
    muted,
    (keys) => readUnreadView(db, keys),
    initial ?? { counts: [], muted: EMPTY, hidden: [] },
    onError,
  );
  const lives = [feedsLive, viewLive];
  const clock = clockSignal(now);
  const undo = createUndo();
  const refreshing = signal(false);
  /** What the last action has to say; a failing read speaks when it is empty. */
  const actionMessage = signal('');
  /** A page of rows or a search that could not be read. */
  const readError = signal<unknown>(undefined);
  const reading = signal<ReadingState | undefined>(undefined);
  const collapsed = signal<ReadonlySet<string>>(readCollapsed());
  let disposed = false;

  const feeds = feedsLive.value;
  const shown = overview(feeds, viewLive.value, clock.value);
  const loaded = computed(
    () =>
      initial !== undefined ||
      lives.every((live) => live.loaded.value || live.error.value !== undefined),
  );
  const readFailed = computed(() => lives.some((live) => live.error.value !== undefined));
  const message = computed(() => {
    if (actionMessage.value) return actionMessage.value;
    const failed =
      lives.find((live) => live.error.value !== undefined)?.error.value ?? readError.value;
    return failed === undefined ? '' : `Could not read your posts: ${errorMessage(failed)}`;
  });

  function readFailure(error: unknown) {
    readError.value = error;
    onError(error);
  }

  // Pages of every list share one pool of live queries. Beyond LIVE_PAGES, the least recently
  // shown are let go, never one shown since the last trim (the views show theirs on every render).
  const pool = new Set<LivePage>();
  let tick = 0;
  let trimmedAt = 0;
  let trimming = false;

  function trimSoon() {
    if (trimming) return;
    trimming = true;
    setTimeout(() => {
      trimming = false;
      const idle = [...pool].filter((page) => page.used <= trimmedAt);
      trimmedAt = tick;
      idle.sort((a, b) => a.used - b.used);
      for (const page of idle.slice(0, Math.max(0, pool.size - LIVE_PAGES))) page.release();
    }, 0);
  }

  /** `first`: the list's first rows from the first paint, shown until its first page answers. */
  function pagedRows(
    fetch: (offset: number, limit: number) => Promise<Post[]>,
    first?: Post[],
  ): PagedRows {
    type Page = { page: LivePage; rows: ReadonlySignal<Post[] | undefined> };
    /** The first paint's rows, until the first page is opened (then its starting value). */
    let seed = first;
    /** The pages read, by index: replaced (never changed in place) so readers follow it. */
    const pages = signal<ReadonlyMap<number, Page>>(new Map());
    /** Rows each page had when last read, kept after it is let go (for `length`). */
    const sizes = new Map<number, number>();

    function open(index: number): Page {
      // The first page starts from the first paint's rows, once: opened again after being let
      // go, it waits for its own answer (the first paint is old by then).
      const start = index === 0 ? seed : undefined;
      if (index === 0) seed = undefined;
      // A page read with an offset is not run again by Dexie when a post before it leaves or
      // joins the list (its rows shift); every such change moves the counters, so the page
      // reads them too (a few rows, at the same time) and runs again with them.
      const live = liveSignal(
        async () => {
          const [rows] = await Promise.all([
            fetch(index * PAGE_SIZE, PAGE_SIZE),
            listUnreadCounts(db),
          ]);
          return rows;
        },
        start ?? ([] as Post[]),
        readFailure,
      );
      const page: LivePage = {
        used: ++tick,
        release() {
          live.dispose();
          pool.delete(page);
          const rest = new Map(pages.peek());
          rest.delete(index);
          pages.value = rest;
        },
      };
      pool.add(page);
      return {
        page,
        rows: computed(() => (live.loaded.value || start ? live.value.value : undefined)),
      };
    }

    const length = computed(() => {
      const read = pages.value;
      let total = 0;
      for (let index = 0; ; index += 1) {
        const rows = read.get(index)?.rows.value;
        if (rows) sizes.set(index, rows.length);
        const size = rows?.length ?? sizes.get(index);
        if (size === undefined) return index === 0 ? undefined : total + PAGE_SIZE;
        total += size;
        if (size < PAGE_SIZE) return total;
      }
    });

    return {
      at(index) {
        const page = pages.value.get(Math.floor(index / PAGE_SIZE));
        if (page) return page.rows.value?.[index % PAGE_SIZE];
        return index < PAGE_SIZE ? seed?.[index] : undefined;
      },
      show(start, end) {
        let next: Map<number, Page> | undefined;
        for (let index = Math.floor(start / PAGE_SIZE); index * PAGE_SIZE < end; index += 1) {
          const known = pages.peek().get(index);
          if (known) known.page.used = ++tick;
          else (next ??= new Map(pages.peek())).set(index, open(index));
        }
        if (!next) return;
        pages.value = next;
        trimSoon();
      },
      length,
      dispose() {
        for (const { page } of pages.peek().values()) page.release();
      },
    };
  }

  const sectionLists = new Map<string, PagedRows>();
  function sectionRows(key: string): PagedRows {
    let rows = sectionLists.get(key);
    if (!rows) {
      rows = pagedRows(
        (offset, limit) => listSectionPosts(db, key, offset, limit),
        initial?.rows.get(key),
      );
      sectionLists.set(key, rows);
    }
    return rows;
  }

  /**
   * The budget list for `maxMinutes`: made again (its count and rows read anew) whenever the
   * mutes change, so that it never lists a post they hide.
   */
  function budget(maxMinutes: number): Budget {
    /** The budget for one set of mutes (`keys`). */
    interface Inner {
      keys: ReadonlySet<string>;
      fits: LiveSignal<Budget['fits']['value']>;
      rows: PagedRows;
    }
    const inner = signal<Inner | undefined>(undefined);
    const make = (keys: ReadonlySet<string>): Inner => ({
      keys,
      fits: liveSignal(
        () => countFitting(db, maxMinutes, keys),
        undefined as { count: number; minutes: number } | undefined,
        readFailure,
      ),
      rows: pagedRows((offset, limit) => listFitting(db, maxMinutes, offset, limit, keys)),
    });
    const release = (old: Inner | undefined) => {
      old?.fits.dispose();
      old?.rows.dispose();
    };
    const stop = effect(() => {
      const keys = muted.value;
      const old = inner.peek();
      if (!keys || keys === old?.keys) return;
      inner.value = make(keys);
      release(old);
    });
    return {
      maxMinutes,
      fits: computed(() => inner.value?.fits.value.value),
      rows: {
        at: (index) => inner.value?.rows.at(index),
        show: (start, end) => inner.peek()?.rows.show(start, end),
        length: computed(() => inner.value?.rows.length.value),
        dispose: () => inner.peek()?.rows.dispose(),
      },
      dispose() {
        stop();
        release(inner.peek());
      },
    };
  }

  const readRows = () => pagedRows((offset, limit) => listRecentlyRead(db, offset, limit));

  function readCollapsed(): ReadonlySet<string> {
    return readCollapsedSections(storage, onError);
  }

  function toggleSection(key: string) {
    collapsed.value = toggleCollapsed(collapsed.peek(), key, storage, onError);
  }

  // Search: a plain read of what is typed, run again whenever a post is written. Run as a live
  // query, Dexie would record every id the search reads (thousands) to tell which writes
  // concern it; instead `searching` watches the posts with a live query over one post, which
  // Dexie runs again on any write to the table (here or in the service worker). The first
  // search waits for the watch's first answer, so that no write falls between the two. Only
  // the latest run's answer is kept: an older query's, or an older read's, is dropped.
  const query = signal('');
  const searchAnswer = signal<SearchAnswer | undefined>(undefined);
  let searching: { unsubscribe(): void } | undefined;
  /** True once the watch has answered: a read started from then on misses no write. */
  let watching = false;
  /** Runs started; only the answer of the last one is shown. */
  let runs = 0;
  const searchCode = () => (searchWith ? Promise.resolve(searchWith) : loadSearch());

  /** Searches for what is typed now. */
  function runSearch() {
    const run = ++runs;
    const text = query.peek();
    if (text.trim() === '' || disposed) return;
    const latest = () => run === runs && !disposed;
    searchCode()
      .then((searchIn) => (latest() ? searchIn(db, text) : undefined))
      .then(
        (result) => {
          if (result && latest()) searchAnswer.value = { ...result, query: text };
        },
        (error: unknown) => {
          if (latest()) readFailure(error);
        },
      );
  }

  function search(text: string) {
    query.value = text;
    if (text.trim() === '') {
      runs += 1;
      searchAnswer.value = undefined;
      return;
    }
    if (watching) {
      runSearch();
    } else {
      searching ??= liveQuery(() => db.posts.limit(1).toArray()).subscribe({
        next: () => {
          watching = true;
          runSearch();
        },
        error: (error: unknown) => {
          // Searches still run, without following writes; a read that fails says so.
          onError(error);
          watching = true;
          runSearch();
        },
      });
    }
  }

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

  /** Changes read state, then refreshes the badge. */
  const changeRead = (what: string, work: () => Promise<unknown>) =>
    attempt(what, async () => {
      await work();
      await badge(db);
    });

  const markRead = (post: Post) =>
    changeRead('mark it read', () => markPostsRead(db, [post.id], now()));

  const markUnread = (post: Post) =>
    changeRead('mark it unread', () => markPostsUnread(db, [post.id]));

  /** Marks `ids` read and offers to undo exactly the ones that changed. */
  const markManyRead = (where: string, ids: () => Promise<number[]>) =>
    changeRead('mark them read', async () => {
      const targets = await ids();
      // Thousands of posts take seconds to write (~0.25 ms each in Chromium): say so meanwhile.
      if (targets.length >= MANY_POSTS) {
        actionMessage.value = `Marking ${plural(targets.length, 'post')}${where} read…`;
      }
      const changed = await markPostsRead(db, targets, now());
      actionMessage.value = '';
      if (changed.length === 0) return;
      undo.offer(`Marked ${plural(changed.length, 'post')}${where} read.`, async () => {
        await markPostsUnread(db, changed);
        await badge(db);
      });
    });

  const markSectionRead = (section: SectionSummary) =>
    markManyRead(` in ${section.name}`, () => sectionPostIds(db, section.key));

  // What the user sees: the mutes the header and the sections were read with.
  const markAllRead = () =>
    markManyRead('', async () =>
      unreadPostIds(
        db,
        initial || viewLive.loaded.peek() ? viewLive.value.peek().muted : await firstMutes,
      ),
    );

  const runUndo = () => attempt('undo it', () => undo.run());

  function openPost(post: Post): Promise<void> {
    const url = safeHttpUrl(post.url);
    if (!url) {
      actionMessage.value = 'This post has no web address to open.';
      return Promise.resolve();
    }
    return attempt('open the post', async () => {
      if (post.readAt === 0) {
        await markPostsRead(db, [post.id], now());
        await badge(db);
      }
      await tabs.openUrl(url);
    });
  }

  let readingLoad: Promise<ReadingState | undefined> | undefined;
  function loadReading(): Promise<ReadingState | undefined> {
    readingLoad ??= import('@/utils/state/reading-state').then(
      ({ createReadingState }) => {
        const state = createReadingState({ db, now, tabs, badge, onError, undo });
        reading.value = state;
        return state;
      },
      (error: unknown) => {
        readingLoad = undefined;
        actionMessage.value = `Could not load the reading list: ${errorMessage(error)}`;
        onError(error);
        return undefined;
      },
    );
    return readingLoad;
  }

  /** Runs a reading-list action once its state is loaded; it says its own failures. */
  const withReading = async (run: (state: ReadingState) => Promise<void>) => {
    const state = await loadReading();
    if (state) await run(state);
  };

  async function refresh(): Promise<void> {
    if (refreshing.peek()) return;
    refreshing.value = true;
    await attempt('check for new posts', async () => {
      const summary = await send('pollNow', {});
      const gone = feeds.peek().filter((feed) => feed.status === 'gone');
      actionMessage.value = describePoll(summary, gone.map(blogTitle));
      clock.tick();
    });
    refreshing.value = false;
  }

  return {
    feeds,
    ...shown,
    savedUrls: computed(() => reading.value?.savedUrls.value ?? EMPTY),
    collapsed,
    reading,
    query,
    searchAnswer,
    loaded,
    readFailed,
    refreshing,
    message,
    clock: clock.value,
    undo,
    sectionRows,
    budget,
    readRows,
    toggleSection,
    search,
    markRead,
    markUnread,
    markSectionRead,
    markAllRead,
    runUndo,
    openPost,
    savePost: (post) => withReading((state) => state.savePost(post)),
    openItem: (item) => withReading((state) => state.openItem(item)),
    finishItem: (item) => withReading((state) => state.finishItem(item)),
    removeItem: (item) => withReading((state) => state.removeItem(item)),
    loadReading,
    refresh,
    openOptions: () => attempt('open the settings', () => tabs.openOptionsPage()),
    dispose() {
      disposed = true;
      batch(() => {
        stopWatching();
        for (const live of lives) live.dispose();
        for (const rows of sectionLists.values()) rows.dispose();
        searching?.unsubscribe();
        clock.dispose();
        undo.dispose();
        reading.peek()?.dispose();
      });
    },
  };
}

/** "Checked 2 blogs: 3 new posts." / "… no new posts. 1 could not be checked." */
export function describePoll(
  { checked, newPosts, failed }: PollSummary,
  goneBlogs: string[] = [],
): string {
  const found = newPosts > 0 ? plural(newPosts, 'new post') : 'no new posts';
  const failures = failed > 0 ? ` ${failed} could not be checked.` : '';
  const gone =
    goneBlogs.length > 0
      ? ` Not checked, gone (HTTP 410): ${goneBlogs.join(', ')} — use "Check now" in Settings to try again.`
      : '';
  if (checked === 0 && gone) return gone.trim();
  return `Checked ${plural(checked, 'blog')}: ${found}.${failures}${gone}`;
}
