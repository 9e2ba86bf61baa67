/**
 * The popup's state as it opens: a `PopupState` that shows the first-paint snapshot (read
 * without Dexie, `utils/db/first-paint.ts`) until the live state is loaded, then is the live
 * state (`utils/state/popup-state.ts`, loaded with `import()` right after the snapshot is
 * painted, seeded with it so that nothing on screen changes). Nothing here imports Dexie, so
 * the popup's first paint does not load or parse it.
 *
 * Before the live state is there, reads come from the snapshot (nothing at all until the
 * snapshot answers: skeleton rows; when it cannot tell, the live state paints), and every
 * action waits for the live state (it is on its way: a user cannot tell) and runs there. Lists
 * asked for before (a budget, "Show read") follow the live state's lists once it is there.
 */
import { logError } from '@/utils/errors';
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { readFirstPaint, type FirstPaint } from '@/utils/db/first-paint';
import { readCollapsedSections, toggleCollapsed } from '@/utils/db/section-summary';
import type { UnreadView } from '@/utils/db/sections';
import type { Feed, Post } from '@/utils/db/types';
import { errorMessage } from '@/utils/format';
import { overview, readMutedSections } from '@/utils/state/overview';
import type { Budget, PagedRows, PopupState } from '@/utils/state/popup-state';
import type { UndoState } from '@/utils/state/undo';

export interface FirstPaintStateOptions {
  /**
   * Reads the snapshot, skipping the rows of collapsed sections, with the muted sections as
   * they are being read (`readFirstPaint`).
   */
  read?: (
    collapsed: ReadonlySet<string>,
    muted: Promise<ReadonlySet<string>>,
  ) => Promise<FirstPaint | undefined>;
  /** Reads the muted sections (`readMutedSections`: the `categoryModes` setting). */
  readMuted?: () => Promise<ReadonlySet<string>>;
  /** Loads the live state, seeded with the snapshot (`createPopupState`, with its code). */
  load?: (initial: FirstPaint | undefined) => Promise<PopupState>;
  /** Where collapsed sections are remembered; `localStorage` when there is one. */
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  now?: () => number;
  onError?: (error: unknown) => void;
}

/**
 * Runs `then` (once) after the frame showing the snapshot and the next one: the first rows are
 * on screen, and the popup has marked them (`FIRST_ROWS_MARK`, one frame later) before Dexie's
 * code is fetched and run.
 */
function afterFirstRows(then: () => void): void {
  if (typeof requestAnimationFrame === 'function') {
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(then, 0)));
  }
  // A page in the background gets no frames: the live state comes all the same.
  setTimeout(then, 250);
}

const loadLive = async (initial: FirstPaint | undefined) =>
  (await import('@/utils/state/popup-state')).createPopupState({ initial });

const EMPTY = new Set<string>();
const NO_FEEDS: Feed[] = [];
const NO_VIEW: UnreadView = { counts: [], muted: EMPTY, hidden: [] };

export function createFirstPaintState({
  read = (collapsed, muted) => readFirstPaint({ collapsed, muted }),
  readMuted = readMutedSections,
  load = loadLive,
  storage = typeof localStorage === 'undefined' ? undefined : localStorage,
  now = Date.now,
  onError = logError,
}: FirstPaintStateOptions = {}): PopupState {
  const collapsedBefore = signal<ReadonlySet<string>>(readCollapsedSections(storage, onError));
  // Read alongside the database's opening. Settings that cannot be read mute nothing (said to
  // `onError`): hiding posts on a failure would be worse than showing them.
  const mutedRead = readMuted().catch((error: unknown): ReadonlySet<string> => {
    onError(error);
    return EMPTY;
  });
  const snapshotRead = read(collapsedBefore.peek(), mutedRead).catch((error: unknown) => {
    onError(error);
    return undefined;
  });
  /** The snapshot once read; undefined before, and when it could not tell. */
  const snapshot = signal<FirstPaint | undefined>(undefined);
  const live = signal<PopupState | undefined>(undefined);
  /** Why the live state could not be loaded, in words. */
  const failure = signal('');
  const queryBefore = signal('');
  const clockBefore = signal(now());
  let loading: Promise<PopupState | undefined> | undefined;
  let disposed = false;

  /** Loads the live state (once), seeded with the snapshot. Never rejects. */
  function goLive(): Promise<PopupState | undefined> {
    loading ??= snapshotRead
      .then((initial) => (disposed ? undefined : load(initial)))
      .then(
        (state) => {
          if (!state || disposed) {
            state?.dispose();
            return undefined;
          }
          live.value = state;
          return state;
        },
        (error: unknown) => {
          failure.value = `Could not read your posts: ${errorMessage(error)}`;
          onError(error);
          return undefined;
        },
      );
    return loading;
  }

  void snapshotRead.then((answer) => {
    if (disposed) return;
    snapshot.value = answer;
    // Nothing to paint first (it cannot tell): the live state paints, now.
    if (answer) afterFirstRows(() => void goLive());
    else void goLive();
  });

  /** The live state's signal once it is there; `before` until then. */
  function fromLive<T>(
    pick: (state: PopupState) => ReadonlySignal<T>,
    before: () => T,
  ): ReadonlySignal<T> {
    return computed(() => {
      const state = live.value;
      return state ? pick(state).value : before();
    });
  }

  /** Runs `action` on the live state, once it is there. */
  function whenLive<A extends unknown[]>(
    action: (state: PopupState, ...args: A) => Promise<void>,
  ): (...args: A) => Promise<void> {
    return async (...args) => {
      const state = live.peek() ?? (await goLive());
      if (state) await action(state, ...args);
    };
  }

  const feedsBefore = computed(() => snapshot.value?.feeds ?? NO_FEEDS);
  const viewBefore = computed((): UnreadView => snapshot.value ?? NO_VIEW);
  const before = overview(feedsBefore, viewBefore, clockBefore);

  const feeds = fromLive(
    (state) => state.feeds,
    () => feedsBefore.value,
  );

  /**
   * Rows that follow `inner` (a live state's list) once it is there, and `before` until then.
   * A range shown before is not kept: the lists show theirs again on every render, and reading
   * `at` here re-renders them when `inner` comes.
   */
  function followRows(
    inner: ReadonlySignal<PagedRows | undefined>,
    before: (index: number) => Post | undefined = () => undefined,
  ): PagedRows {
    return {
      at: (index) => {
        const rows = inner.value;
        return rows ? rows.at(index) : before(index);
      },
      show: (start, end) => inner.peek()?.show(start, end),
      length: computed(() => inner.value?.length.value),
      dispose: () => inner.peek()?.dispose(),
    };
  }

  const sectionLists = new Map<string, PagedRows>();
  function sectionRows(key: string): PagedRows {
    const known = live.peek()?.sectionRows(key) ?? sectionLists.get(key);
    if (known) return known;
    const rows = followRows(
      computed(() => live.value?.sectionRows(key)),
      (index) => snapshot.value?.rows.get(key)?.[index],
    );
    // The live state keeps and disposes its own section lists.
    rows.dispose = () => undefined;
    sectionLists.set(key, rows);
    return rows;
  }

  /**
   * Something the caller owns and disposes (a budget, the read posts): the live state's, made
   * as soon as it is there (at once when it is).
   */
  function owned<T extends { dispose(): void }>(
    make: (state: PopupState) => T,
  ): { inner: ReadonlySignal<T | undefined>; dispose(): void } {
    const inner = signal<T | undefined>(undefined);
    let gone = false;
    void goLive().then((state) => {
      if (state && !gone) inner.value = make(state);
    });
    return {
      inner,
      dispose() {
        gone = true;
        inner.peek()?.dispose();
      },
    };
  }

  function readRows(): PagedRows {
    const state = live.peek();
    if (state) return state.readRows();
    const { inner, dispose } = owned((ready) => ready.readRows());
    return { ...followRows(inner), dispose };
  }

  function budget(maxMinutes: number): Budget {
    const state = live.peek();
    if (state) return state.budget(maxMinutes);
    const { inner, dispose } = owned((ready) => ready.budget(maxMinutes));
    return {
      maxMinutes,
      fits: computed(() => inner.value?.fits.value),
      rows: followRows(computed(() => inner.value?.rows)),
      dispose,
    };
  }

  const undo: UndoState = {
    current: fromLive(
      (state) => state.undo.current,
      () => undefined,
    ),
    offer: (...args) => void goLive().then((state) => state?.undo.offer(...args)),
    run: whenLive((state) => state.undo.run()),
    dismiss: () => live.peek()?.undo.dismiss(),
    dispose: () => live.peek()?.undo.dispose(),
  };

  let searches = 0;
  function search(text: string) {
    const state = live.peek();
    if (state) return state.search(text);
    queryBefore.value = text;
    const mine = (searches += 1);
    void goLive().then((ready) => {
      if (ready && mine === searches) ready.search(text);
    });
  }

  function toggleSection(key: string) {
    const state = live.peek();
    if (state) return state.toggleSection(key);
    // Remembered at once: the live state reads what is remembered when it is made.
    collapsedBefore.value = toggleCollapsed(collapsedBefore.peek(), key, storage, onError);
  }

  return {
    feeds,
    blogTitles: fromLive(
      (state) => state.blogTitles,
      () => before.blogTitles.value,
    ),
    sections: fromLive(
      (state) => state.sections,
      () => before.sections.value,
    ),
    unreadTotal: fromLive(
      (state) => state.unreadTotal,
      () => before.unreadTotal.value,
    ),
    unreadMinutes: fromLive(
      (state) => state.unreadMinutes,
      () => before.unreadMinutes.value,
    ),
    lastCheckedAt: fromLive(
      (state) => state.lastCheckedAt,
      () => before.lastCheckedAt.value,
    ),
    alert: fromLive(
      (state) => state.alert,
      () => before.alert.value,
    ),
    savedUrls: fromLive(
      (state) => state.savedUrls,
      () => EMPTY,
    ),
    collapsed: fromLive(
      (state) => state.collapsed,
      () => collapsedBefore.value,
    ),
    reading: fromLive(
      (state) => state.reading,
      () => undefined,
    ),
    query: fromLive(
      (state) => state.query,
      () => queryBefore.value,
    ),
    searchAnswer: fromLive(
      (state) => state.searchAnswer,
      () => undefined,
    ),
    loaded: fromLive(
      (state) => state.loaded,
      () => snapshot.value !== undefined,
    ),
    // Posts that cannot be read at all: no snapshot, and no live state to read them.
    readFailed: fromLive(
      (state) => state.readFailed,
      () => failure.value !== '' && snapshot.value === undefined,
    ),
    refreshing: fromLive(
      (state) => state.refreshing,
      () => false,
    ),
    message: fromLive(
      (state) => state.message,
      () => failure.value,
    ),
    clock: fromLive(
      (state) => state.clock,
      () => clockBefore.value,
    ),
    undo,
    sectionRows,
    budget,
    readRows,
    toggleSection,
    search,
    markRead: whenLive((state, post) => state.markRead(post)),
    markUnread: whenLive((state, post) => state.markUnread(post)),
    markSectionRead: whenLive((state, section) => state.markSectionRead(section)),
    markAllRead: whenLive((state) => state.markAllRead()),
    runUndo: whenLive((state) => state.runUndo()),
    openPost: whenLive((state, post) => state.openPost(post)),
    savePost: whenLive((state, post) => state.savePost(post)),
    openItem: whenLive((state, item) => state.openItem(item)),
    finishItem: whenLive((state, item) => state.finishItem(item)),
    removeItem: whenLive((state, item) => state.removeItem(item)),
    async loadReading() {
      const state = live.peek() ?? (await goLive());
      return state?.loadReading();
    },
    refresh: whenLive((state) => state.refresh()),
    openOptions: whenLive((state) => state.openOptions()),
    dispose() {
      disposed = true;
      live.peek()?.dispose();
    },
  };
}
