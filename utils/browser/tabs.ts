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
