/**
 * The toolbar badge: what is unread, counted from the maintained counters by this one function
 * after every write, at start-up and when a setting it depends on changes, so the badge and the
 * popup always agree. What it counts is the `badgeMode` setting; posts of muted categories are
 * never counted (the popup does not list them either). The button's tooltip says what the
 * number means.
 */
import { browser } from 'wxt/browser';
import { getAction, type BadgeAction } from '@/utils/browser/action';
import { mutedSections, sectionsWith, silentFeeds } from '@/utils/category-modes';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { listFeeds } from '@/utils/db/feeds';
import type { Feed } from '@/utils/db/types';
import { unreadVisible, type UnreadFilter } from '@/utils/db/unread-counts';
import { reportError } from '@/utils/errors';
import { plural } from '@/utils/format';
import {
  badgeMode,
  categoryModes,
  readSettings,
  type BadgeMode,
  type CategoryModes,
} from '@/utils/settings';

const BADGE_COLOR = '#1d4ed8';
const NAME = 'Dispatch';

/** The settings whose change changes the badge (`storage.local` keys). */
const BADGE_SETTINGS = [badgeMode.key, categoryModes.key];

/** '' for none (the badge disappears), '999+' past three digits. */
export function badgeText(unread: number): string {
  if (unread <= 0) return '';
  return unread > 999 ? '999+' : String(unread);
}

/**
 * Unread minutes in the four characters a badge shows: "45m" under an hour, then whole hours
 * rounded ("2h" for 90 minutes: the tooltip has the exact figure), "99h+" past 99 hours;
 * '' for none.
 */
export function minutesBadgeText(minutes: number): string {
  if (minutes <= 0) return '';
  if (minutes < 60) return `${Math.round(minutes)}m`;
  const hours = Math.round(minutes / 60);
  return hours > 99 ? '99h+' : `${hours}h`;
}

/** The badge's text and the button's tooltip for `mode` and what is unread. */
export function describeBadge(
  mode: BadgeMode,
  { unread, minutes }: { unread: number; minutes: number },
): { text: string; title: string } {
  const posts = unread > 0 ? plural(unread, 'unread post') : 'no unread posts';
  switch (mode) {
    case 'off':
      return { text: '', title: NAME };
    case 'minutes':
      return {
        text: minutesBadgeText(minutes),
        title: `${NAME} — ${unread > 0 ? `${minutes} min unread` : posts}`,
      };
    case 'notifying':
      return { text: badgeText(unread), title: `${NAME} — ${posts} in notifying categories` };
    default:
      return { text: badgeText(unread), title: `${NAME} — ${posts}` };
  }
}

/**
 * What `mode` leaves out of the count: muted categories always; for `notifying`, also every
 * category that does not notify and every blog whose notifications are off. The global
 * notifications switch does not empty the `notifying` count: the mode names the categories
 * the user marked as important, which stay so while pop-ups are off.
 */
export function badgeFilter(
  mode: BadgeMode,
  modes: CategoryModes,
  feeds: readonly Pick<Feed, 'id' | 'notify'>[],
): UnreadFilter {
  if (mode !== 'notifying') return { excludedSections: mutedSections(modes) };
  return {
    excludedFeeds: silentFeeds(feeds),
    excludedSections: new Set([...sectionsWith(modes, 'list'), ...mutedSections(modes)]),
  };
}

/**
 * Sets the badge and tooltip from the database and the settings as they are now (extension
 * pages call it after their writes too: `storage.local` is readable there). Resolves with the
 * badge's text.
 */
export async function refreshBadge(
  db: DispatchDb = getDb(),
  action: BadgeAction = getAction(),
): Promise<string> {
  const { badgeMode: mode, categoryModes: modes } = await readSettings();
  const counts =
    mode === 'off'
      ? { unread: 0, minutes: 0 }
      : await unreadVisible(
          db,
          badgeFilter(mode, modes, mode === 'notifying' ? await listFeeds(db) : []),
        );
  const { text, title } = describeBadge(mode, counts);
  await action.setBadgeBackgroundColor({ color: BADGE_COLOR });
  await action.setBadgeText({ text });
  await action.setTitle({ title });
  return text;
}

/**
 * Refreshes the badge each time the worker starts (install, browser start-up, and every wake
 * for an alarm or a message), on browser start-up when the worker is already running, and when
 * the badge mode or a category's mode changes (from the options page, a restored backup or
 * sync). The count lives in the database, so a worker stopped between a poll's write and its
 * badge refresh leaves the badge stale only until it next wakes (reading the counters: ~1 ms).
 */
export function registerBadge(): void {
  const refresh = (): Promise<unknown> =>
    refreshBadge().catch((error: unknown) => reportError(error, 'badge refresh'));
  browser.runtime.onStartup.addListener(() => refresh());
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && BADGE_SETTINGS.some((key) => key in changes)) void refresh();
  });
  void refresh();
}
