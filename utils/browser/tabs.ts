/** Opening pages: a post or saved page in a new tab, and the options page. */
import { browser } from 'wxt/browser';
import { httpUrl } from '@/utils/format';

export interface TabsAdapter {
  /** Opens an http(s) URL in a new tab; refuses any other scheme (feed links are untrusted). */
  openUrl(url: string): Promise<void>;
  openOptionsPage(): Promise<void>;
}

export const tabs: TabsAdapter = {
  async openUrl(url) {
    const safe = httpUrl(url);
    if (!safe) throw new Error(`Refused to open a non-web address: ${url}`);
    await browser.tabs.create({ url: safe });
  },
  async openOptionsPage() {
    await browser.runtime.openOptionsPage();
  },
};
