/**
 * New-post notifications: at most one per poll, the digest of what arrived in quiet hours, and
 * what a click on one does. Which posts are announced, and in what words, is decided by
 * `notify-policy.ts`; this module reads the settings and the database for it and talks to the
 * browser. Depends on `browser.notifications` (absent until the user grants the optional
 * permission: then nothing is shown), session storage for the posts a notification is about
 * (the worker may be stopped between showing it and the click), local storage for the posts
 * held back in quiet hours (they must survive a browser restart), the posts and reading-list
 * repositories and the badge.
 */
import { browser } from 'wxt/browser';
import { refreshBadge } from '@/utils/badge';
import { notificationsApi, type NotificationsApi } from '@/utils/browser/notifications';
import { tabs } from '@/utils/browser/tabs';
import { silentFeeds } from '@/utils/category-modes';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { listFeeds } from '@/utils/db/feeds';
import { getPost, markRead } from '@/utils/db/posts';
import { addToReadingList } from '@/utils/db/reading-list';
import type { Post } from '@/utils/db/types';
import { reportError } from '@/utils/errors';
import {
  describeNotification,
  isAnnounced,
  isQuietTime,
  triageNotices,
  type NewPostNotice,
  type NotifyPolicy,
} from '@/utils/notify-policy';
import { serialised } from '@/utils/serialise';
import { notificationsEnabled, readSettings } from '@/utils/settings';
import { safeHttpUrl } from '@/utils/url';

export type { NewPostNotice } from '@/utils/notify-policy';

/** Every notification id we create starts with this, so clicks on others are ignored. */
export const NOTIFICATION_PREFIX = 'dispatch-new-posts:';

/** The `storage.local` key of the ids of posts held back for the quiet-hours digest. */
export const DIGEST_KEY = 'quietDigest';

/** Most posts a digest remembers (the newest kept): a week away from a busy blog is enough. */
export const DIGEST_MAX_POSTS = 500;

/** Chrome's buttons, by index in `onButtonClicked`. Firefox refuses `buttons` in `create`. */
export const NOTIFICATION_BUTTONS = ['Save for later', 'Mark read'] as const;

export interface NotifyDeps {
  /** Default: the production database. */
  db?: DispatchDb;
  now?: () => number;
}

/** What a notification remembers, in session storage under its id. */
export interface NotificationRecord {
  postIds: number[];
  /** What it says and offers, for the end-to-end tests (headless Chromium shows nothing). */
  title: string;
  message: string;
  buttons: string[];
}

/** The settings and per-blog switches that decide what is announced, as stored now. */
async function readPolicy(db: DispatchDb): Promise<NotifyPolicy> {
  const settings = await readSettings();
  const feeds = settings.notificationsEnabled ? await listFeeds(db) : [];
  return {
    enabled: settings.notificationsEnabled,
    modes: settings.categoryModes,
    quietHours: settings.quietHours,
    silentFeeds: silentFeeds(feeds),
  };
}

/**
 * Announces the new posts of one poll in one notification, after the policy: posts of muted or
 * list-only categories and of blogs whose notifications are off are left out; in quiet hours
 * the rest wait for the digest. Does nothing when notifications are off or the browser gives
 * no notifications API (the permission is missing). Resolves with the notification's id.
 */
export async function notifyNewPosts(
  notices: NewPostNotice[],
  { db = getDb(), now = Date.now }: NotifyDeps = {},
): Promise<string | undefined> {
  const api = notificationsApi();
  if (notices.length === 0 || !api) return undefined;
  const policy = await readPolicy(db);
  const triaged = triageNotices(notices, policy, new Date(now()));
  if (triaged.deferred.length > 0) await holdForDigest(triaged.deferred);
  if (triaged.now.length === 0) return undefined;
  return show(api, triaged.now, describeNotification(triaged.now, policy.modes));
}

/**
 * Once quiet hours are over, announces the posts they held back in one notification ("While
 * quiet: 5 new posts · 20 min"), after the policy as it is now: posts read or deleted
 * meanwhile, and posts the user has since muted, are left out; nothing is shown when none is
 * left or notifications are now off. Called after every scheduled poll; cheap when nothing
 * waits (one storage read).
 */
export function flushQuietDigest(deps: NotifyDeps = {}): Promise<string | undefined> {
  // One flush at a time (the tick, and a page's poll in another context), so a digest is
  // never shown twice.
  return serialised(`${DIGEST_LOCK}:flush`, () => flushDigest(deps));
}

async function flushDigest({
  db = getDb(),
  now = Date.now,
}: NotifyDeps): Promise<string | undefined> {
  const held = await heldForDigest();
  if (held.length === 0) return undefined;
  const policy = await readPolicy(db);
  if (policy.enabled && isQuietTime(policy.quietHours, new Date(now()))) return undefined;
  const api = notificationsApi();
  const notices = policy.enabled && api ? await unreadNotices(db, held) : [];
  const announced = notices.filter((notice) => isAnnounced(notice, policy));
  const id =
    api && announced.length > 0
      ? await show(api, announced, describeNotification(announced, policy.modes, 'While quiet: '))
      : undefined;
  // Only the ids read above: a poll may have held back more since.
  await releaseFromDigest(held);
  return id;
}

/** The posts of `postIds` that are still stored and unread, with their blogs' titles. */
async function unreadNotices(db: DispatchDb, postIds: number[]): Promise<NewPostNotice[]> {
  const [posts, feeds] = await Promise.all([db.posts.bulkGet(postIds), listFeeds(db)]);
  const titles = new Map(feeds.map((feed) => [feed.id, feed.title]));
  return posts
    .filter((post): post is Post => post !== undefined && post.readAt === 0)
    .map((post) => ({ post, feedTitle: titles.get(post.feedId) ?? '' }));
}

async function heldForDigest(): Promise<number[]> {
  const stored: unknown = (await browser.storage.local.get(DIGEST_KEY))[DIGEST_KEY];
  return Array.isArray(stored) ? stored.filter((id) => typeof id === 'number') : [];
}

/**
 * Holding and releasing are read-modify-writes of one `storage.local` key, serialised (Web
 * Locks reach across the worker and the pages), so a poll holding posts while a flush
 * releases others loses neither.
 */
const DIGEST_LOCK = 'dispatch-digest';

function holdForDigest(notices: NewPostNotice[]): Promise<void> {
  return serialised(DIGEST_LOCK, async () => {
    const ids = new Set([...(await heldForDigest()), ...notices.map(({ post }) => post.id)]);
    await browser.storage.local.set({ [DIGEST_KEY]: [...ids].slice(-DIGEST_MAX_POSTS) });
  });
}

function releaseFromDigest(released: number[]): Promise<void> {
  return serialised(DIGEST_LOCK, async () => {
    const gone = new Set(released);
    const left = (await heldForDigest()).filter((id) => !gone.has(id));
    if (left.length > 0) await browser.storage.local.set({ [DIGEST_KEY]: left });
    else await browser.storage.local.remove(DIGEST_KEY);
  });
}

/** Shows one notification (with Chrome's buttons) and remembers which posts it is about. */
async function show(
  api: NotificationsApi,
  notices: NewPostNotice[],
  { title, message }: { title: string; message: string },
): Promise<string> {
  const id = `${NOTIFICATION_PREFIX}${crypto.randomUUID()}`;
  const buttons = import.meta.env.FIREFOX ? [] : [...NOTIFICATION_BUTTONS];
  const postIds = notices.map(({ post }) => post.id);
  const record: NotificationRecord = { postIds, title, message, buttons };
  // Remember first: a click can come as soon as the notification is shown.
  await browser.storage.session.set({ [id]: record });
  await api.create(id, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title,
    message,
    ...(buttons.length > 0 && { buttons: buttons.map((text) => ({ title: text })) }),
  });
  return id;
}

/**
 * Attaches the click, button and close listeners: at once (synchronously, for the worker's
 * start-up) when the notifications API is there, else when the user grants the permission
 * (`permissions.onAdded`). Never twice on one API.
 */
export function registerNotificationClicks(deps: NotifyDeps = {}): void {
  let attachedTo: unknown;
  const attach = (): void => {
    const api = notificationsApi();
    if (!api || api.onClicked === attachedTo) return;
    attachedTo = api.onClicked;
    const report = (context: string) => (error: unknown) => reportError(error, context);
    api.onClicked.addListener((id: string) =>
      handleNotificationClick(id, deps).catch(report('notification click')),
    );
    api.onButtonClicked?.addListener((id: string, index: number) =>
      handleNotificationButton(id, index, deps).catch(report('notification button')),
    );
    api.onClosed.addListener((id: string) =>
      forgetNotification(id).catch(report('notification close')),
    );
  };
  attach();
  browser.permissions?.onAdded?.addListener(({ permissions }) => {
    if (permissions?.includes('notifications')) attach();
  });
  // Withdrawn in the browser's settings: the options page must not keep saying "on".
  browser.permissions?.onRemoved?.addListener(({ permissions }) => {
    if (!permissions?.includes('notifications')) return;
    notificationsEnabled
      .setValue(false)
      .catch((error: unknown) => reportError(error, 'notifications withdrawn'));
  });
}

/**
 * A click on the notification's body: for one post, opens it and marks it read; for several
 * (or when the record is lost, after a browser restart), opens the popup's list (or the popup
 * page in a tab where `action.openPopup` is refused).
 */
export async function handleNotificationClick(
  id: string,
  { db = getDb(), now = Date.now }: NotifyDeps = {},
): Promise<void> {
  if (!id.startsWith(NOTIFICATION_PREFIX)) return;
  const [onlyId, ...others] = await takeRecord(id);
  const post = onlyId !== undefined && others.length === 0 ? await getPost(db, onlyId) : undefined;
  if (post?.url) {
    await tabs.openUrl(post.url);
    await markRead(db, [post.id], now());
    await refreshBadge(db);
    return;
  }
  await tabs.openPostList();
}

/**
 * A click on one of Chrome's buttons: "Save for later" (0) puts every post of the notification
 * on the reading list, oldest first; "Mark read" (1) marks them all read. Either way the
 * notification goes away.
 */
export async function handleNotificationButton(
  id: string,
  buttonIndex: number,
  { db = getDb(), now = Date.now }: NotifyDeps = {},
): Promise<void> {
  if (!id.startsWith(NOTIFICATION_PREFIX)) return;
  const postIds = await takeRecord(id);
  if (buttonIndex === 0) await saveForLater(db, postIds, now());
  if (buttonIndex === 1) {
    await markRead(db, postIds, now());
    await refreshBadge(db);
  }
}

async function saveForLater(db: DispatchDb, postIds: number[], now: number): Promise<void> {
  const [posts, feeds] = await Promise.all([db.posts.bulkGet(postIds), listFeeds(db)]);
  const titles = new Map(feeds.map((feed) => [feed.id, feed.title]));
  const saved = posts
    .filter((post): post is Post => post !== undefined)
    .sort((a, b) => a.publishedAt - b.publishedAt);
  for (const post of saved) {
    const url = safeHttpUrl(post.url);
    if (!url) continue;
    const source = titles.get(post.feedId);
    await addToReadingList(
      db,
      { url, title: post.title, postId: post.id, minutes: post.minutes, ...(source && { source }) },
      now,
    );
  }
}

/** The posts a notification is about (none when its record is lost); clears and forgets it. */
async function takeRecord(id: string): Promise<number[]> {
  const record = (await browser.storage.session.get(id))[id] as NotificationRecord | undefined;
  await notificationsApi()?.clear(id);
  await forgetNotification(id);
  return record?.postIds ?? [];
}

async function forgetNotification(id: string): Promise<void> {
  if (id.startsWith(NOTIFICATION_PREFIX)) await browser.storage.session.remove(id);
}
