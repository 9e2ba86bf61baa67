import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  FLASH_MS,
  handleMenuClick,
  MENU_ITEMS,
  pageToSave,
  registerContextMenus,
  SAVE_LINK_MENU,
  SAVE_PAGE_MENU,
  type ContextMenusBrowser,
  type MenuClick,
  type MenuItemSpec,
  type MenuTab,
} from '@/utils/context-menus';
import { createDb, type DispatchDb } from '@/utils/db/db';
import { STORAGE_UNAVAILABLE_MESSAGE } from '@/utils/db/errors';
import { savePollResult } from '@/utils/db/posts';
import { listReadingList, saveToReadingList } from '@/utils/db/reading-list';
import { aFeed, aPost, freshDb } from '../helpers/db';

const NOW = Date.UTC(2026, 10, 29, 12);

/** A browser with just the context-menu and runtime events, recording what was created. */
function fakeMenusBrowser() {
  const created: MenuItemSpec[] = [];
  const listeners = {
    clicked: [] as ((info: MenuClick, tab?: MenuTab) => void)[],
    installed: [] as (() => void)[],
    startup: [] as (() => void)[],
  };
  const api: ContextMenusBrowser = {
    contextMenus: {
      create: (properties) => void created.push(properties),
      removeAll: async () => void created.splice(0),
      onClicked: { addListener: (listener) => void listeners.clicked.push(listener) },
    },
    runtime: {
      onInstalled: { addListener: (listener) => void listeners.installed.push(listener) },
      onStartup: { addListener: (listener) => void listeners.startup.push(listener) },
    },
  };
  return { api, created, listeners };
}

/** Lets the listeners' pending promises run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function saveWith(db: DispatchDb) {
  const told: string[] = [];
  const deps = { db, now: () => NOW, tell: async (message: string) => void told.push(message) };
  return { deps, told };
}

/** Runs `test` with the browser giving no notifications API (the permission not granted). */
async function withoutNotifications(test: () => Promise<void>): Promise<void> {
  const api = fakeBrowser as unknown as { notifications?: unknown };
  const saved = api.notifications;
  api.notifications = undefined;
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  try {
    await test();
  } finally {
    vi.useRealTimers();
    api.notifications = saved;
  }
}

const pageClick = (pageUrl: string): MenuClick => ({ menuItemId: SAVE_PAGE_MENU, pageUrl });
const linkClick = (linkUrl: string, extra: Partial<MenuClick> = {}): MenuClick => ({
  menuItemId: SAVE_LINK_MENU,
  pageUrl: 'https://host.example/',
  linkUrl,
  ...extra,
});

describe('registerContextMenus', () => {
  it('creates "Save page" on web pages and "Save link" on web links, at install and start-up', async () => {
    const { api, created, listeners } = fakeMenusBrowser();

    registerContextMenus({ browser: api });
    expect(listeners.clicked).toHaveLength(1);
    listeners.installed[0]!();
    await settle();

    expect(created).toEqual([
      {
        id: SAVE_PAGE_MENU,
        title: 'Save page to Dispatch',
        contexts: ['page'],
        documentUrlPatterns: ['http://*/*', 'https://*/*'],
      },
      {
        id: SAVE_LINK_MENU,
        title: 'Save link to Dispatch',
        contexts: ['link'],
        targetUrlPatterns: ['http://*/*', 'https://*/*'],
      },
    ]);
    // Start-up again removes the old items first, so no id is created twice.
    listeners.startup[0]!();
    await settle();
    expect(created).toEqual([...MENU_ITEMS]);
  });

  it('does nothing without the contextMenus API (permission missing)', () => {
    const { api, listeners } = fakeMenusBrowser();
    expect(() =>
      registerContextMenus({ browser: { ...api, contextMenus: undefined } }),
    ).not.toThrow();
    expect(listeners.installed).toEqual([]);
  });

  it('reports, and does not throw, when the menu API refuses listeners', () => {
    const { api } = fakeMenusBrowser();
    const reported = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    api.contextMenus!.onClicked.addListener = () => {
      throw new Error('Browser.contextMenus.onClicked.addListener not implemented.');
    };

    expect(() => registerContextMenus({ browser: api })).not.toThrow();
    expect(reported).toHaveBeenCalledWith(
      expect.stringMatching(/^\[Dispatch\] context menu listeners: /),
      expect.anything(),
    );
  });

  it('saves what was clicked through the click listener', async () => {
    const db = freshDb();
    const { api, listeners } = fakeMenusBrowser();
    const { deps, told } = saveWith(db);
    registerContextMenus({ ...deps, browser: api });

    listeners.clicked[0]!(pageClick('https://news.example/a'), { title: 'A story' });

    await expect.poll(() => told).toEqual(['Saved “A story” to your reading list.']);
  });
});

describe('pageToSave', () => {
  it.each([
    [
      'a page: its address and the tab title',
      pageClick('https://news.example/a'),
      { title: ' A story ' },
      { url: 'https://news.example/a', title: 'A story' },
    ],
    [
      'a link in Firefox: its text',
      linkClick('https://b.example/x', { linkText: 'Link text', selectionText: 'Selected' }),
      { title: 'Host page' },
      { url: 'https://b.example/x', title: 'Link text' },
    ],
    [
      'a link in Chrome: the selected text',
      linkClick('https://b.example/x', { selectionText: 'Selected' }),
      { title: 'Host page' },
      { url: 'https://b.example/x', title: 'Selected' },
    ],
    [
      'a link with no text: no title (the address stands in)',
      linkClick('https://b.example/x'),
      { title: 'Host page' },
      { url: 'https://b.example/x', title: '' },
    ],
    [
      'a page that is not on the web',
      pageClick('chrome://settings/'),
      { title: 'Settings' },
      { url: undefined, title: 'Settings' },
    ],
    [
      'a javascript: link',
      linkClick('javascript:alert(1)', { linkText: 'Click' }),
      undefined,
      { url: undefined, title: 'Click' },
    ],
  ])('reads %s', (_what, info, tab, expected) => {
    expect(pageToSave(info, tab)).toEqual(expected);
  });
});

describe('handleMenuClick', () => {
  it('without the notifications permission, says it on the toolbar button: ✓, then the count again', async () => {
    await withoutNotifications(async () => {
      await handleMenuClick(
        pageClick('https://news.example/a'),
        { title: 'A story' },
        {
          db: freshDb(),
          now: () => NOW,
        },
      );

      expect(await fakeBrowser.action.getBadgeText({})).toBe('✓');
      expect(await fakeBrowser.action.getTitle({})).toBe(
        'Dispatch — Saved “A story” to your reading list.',
      );
      await vi.advanceTimersByTimeAsync(FLASH_MS);
      await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe(''));
    });
  });

  it('flashes ! when nothing could be saved', async () => {
    await withoutNotifications(async () => {
      await handleMenuClick(pageClick('chrome://settings'), undefined, {
        db: freshDb(),
        now: () => NOW,
      });

      expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
    });
  });

  it('saves a page with the tab title, and says so', async () => {
    const db = freshDb();
    const { deps, told } = saveWith(db);

    const message = await handleMenuClick(
      pageClick('https://news.example/a'),
      { title: 'A story' },
      deps,
    );

    expect(message).toBe('Saved “A story” to your reading list.');
    expect(told).toEqual([message]);
    expect(await listReadingList(db)).toEqual([
      expect.objectContaining({ url: 'https://news.example/a', title: 'A story', addedAt: NOW }),
    ]);
  });

  it('saves a link, titled with the address when it has no text', async () => {
    const db = freshDb();
    const { deps } = saveWith(db);

    await handleMenuClick(linkClick('https://b.example/x'), { title: 'Host' }, deps);

    expect(await listReadingList(db)).toEqual([
      expect.objectContaining({ url: 'https://b.example/x', title: 'https://b.example/x' }),
    ]);
  });

  it('links a saved link to the stored post it points at', async () => {
    const db = freshDb();
    const feed = await aFeed(db, { title: 'Edge Notes' });
    const url = 'https://blog.example/posts/mamba/';
    const {
      added: [post],
    } = await savePollResult(db, feed.id, {
      posts: [aPost({ guid: url, url, title: 'Mamba', minutes: 3 })],
      feed: {},
      now: 1,
    });
    const { deps } = saveWith(db);

    await handleMenuClick(linkClick(url, { selectionText: 'read this' }), undefined, deps);

    expect(await listReadingList(db)).toEqual([
      expect.objectContaining({ postId: post!.id, source: 'Edge Notes', minutes: 3 }),
    ]);
  });

  it('says a page already saved is there, without saving it twice', async () => {
    const db = freshDb();
    await saveToReadingList(db, { url: 'https://news.example/a', title: 'Mine' }, 1);
    const { deps, told } = saveWith(db);

    await handleMenuClick(pageClick('https://news.example/a'), { title: 'A story' }, deps);

    expect(told).toEqual(['Already in your reading list: “Mine”.']);
    expect(await listReadingList(db)).toHaveLength(1);
  });

  it.each([
    ['a browser page', pageClick('chrome://extensions/')],
    ['a local file', pageClick('file:///home/me/a.html')],
    ['a javascript: link', linkClick('javascript:alert(1)')],
    ['a data: link', linkClick('data:text/html,<b>x</b>')],
  ])('refuses %s in words and saves nothing', async (_what, info) => {
    const db = freshDb();
    const { deps, told } = saveWith(db);

    await handleMenuClick(info, { title: 'Anything' }, deps);

    expect(told).toEqual([
      'Only web pages (http or https addresses) can be saved to the reading list.',
    ]);
    expect(await listReadingList(db)).toEqual([]);
  });

  it('says a failed save in words, reports it, and never rejects', async () => {
    const broken = createDb(`no-idb-${crypto.randomUUID()}`, { indexedDB: undefined });
    const reported = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { deps, told } = saveWith(broken);

    const message = await handleMenuClick(pageClick('https://news.example/a'), undefined, deps);

    expect(message).toBe(`Could not save it: ${STORAGE_UNAVAILABLE_MESSAGE}`);
    expect(told).toEqual([message]);
    expect(reported).toHaveBeenCalledWith(
      expect.stringMatching(/^\[Dispatch\] context menu save: /),
      expect.anything(),
    );
  });

  it('ignores clicks on other menus', async () => {
    const { deps, told } = saveWith(freshDb());
    expect(await handleMenuClick({ menuItemId: 'other' }, undefined, deps)).toBeUndefined();
    expect(told).toEqual([]);
  });
});
