/** Fake browser adapters for state and component tests: they record what would have opened. */
import type { TabsAdapter } from '@/utils/browser/tabs';

export function fakeTabs(): { tabs: TabsAdapter; opened: string[] } {
  const opened: string[] = [];
  const tabs: TabsAdapter = {
    openUrl: async (url) => void opened.push(url),
    openOptionsPage: async () => void opened.push('options'),
    openPostList: async () => void opened.push('list'),
  };
  return { tabs, opened };
}
