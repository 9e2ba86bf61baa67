/**
 * The popup's state: read-only signals over the database (unread posts grouped by category,
 * counters, the reading list) and the named actions its buttons call. Every action that writes
 * refreshes the badge, so the badge and the list never disagree. Actions never reject: a
 * failure is reported and said in words in `message`.
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { refreshBadge } from '@/utils/badge';
import { tabs as browserTabs, type TabsAdapter } from '@/utils/browser/tabs';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { getFeed, listFeeds } from '@/utils/db/feeds';
import { listUnread, markRead as markPostsRead } from '@/utils/db/posts';
import {
  finishReadingItem,
  listReadingList,
  removeReadingItem,
  saveToReadingList,
} from '@/utils/db/reading-list';
import { UNCATEGORIZED, type Feed, type Post, type ReadingListItem } from '@/utils/db/types';
import { unreadTotal as countUnread } from '@/utils/db/unread-counts';
import { blogTitle, errorMessage, plural } from '@/utils/format';
import { sendMessage, type PollSummary } from '@/utils/messaging';
import { clockSignal, liveSignal, logError, type ErrorReporter } from '@/utils/state/live';
import { safeHttpUrl } from '@/utils/url';

export interface PopupStateOptions {
  db?: DispatchDb;
  now?: () => number;
  tabs?: TabsAdapter;
  /** The message channel to the service worker (tests answer through `fakeBrowser`). */
  send?: typeof sendMessage;
  /** Called after every write with the database written to. */
  badge?: (db: DispatchDb) => Promise<unknown>;
  onError?: ErrorReporter;
}

/** An unread post with the title of its blog, as a row shows it. */
export interface PostEntry {
  post: Post;
  blog: string;
}

/** One category of unread posts. */
export interface Section {
  name: string;
  /** Unread posts in this category. */
  count: number;
  /** Their reading time added up. */
  minutes: number;
  /** Newest first. */
  entries: PostEntry[];
}

export interface PopupState {
  feeds: ReadonlySignal<Feed[]>;
  /** Unread posts, newest first. */
  unreadPosts: ReadonlySignal<Post[]>;
  /** Unread posts by category, the category with the newest post first. */
  sections: ReadonlySignal<Section[]>;
  /** Unread posts over all blogs, from the counters the badge reads. */
  unreadTotal: ReadonlySignal<number>;
  /** The latest poll of any blog; 0 before the first. */
  lastCheckedAt: ReadonlySignal<number>;
  /** Saved items not finished yet, in the user's order. */
  readingList: ReadonlySignal<ReadingListItem[]>;
  /** Finished items, most recently finished first. */
  finishedItems: ReadonlySignal<ReadingListItem[]>;
  /** URLs already in the reading list (finished or not): their Save button reads "Saved". */
  savedUrls: ReadonlySignal<ReadonlySet<string>>;
  /** True once every query has answered or failed (no empty state flashes before the data). */
  loaded: ReadonlySignal<boolean>;
  /**
   * A query failed (the database cannot be opened…): the page shows `message` alone, never an
   * empty list that would read as "no blogs" or "all caught up".
   */
  readFailed: ReadonlySignal<boolean>;
  /** A refresh is running. */
  refreshing: ReadonlySignal<boolean>;
  /** The outcome of the last action, or a query that fails, in words; '' when all is well. */
  message: ReadonlySignal<string>;
  /** The current time, for "checked 3 min ago". */
  clock: ReadonlySignal<number>;
  markRead(post: Post): Promise<void>;
  /** Marks the post read, then opens it in a new tab (writes first: opening closes the popup). */
  openPost(post: Post): Promise<void>;
  savePost(post: Post): Promise<void>;
  finishItem(item: ReadingListItem): Promise<void>;
  removeItem(item: ReadingListItem): Promise<void>;
  /** Opens a saved page; the post it came from counts as read. */
  openItem(item: ReadingListItem): Promise<void>;
  /** Asks the service worker to poll every blog now. */
  refresh(): Promise<void>;
  openOptions(): Promise<void>;
  dispose(): void;
}

/**
 * Groups posts (newest first) by category. A post in several categories is in each of their
 * sections; categories that differ only in case share a section; no category → "Uncategorized".
 * Sections come in the order of their newest post because the posts do.
 */
export function groupByCategory(posts: Post[], blogTitles: ReadonlyMap<number, string>): Section[] {
  const sections = new Map<string, Section>();
  for (const post of posts) {
    const entry = { post, blog: blogTitles.get(post.feedId) ?? '' };
    const names = post.categories.length > 0 ? post.categories : [UNCATEGORIZED];
    const keys = new Set(names.map((name) => name.toLocaleLowerCase()));
    for (const key of keys) {
      const name = names.find((candidate) => candidate.toLocaleLowerCase() === key) ?? key;
      const section = sections.get(key) ?? { name, count: 0, minutes: 0, entries: [] };
      section.count += 1;
      section.minutes += post.minutes;
      section.entries.push(entry);
      sections.set(key, section);
    }
  }
  return [...sections.values()];
}

export function createPopupState({
  db = getDb(),
  now = Date.now,
  tabs = browserTabs,
  send = sendMessage,
  badge = refreshBadge,
  onError = logError,
}: PopupStateOptions = {}): PopupState {
  const feedsLive = liveSignal(() => listFeeds(db), [] as Feed[], onError);
  const unreadLive = liveSignal(() => listUnread(db), [] as Post[], onError);
  const totalLive = liveSignal(() => countUnread(db), 0, onError);
  const listLive = liveSignal(() => listReadingList(db), [] as ReadingListItem[], onError);
  const lives = [feedsLive, unreadLive, totalLive, listLive];
  const clock = clockSignal(now);
  const refreshing = signal(false);
  /** What the last action has to say; a failing query speaks when it is empty. */
  const actionMessage = signal('');

  const feeds = feedsLive.value;
  const blogTitles = computed(() => new Map(feeds.value.map((feed) => [feed.id, blogTitle(feed)])));
  const sections = computed(() => groupByCategory(unreadLive.value.value, blogTitles.value));
  const lastCheckedAt = computed(() =>
    feeds.value.reduce((latest, feed) => Math.max(latest, feed.lastCheckedAt), 0),
  );
  const readingList = computed(() => listLive.value.value.filter((item) => item.doneAt === 0));
  const finishedItems = computed(() =>
    listLive.value.value.filter((item) => item.doneAt !== 0).sort((a, b) => b.doneAt - a.doneAt),
  );
  const savedUrls = computed(() => new Set(listLive.value.value.map((item) => item.url)));
  const loaded = computed(() =>
    lives.every((live) => live.loaded.value || live.error.value !== undefined),
  );
  const readFailed = computed(() => lives.some((live) => live.error.value !== undefined));
  const message = computed(() => {
    const failed = lives.find((live) => live.error.value !== undefined);
    if (actionMessage.value || !failed) return actionMessage.value;
    return `Could not read your posts: ${errorMessage(failed.error.value)}`;
  });

  /** The edge where action failures are caught: reported, and said in words. */
  async function attempt(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      actionMessage.value = `Could not ${what}: ${errorMessage(error)}`;
      onError(error);
    }
  }

  async function write(what: string, work: () => Promise<unknown>): Promise<void> {
    await attempt(what, async () => {
      await work();
      await badge(db);
    });
  }

  const markRead = (post: Post) => write('mark it read', () => markPostsRead(db, [post.id], now()));

  function openPost(post: Post): Promise<void> {
    const url = safeHttpUrl(post.url);
    if (!url) {
      actionMessage.value = 'This post has no web address to open.';
      return Promise.resolve();
    }
    return attempt('open the post', async () => {
      await markPostsRead(db, [post.id], now());
      await badge(db);
      await tabs.openUrl(url);
    });
  }

  function savePost(post: Post): Promise<void> {
    const url = safeHttpUrl(post.url);
    if (!url) {
      actionMessage.value = 'This post has no web address to save.';
      return Promise.resolve();
    }
    return write('save it', async () => {
      const source = (await getFeed(db, post.feedId))?.title;
      const item = { url, title: post.title, postId: post.id, minutes: post.minutes };
      await saveToReadingList(db, { ...item, ...(source && { source }) }, now());
    });
  }

  const finishItem = (item: ReadingListItem) =>
    write('mark it finished', () => finishReadingItem(db, item.id, now()));

  const removeItem = (item: ReadingListItem) =>
    write('remove it', () => removeReadingItem(db, item.id));

  function openItem(item: ReadingListItem): Promise<void> {
    const url = safeHttpUrl(item.url);
    if (!url) {
      actionMessage.value = 'This item has no web address to open.';
      return Promise.resolve();
    }
    return attempt('open the page', async () => {
      if (item.postId !== undefined) {
        await markPostsRead(db, [item.postId], now());
        await badge(db);
      }
      await tabs.openUrl(url);
    });
  }

  async function refresh(): Promise<void> {
    if (refreshing.peek()) return;
    refreshing.value = true;
    actionMessage.value = '';
    await attempt('check for new posts', async () => {
      const summary = await send('pollNow', {});
      const gone = feeds.peek().filter((feed) => feed.status === 'gone');
      actionMessage.value = describePoll(summary, gone.map(blogTitle));
      clock.tick();
    });
    refreshing.value = false;
  }

  const openOptions = () => attempt('open the settings', () => tabs.openOptionsPage());

  return {
    feeds,
    unreadPosts: unreadLive.value,
    sections,
    unreadTotal: totalLive.value,
    lastCheckedAt,
    readingList,
    finishedItems,
    savedUrls,
    loaded,
    readFailed,
    refreshing,
    message,
    clock: clock.value,
    markRead,
    openPost,
    savePost,
    finishItem,
    removeItem,
    openItem,
    refresh,
    openOptions,
    dispose() {
      for (const live of lives) live.dispose();
      clock.dispose();
    },
  };
}

/** "Checked 2 blogs: 3 new posts." / "… no new posts. 1 could not be checked." */
export function describePoll(
  { checked, newPosts, failed }: PollSummary,
  goneBlogs: string[] = [],
): string {
  const found = newPosts > 0 ? plural(newPosts, 'new post') : 'no new posts';
  const failures = failed > 0 ? ` ${failed} could not be checked.` : '';
  const gone =
    goneBlogs.length > 0
      ? ` Not checked, gone (HTTP 410): ${goneBlogs.join(', ')} — use "Check now" in Settings to try again.`
      : '';
  if (checked === 0 && gone) return gone.trim();
  return `Checked ${plural(checked, 'blog')}: ${found}.${failures}${gone}`;
}
