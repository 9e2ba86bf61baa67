/**
 * New-post notifications: one per poll, never one per post, and what a click on it does.
 * Depends on `browser.notifications` (absent when the permission is missing: then nothing is
 * shown), session storage for the posts a notification is about (the worker may be stopped
 * between showing it and the click), the posts repository and the badge.
 */
import { browser } from 'wxt/browser';
import { refreshBadge } from '@/utils/badge';
import { tabs } from '@/utils/browser/tabs';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { getPost, markRead } from '@/utils/db/posts';
import type { Post } from '@/utils/db/types';
import { plural } from '@/utils/format';
import { reportError } from '@/utils/errors';
import { notificationsEnabled } from '@/utils/settings';
import { truncateText } from '@/utils/text';

/** Every notification id we create starts with this, so clicks on others are ignored. */
export const NOTIFICATION_PREFIX = 'dispatch-new-posts:';

/** Room for the titles in the message; the reading time is added after it. */
const MESSAGE_TITLES_CHARS = 200;

export interface NewPostNotice {
  post: Post;
  /** The blog's title, for "2 new posts from Edge Notes". */
  feedTitle: string;
}

export interface NotifyDeps {
  /** Default: the `notificationsEnabled` setting. */
  isEnabled?: () => Promise<boolean>;
}

export interface NotificationClickDeps {
  /** Default: the production database. */
  db?: DispatchDb;
  now?: () => number;
}

/** What a notification remembers, in session storage under its id. */
interface NotificationRecord {
  postIds: number[];
}

/**
 * Title and message for a set of new posts: "2 new posts from Edge Notes" / "3 new posts from
 * 2 blogs", then the titles (newest first) and the total reading time: "A · B · 7 min".
 */
export function describeNewPosts(notices: NewPostNotice[]): { title: string; message: string } {
  const blogs = new Set(notices.map(({ post, feedTitle }) => `${post.feedId}\u0000${feedTitle}`));
  const onlyBlog = notices[0]?.feedTitle ?? '';
  const source = blogs.size === 1 ? onlyBlog : `${blogs.size} blogs`;
  const minutes = notices.reduce((sum, { post }) => sum + post.minutes, 0);
  const titles = [...notices]
    .sort((a, b) => b.post.publishedAt - a.post.publishedAt)
    .map(({ post }) => post.title)
    .join(' · ');
  return {
    title: `${plural(notices.length, 'new post')} from ${source}`,
    message: `${truncateText(titles, MESSAGE_TITLES_CHARS)} · ${minutes} min`,
  };
}

/**
 * Shows one notification for all the posts of a poll and remembers which posts it is about.
 * Does nothing when there are none, when the user turned notifications off, or when the
 * browser gives no notifications API. Resolves with the notification's id, if one was shown.
 */
export async function notifyNewPosts(
  notices: NewPostNotice[],
  { isEnabled = () => notificationsEnabled.getValue() }: NotifyDeps = {},
): Promise<string | undefined> {
  const api = notificationsApi();
  if (notices.length === 0 || !api || !(await isEnabled())) return undefined;
  const { title, message } = describeNewPosts(notices);
  const id = `${NOTIFICATION_PREFIX}${crypto.randomUUID()}`;
  const record: NotificationRecord = { postIds: notices.map(({ post }) => post.id) };
  // Remember first: a click can come as soon as the notification is shown.
  await browser.storage.session.set({ [id]: record });
  await api.create(id, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title,
    message,
  });
  return id;
}

/**
 * Attaches the click and close listeners (synchronously, for the worker's start-up). A click
 * on a notification for one post opens it and marks it read; for several, opens the popup's
 * list (or the popup page in a tab where `action.openPopup` is unavailable).
 */
export function registerNotificationClicks(deps: NotificationClickDeps = {}): void {
  const api = notificationsApi();
  if (!api) return;
  api.onClicked.addListener((id: string) =>
    handleNotificationClick(id, deps).catch((error: unknown) =>
      reportError(error, 'notification click'),
    ),
  );
  api.onClosed.addListener((id: string) =>
    forgetNotification(id).catch((error: unknown) => reportError(error, 'notification close')),
  );
}

export async function handleNotificationClick(
  id: string,
  { db = getDb(), now = Date.now }: NotificationClickDeps = {},
): Promise<void> {
  if (!id.startsWith(NOTIFICATION_PREFIX)) return;
  const record = (await browser.storage.session.get(id))[id] as NotificationRecord | undefined;
  await notificationsApi()?.clear(id);
  await forgetNotification(id);

  const [onlyId, ...others] = record?.postIds ?? [];
  const post = onlyId !== undefined && others.length === 0 ? await getPost(db, onlyId) : undefined;
  if (post?.url) {
    await tabs.openUrl(post.url);
    await markRead(db, [post.id], now());
    await refreshBadge(db);
    return;
  }
  await tabs.openPostList();
}

async function forgetNotification(id: string): Promise<void> {
  if (id.startsWith(NOTIFICATION_PREFIX)) await browser.storage.session.remove(id);
}

type NotificationsApi = typeof browser.notifications;

/** `browser.notifications`, or undefined when the permission (hence the API) is missing. */
function notificationsApi(): NotificationsApi | undefined {
  return (browser as unknown as { notifications?: NotificationsApi }).notifications;
}
