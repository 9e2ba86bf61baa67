/** Opening pages: a post or saved page in a new tab, the options page, the list of posts. */
import { browser } from 'wxt/browser';
import { safeHttpUrl } from '@/utils/url';

export interface TabsAdapter {
  /** Opens an http(s) URL in a new tab; refuses any other scheme (feed links are untrusted). */
  openUrl(url: string): Promise<void>;
  openOptionsPage(): Promise<void>;
  /** The list of unread posts: the popup over the toolbar button, else the popup page in a tab. */
  openPostList(): Promise<void>;
}

export const tabs: TabsAdapter = {
  async openUrl(url) {
    const safe = safeHttpUrl(url);
    if (!safe) throw new Error(`Refused to open a non-web address: ${url}`);
    await browser.tabs.create({ url: safe });
  },
  async openOptionsPage() {
    await browser.runtime.openOptionsPage();
  },
  async openPostList() {
    const action = (browser as unknown as { action?: { openPopup?: () => Promise<void> } }).action;
    try {
      if (action?.openPopup) {
        await action.openPopup();
        return;
      }
    } catch {
      // Chrome before 127 and Firefox without a user gesture refuse; a tab always works.
    }
    await browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
  },
};

/** What the popup may know of the tab it was opened over (through `activeTab`). */
export interface TabPage {
  /** Absent when the browser does not let Dispatch see it (no `activeTab` grant). */
  url?: string;
  title?: string;
}

/** The current tab and Dispatch's own pages in tabs: what the reading list needs. */
export interface PageTabsAdapter {
  /**
   * The active tab of the current window. Its address and title are visible only through the
   * `activeTab` grant the toolbar click gives the popup (Dispatch has no `tabs` permission);
   * undefined when there is no such tab.
   */
  currentTab(): Promise<TabPage | undefined>;
  /** Opens the full-page reading list (`reading.html`) in a new tab. */
  openReadingPage(): Promise<void>;
}

export const pageTabs: PageTabsAdapter = {
  async currentTab() {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    return tab && { url: tab.url, title: tab.title };
  },
  async openReadingPage() {
    await browser.tabs.create({ url: browser.runtime.getURL('/reading.html') });
  },
};
