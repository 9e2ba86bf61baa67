/**
 * The toolbar badge: the number of unread posts, read from the maintained counters by this one
 * function after every write and at start-up, so the badge and the popup always agree.
 */
import { getAction, type BadgeAction } from '@/utils/browser/action';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { unreadTotal } from '@/utils/db/unread-counts';

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
