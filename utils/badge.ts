/**
 * The toolbar badge: the number of unread posts, read from the maintained counters by this one
 * function after every write and at start-up, so the badge and the popup always agree.
 */
import { browser } from 'wxt/browser';
import { getAction, type BadgeAction } from '@/utils/browser/action';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { unreadTotal } from '@/utils/db/unread-counts';
import { reportError } from '@/utils/errors';

const BADGE_COLOR = '#1d4ed8';

/** '' for none (the badge disappears), '999+' past three digits. */
export function badgeText(unread: number): string {
  if (unread <= 0) return '';
  return unread > 999 ? '999+' : String(unread);
}

export async function refreshBadge(
  db: DispatchDb = getDb(),
  action: BadgeAction = getAction(),
): Promise<string> {
  const text = badgeText(await unreadTotal(db));
  await action.setBadgeBackgroundColor({ color: BADGE_COLOR });
  await action.setBadgeText({ text });
  return text;
}

/**
 * Refreshes the badge each time the worker starts (install, browser start-up, and every wake
 * for an alarm or a message), and on browser start-up when the worker is already running. The
 * count lives in the database, so a worker stopped between a poll's write and its badge
 * refresh leaves the badge stale only until it next wakes (reading the counters: ~1 ms).
 */
export function registerBadge(): void {
  const refresh = (): Promise<unknown> =>
    refreshBadge().catch((error: unknown) => reportError(error, 'badge refresh'));
  browser.runtime.onStartup.addListener(() => refresh());
  void refresh();
}
