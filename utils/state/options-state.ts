/**
 * The options page's state: the followed blogs with their post counts, one status line in
 * words, and the actions of the "Add a blog" form and the blog list. Host access is requested
 * inside the user's click (Chrome shows the prompt only during a user gesture), so the actions
 * that may ask call `permissions.requestOrigins` before their first `await`.
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { refreshBadge } from '@/utils/badge';
import {
  permissions as browserPermissions,
  type PermissionsAdapter,
} from '@/utils/browser/permissions';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { listFeeds, removeFeed } from '@/utils/db/feeds';
import { countPostsByFeed } from '@/utils/db/posts';
import type { Feed } from '@/utils/db/types';
import {
  blogTitle,
  errorMessage,
  hostOf,
  originPattern,
  sitePatterns,
  plural,
} from '@/utils/format';
import { sendMessage, type FeedChoice, type SubscribeResult } from '@/utils/messaging';
import { clockSignal, liveSignal, logError, type ErrorReporter } from '@/utils/state/live';
import { parseWebAddress, type AddressProblem } from '@/utils/url';

export interface OptionsStateOptions {
  db?: DispatchDb;
  now?: () => number;
  permissions?: PermissionsAdapter;
  /** The message channel to the service worker (tests answer through `fakeBrowser`). */
  send?: typeof sendMessage;
  /** Asks before a destructive action; `window.confirm` in the page. */
  confirm?: (question: string) => boolean;
  /** Called after every write with the database written to. */
  badge?: (db: DispatchDb) => Promise<unknown>;
  onError?: ErrorReporter;
}

/** A followed blog as the list shows it. */
export interface BlogEntry {
  feed: Feed;
  /** Posts stored for it. */
  posts: number;
}

/** Access the worker asked for (the feed lives on another origin), and the address to retry. */
export interface PendingPermission {
  /** Origin pattern, e.g. `https://feeds.example/*`. */
  origin: string;
  /** For the button: "Allow access to feeds.example". */
  host: string;
  url: string;
}

export interface OptionsState {
  /** Followed blogs in the order they were added. */
  blogs: ReadonlySignal<BlogEntry[]>;
  /** True once the blog list has been read (or failed to be). */
  loaded: ReadonlySignal<boolean>;
  /** What is happening or what went wrong, in words; '' when there is nothing to say. */
  status: ReadonlySignal<string>;
  /** Set while the worker waits for access to another origin: the page shows "Allow access to …". */
  pendingPermission: ReadonlySignal<PendingPermission | undefined>;
  /** The feeds the pasted page advertises, when it has several: the page lists them to pick. */
  feedChoices: ReadonlySignal<FeedChoice[] | undefined>;
  /** An add is running. */
  adding: ReadonlySignal<boolean>;
  /** Ids of the feeds being checked. */
  checking: ReadonlySignal<ReadonlySet<number>>;
  /** The current time, for "checked 1 min ago". */
  clock: ReadonlySignal<number>;
  /**
   * Follows the blog at a site or feed address; resolves true once followed. Call it directly
   * from the submit handler: it asks for host access synchronously.
   */
  addBlog(input: string): Promise<boolean>;
  /** Asks for the access in `pendingPermission` (from a click) and subscribes again. */
  allowPending(): Promise<boolean>;
  /** Follows one of `feedChoices` (from a click: asks for its site's access if needed). */
  chooseFeed(choice: FeedChoice): Promise<boolean>;
  checkNow(feed: Feed): Promise<void>;
  /** Asks first; removes the blog and its posts, keeps the reading list. */
  removeBlog(feed: Feed): Promise<void>;
  dispose(): void;
}

export type ParsedAddress = { ok: true; url: string } | { ok: false; message: string };

/** What the user pasted, read by `parseWebAddress` and worded for the options page. */
const ADDRESS_PROBLEMS: Record<AddressProblem, (pasted: string) => string> = {
  empty: () => "Paste a blog's address.",
  'not-web': () => 'Only http and https addresses can be followed.',
  invalid: (pasted) => `“${pasted}” is not a web address.`,
  credentials: () => 'Addresses with a user name or password in them are not supported.',
};

export function parseBlogAddress(input: string): ParsedAddress {
  const url = parseWebAddress(input);
  if (typeof url === 'string') return { ok: false, message: ADDRESS_PROBLEMS[url](input.trim()) };
  return { ok: true, url: url.href };
}

export function createOptionsState({
  db = getDb(),
  now = Date.now,
  permissions = browserPermissions,
  send = sendMessage,
  confirm = (question) => window.confirm(question),
  badge = refreshBadge,
  onError = logError,
}: OptionsStateOptions = {}): OptionsState {
  const blogsLive = liveSignal(
    async (): Promise<BlogEntry[]> => {
      const feeds = await listFeeds(db);
      const counts = await countPostsByFeed(
        db,
        feeds.map((feed) => feed.id),
      );
      return feeds.map((feed) => ({ feed, posts: counts.get(feed.id) ?? 0 }));
    },
    [],
    onError,
  );
  const clock = clockSignal(now);
  /** What the last action has to say; a failing blog list speaks when it is empty. */
  const actionStatus = signal('');
  const status = computed(() => {
    const failed = blogsLive.error.value;
    if (actionStatus.value || failed === undefined) return actionStatus.value;
    return `Could not read your blogs: ${errorMessage(failed)}`;
  });
  const pendingPermission = signal<PendingPermission | undefined>(undefined);
  const feedChoices = signal<FeedChoice[] | undefined>(undefined);
  const adding = signal(false);
  const checking = signal<ReadonlySet<number>>(new Set());

  function fail(what: string, error: unknown): void {
    actionStatus.value = `${what}: ${errorMessage(error)}`;
    onError(error);
  }

  /** Requests access now, in the caller's user gesture; a rejection counts as a refusal. */
  function requestAccess(origins: string[]): Promise<boolean> {
    try {
      return permissions.requestOrigins(origins).catch((error: unknown) => {
        onError(error);
        return false;
      });
    } catch (error) {
      onError(error);
      return Promise.resolve(false);
    }
  }

  function addBlog(input: string): Promise<boolean> {
    const parsed = parseBlogAddress(input);
    pendingPermission.value = undefined;
    feedChoices.value = undefined;
    if (!parsed.ok) {
      actionStatus.value = parsed.message;
      return Promise.resolve(false);
    }
    return subscribeWith(parsed.url, sitePatterns(parsed.url));
  }

  function allowPending(): Promise<boolean> {
    const pending = pendingPermission.peek();
    if (!pending) return Promise.resolve(false);
    return subscribeWith(pending.url, [pending.origin]);
  }

  function chooseFeed(choice: FeedChoice): Promise<boolean> {
    return subscribeWith(choice.url, [originPattern(choice.url)]);
  }

  /** Asks for `origins` (synchronously), then subscribes to `url`. */
  async function subscribeWith(url: string, origins: string[]): Promise<boolean> {
    const granted = requestAccess(origins);
    adding.value = true;
    try {
      if (!(await granted)) {
        actionStatus.value = `Access to ${hostOf(origins[0]!)} was not granted.`;
        return false;
      }
      pendingPermission.value = undefined;
      actionStatus.value = `Looking for a feed at ${url}…`;
      const result = await send('subscribe', { url });
      clock.tick();
      if (result.ok) await badge(db);
      actionStatus.value = describeSubscribe(result, url);
      if (!result.ok && result.code === 'needs-permission' && result.origin) {
        pendingPermission.value = { origin: result.origin, host: hostOf(result.origin), url };
      }
      if (result.ok) feedChoices.value = undefined;
      else if (result.code === 'choose') feedChoices.value = result.choices;
      return result.ok;
    } catch (error) {
      fail(`Could not follow ${url}`, error);
      return false;
    } finally {
      adding.value = false;
    }
  }

  async function checkNow(feed: Feed): Promise<void> {
    // Asking again (no prompt when access is held) is the repair path when it was withdrawn.
    const granted = requestAccess([originPattern(feed.url)]);
    const title = blogTitle(feed);
    checking.value = new Set([...checking.peek(), feed.id]);
    try {
      if (!(await granted)) {
        actionStatus.value = `Access to ${hostOf(feed.url)} was not granted.`;
        return;
      }
      actionStatus.value = `Checking ${title}…`;
      const summary = await send('pollNow', { feedId: feed.id });
      clock.tick();
      await badge(db);
      if (summary.failed > 0) actionStatus.value = `${title} could not be checked.`;
      else if (summary.newPosts > 0)
        actionStatus.value = `${title}: ${plural(summary.newPosts, 'new post')}.`;
      else actionStatus.value = `${title}: no new posts.`;
    } catch (error) {
      fail(`Could not check ${title}`, error);
    } finally {
      const rest = new Set(checking.peek());
      rest.delete(feed.id);
      checking.value = rest;
    }
  }

  async function removeBlog(feed: Feed): Promise<void> {
    const title = blogTitle(feed);
    const question = `Stop following ${title}? Its posts will be deleted; your reading list stays.`;
    if (!confirm(question)) return;
    try {
      await removeFeed(db, feed.id);
      await badge(db);
      actionStatus.value = `Removed ${title}.`;
    } catch (error) {
      fail(`Could not remove ${title}`, error);
    }
  }

  return {
    blogs: blogsLive.value,
    loaded: computed(() => blogsLive.loaded.value || blogsLive.error.value !== undefined),
    status,
    pendingPermission,
    feedChoices,
    adding,
    checking,
    clock: clock.value,
    addBlog,
    allowPending,
    chooseFeed,
    checkNow,
    removeBlog,
    dispose() {
      blogsLive.dispose();
      clock.dispose();
    },
  };
}

/** The worker's answer in words: "Following Edge Notes (9 posts)." */
export function describeSubscribe(result: SubscribeResult, url: string): string {
  if (result.ok)
    return `Following ${result.title || hostOf(url)} (${plural(result.added, 'post')}).`;
  if (result.message) return result.message;
  switch (result.code) {
    case 'invalid-url':
      return 'Only http and https addresses can be followed.';
    case 'already-followed':
      return `You already follow ${url}.`;
    case 'needs-permission':
      return `The feed is on ${result.origin ? hostOf(result.origin) : 'another site'}: allow access to follow it.`;
    case 'not-found':
      return `No feed found at ${url}.`;
    case 'fetch-failed':
      return `Could not load ${url}.`;
    case 'choose':
      return `${url} offers several feeds: choose the one to follow.`;
  }
}
