/**
 * The page's context menu: "Save page to Dispatch" on a page, "Save link to Dispatch" on a
 * link. Needs the `contextMenus` permission (and gets the clicked tab's address through the
 * `activeTab` grant a menu click gives); no content script. The outcome — saved, already in
 * the list, or refused because the address is not a web page — is told in a notification,
 * since the menu has no page of its own to say it on.
 *
 * Depends on `browser.contextMenus`, `browser.runtime`, `browser.notifications` (passed in, so
 * tests give fakes) and the reading-list repository.
 */
import { browser } from 'wxt/browser';
import { refreshBadge } from '@/utils/badge';
import { getAction } from '@/utils/browser/action';
import { notificationsApi } from '@/utils/browser/notifications';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { describeSave, NOT_A_WEB_PAGE, savePageToReadingList } from '@/utils/db/reading-list';
import { errorMessage } from '@/utils/format';
import { reportError } from '@/utils/errors';
import { safeHttpUrl } from '@/utils/url';

export const SAVE_PAGE_MENU = 'dispatch-save-page';
export const SAVE_LINK_MENU = 'dispatch-save-link';

/** Every notification id this module creates starts with this (other modules ignore them). */
export const SAVED_NOTIFICATION_PREFIX = 'dispatch-saved:';

/** Pages the menu items appear on / links they appear for: the web only. */
const WEB_PATTERNS = ['http://*/*', 'https://*/*'];

/** What a menu click tells us (the parts of `contextMenus.OnClickData` used here). */
export interface MenuClick {
  menuItemId: string | number;
  pageUrl?: string;
  linkUrl?: string;
  /** Firefox only: the link's text. */
  linkText?: string;
  selectionText?: string;
}

/** The tab the menu was opened in, as far as the browser shows it. */
export interface MenuTab {
  url?: string;
  title?: string;
}

export interface MenuItemSpec {
  id: string;
  title: string;
  contexts: ('page' | 'link')[];
  documentUrlPatterns?: string[];
  targetUrlPatterns?: string[];
}

/** The browser APIs this module uses, narrowed to what it calls. */
export interface ContextMenusBrowser {
  contextMenus?: {
    create(properties: MenuItemSpec): unknown;
    removeAll(): Promise<void>;
    onClicked: { addListener(listener: (info: MenuClick, tab?: MenuTab) => void): void };
  };
  runtime: {
    onInstalled: { addListener(listener: () => void): void };
    onStartup: { addListener(listener: () => void): void };
  };
}

export interface ContextMenuDeps {
  browser?: ContextMenusBrowser;
  db?: DispatchDb;
  now?: () => number;
  /** Tells the user the outcome; default: a notification (nothing without the permission). */
  tell?: (message: string, saved: boolean) => Promise<void>;
}

/** The menu items, as created at install and browser start. */
export const MENU_ITEMS: readonly MenuItemSpec[] = [
  {
    id: SAVE_PAGE_MENU,
    title: 'Save page to Dispatch',
    contexts: ['page'],
    documentUrlPatterns: WEB_PATTERNS,
  },
  {
    id: SAVE_LINK_MENU,
    title: 'Save link to Dispatch',
    contexts: ['link'],
    targetUrlPatterns: WEB_PATTERNS,
  },
];

/**
 * Creates the menu items when the extension is installed or updated and when the browser
 * starts (removing any left from before, so an id is never created twice), and attaches the
 * click listener synchronously, for the worker's start-up. Does nothing without the API
 * (the permission missing).
 */
export function registerContextMenus(deps: ContextMenuDeps = {}): void {
  const api = deps.browser ?? (browser as unknown as ContextMenusBrowser);
  const menus = api.contextMenus;
  if (!menus) return;
  const create = () =>
    createMenus(menus).catch((error: unknown) => reportError(error, 'context menu setup'));
  try {
    menus.onClicked.addListener((info, tab) => {
      void handleMenuClick(info, tab, deps);
    });
    api.runtime.onInstalled.addListener(create);
    api.runtime.onStartup.addListener(create);
  } catch (error) {
    // A browser whose menu API refuses listeners must not keep the worker from polling.
    reportError(error, 'context menu listeners');
  }
}

async function createMenus(menus: NonNullable<ContextMenusBrowser['contextMenus']>) {
  await menus.removeAll();
  for (const item of MENU_ITEMS) menus.create(item);
}

/**
 * The page a click asks to save: for a link, its address and its text (Firefox), else the
 * selected text, else the address; for a page, its address and the tab's title. `url` is
 * undefined when the address is not http(s).
 */
export function pageToSave(info: MenuClick, tab?: MenuTab): { url?: string; title: string } {
  if (info.menuItemId === SAVE_LINK_MENU) {
    const url = safeHttpUrl(info.linkUrl);
    const title = [info.linkText, info.selectionText].find((text) => text?.trim()) ?? '';
    return { url, title: title.trim() };
  }
  const url = safeHttpUrl(info.pageUrl ?? tab?.url);
  return { url, title: tab?.title?.trim() ?? '' };
}

/**
 * Saves what was clicked and tells the outcome in words; never rejects (a failure is reported
 * and told). Resolves with the sentence told, or undefined for a click on another menu.
 */
export async function handleMenuClick(
  info: MenuClick,
  tab: MenuTab | undefined,
  { db = getDb(), now = Date.now, tell = notify }: ContextMenuDeps = {},
): Promise<string | undefined> {
  if (info.menuItemId !== SAVE_PAGE_MENU && info.menuItemId !== SAVE_LINK_MENU) return undefined;
  let message: string;
  let saved = false;
  try {
    const page = pageToSave(info, tab);
    if (page.url) {
      message = describeSave(
        await savePageToReadingList(db, { url: page.url, title: page.title }, now()),
      );
      saved = true;
    } else {
      message = NOT_A_WEB_PAGE;
    }
  } catch (error) {
    reportError(error, 'context menu save');
    message = `Could not save it: ${errorMessage(error)}`;
  }
  try {
    await tell(message, saved);
  } catch (error) {
    reportError(error, 'context menu notification');
  }
  return message;
}

/** How long the badge shows a save's outcome when there are no notifications. */
export const FLASH_MS = 4000;

/**
 * A notification titled "Dispatch" with the message. Without the (optional) notifications
 * permission, the toolbar button says it instead: the badge shows ✓ (or ! when nothing was
 * saved) for a few seconds, then the count again, and the tooltip carries the sentence
 * until the next badge refresh.
 */
async function notify(message: string, saved: boolean): Promise<void> {
  const api = notificationsApi();
  if (!api) return flashOnButton(message, saved);
  await api.create(`${SAVED_NOTIFICATION_PREFIX}${crypto.randomUUID()}`, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: 'Dispatch',
    message,
  });
}

async function flashOnButton(message: string, saved: boolean): Promise<void> {
  const action = getAction();
  await action.setBadgeText({ text: saved ? '✓' : '!' });
  await action.setTitle({ title: `Dispatch — ${message}` });
  setTimeout(() => {
    refreshBadge().catch((error: unknown) => reportError(error, 'badge refresh'));
  }, FLASH_MS);
}
