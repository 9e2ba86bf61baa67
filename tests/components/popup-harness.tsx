/**
 * What the popup's component tests share: a fresh fake browser and database per test, posts
 * stored through the real repository, and the popup rendered over them with fake tabs.
 */
import { cleanup, render } from '@testing-library/preact';
import { afterEach, beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Popup } from '@/components/Popup';
import { createFirstPaintState } from '@/utils/state/first-paint-state';
import type { DispatchDb } from '@/utils/db/db';
import { readFirstPaint } from '@/utils/db/first-paint';
import { savePollResult } from '@/utils/db/posts';
import type { Feed, NewPost, Post } from '@/utils/db/types';
import {
  createPopupState,
  type PopupState,
  type PopupStateOptions,
} from '@/utils/state/popup-state';
import { aFeed, freshDb } from '../helpers/db';
import { fakeTabs } from '../helpers/fakes';
// What the popup loads with import() on first use, loaded here once per file: the first
// transform of a module graph in Vitest takes longer than a test waits for a change.
import '@/components/KeyHelp';
import '@/components/ReadingTab';
import '@/components/SearchPanel';
import '@/utils/badge';
import '@/utils/browser/tabs';
import '@/utils/db/search';
import '@/utils/messaging';
import '@/utils/state/reading-state';

export const NOW = new Date(2026, 2, 12, 12).getTime();
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface PopupHarness {
  readonly db: DispatchDb;
  readonly state: PopupState;
  /** What the popup opened (URLs, 'options'). */
  readonly opened: string[];
  /** Errors the state reported. */
  readonly errors: unknown[];
  /** Renders the popup over a new state. */
  show(options?: PopupStateOptions): ReturnType<typeof render>;
  /**
   * Renders the popup as it opens (`entrypoints/popup/main.tsx`): the first paint read from
   * the database without Dexie, then the live state over `db` (the harness's by default),
   * loaded when `release` is called, or at once when `held` is false.
   */
  showFirstPaint(options?: { db?: DispatchDb; held?: boolean }): {
    view: ReturnType<typeof render>;
    /** Lets the live state load. */
    release(): void;
    /** How many times the live state was asked for (it must be once). */
    readonly loads: number;
  };
  /** A followed blog. */
  feed(overrides?: Partial<Feed>): Promise<Feed>;
  /** Stores posts of `feed` as a poll would; resolves to them as stored. */
  store(feed: Feed, posts: NewPost[]): Promise<Post[]>;
}

/** Call at the top of a `describe`: a fresh popup world per test, cleaned up after it. */
export function usePopup(): PopupHarness {
  let db: DispatchDb;
  let state: PopupState | undefined;
  let opened: string[] = [];
  const errors: unknown[] = [];

  beforeEach(() => {
    fakeBrowser.reset();
    localStorage.clear();
    db = freshDb();
    opened = [];
    errors.splice(0);
  });

  afterEach(() => {
    cleanup();
    state?.dispose();
    state = undefined;
  });

  return {
    get db() {
      return db;
    },
    get state() {
      if (!state) throw new Error('Call show() first.');
      return state;
    },
    get opened() {
      return opened;
    },
    errors,
    show(options = {}) {
      cleanup();
      state?.dispose();
      const fake = fakeTabs();
      opened = fake.opened;
      state = createPopupState({
        db,
        now: () => NOW,
        tabs: fake.tabs,
        onError: (error) => errors.push(error),
        ...options,
      });
      return render(<Popup state={state} />);
    },
    showFirstPaint({ db: liveDb = db, held = true } = {}) {
      cleanup();
      state?.dispose();
      const fake = fakeTabs();
      opened = fake.opened;
      let release = () => undefined as void;
      const gate = held ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
      let loads = 0;
      state = createFirstPaintState({
        read: (collapsed, muted) => readFirstPaint({ name: liveDb.name, collapsed, muted }),
        load: async (initial) => {
          loads += 1;
          await gate;
          return createPopupState({
            db: liveDb,
            now: () => NOW,
            tabs: fake.tabs,
            onError: (error) => errors.push(error),
            initial,
          });
        },
        now: () => NOW,
        onError: (error) => errors.push(error),
      });
      const view = render(<Popup state={state} />);
      return {
        view,
        release: () => release(),
        get loads() {
          return loads;
        },
      };
    },
    feed: (overrides) => aFeed(db, { title: 'Edge Notes', ...overrides }),
    async store(feed, posts) {
      return (await savePollResult(db, feed.id, { posts, feed: {}, now: NOW })).added;
    },
  };
}
