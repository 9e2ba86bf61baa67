/**
 * The options page's state: the followed blogs with their post counts and health, one status
 * line in words, and the actions of the "Add a blog" form and the blog list (check now,
 * remove, per-blog notifications and check interval). Host access is requested inside the
 * user's click (Chrome shows the prompt only during a user gesture), so the actions that may
 * ask call `permissions.requestOrigins` before their first `await`. The Data section's state
 * (`data-state.ts`) is loaded with its code on demand (`loadData`).
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { refreshBadge } from '@/utils/badge';
import {
  askForOrigins,
  permissions as browserPermissions,
  type OptionalPermissionsAdapter,
  type PermissionsAdapter,
} from '@/utils/browser/permissions';
import { getDb, type DispatchDb } from '@/utils/db/db';
import {
  listFeeds,
  removeFeed,
  updateFeedPreferences,
  type FeedPreferences,
} from '@/utils/db/feeds';
import { countPostsByFeed } from '@/utils/db/posts';
import type { Feed } from '@/utils/db/types';
import { describeHealth, type FeedHealth } from '@/utils/health';
import {
  blogTitle,
  errorMessage,
  hostOf,
  originPattern,
  sitePatterns,
  plural,
} from '@/utils/format';
import { sendMessage, type FeedChoice, type SubscribeResult } from '@/utils/messaging';
import type { DataState, DataStateOptions } from '@/utils/state/data-state';
import { clockSignal, liveSignal, logError, type ErrorReporter } from '@/utils/state/live';
import { formatInterval, nudgeSync } from '@/utils/state/settings-state';
import { parseWebAddress, type AddressProblem } from '@/utils/url';

export interface OptionsStateOptions {
  db?: DispatchDb;
  now?: () => number;
  /** Host access; "Delete everything" also gives back what was granted, when it can. */
  permissions?: PermissionsAdapter & Partial<OptionalPermissionsAdapter>;
  /** The message channel to the service worker (tests answer through `fakeBrowser`). */
  send?: typeof sendMessage;
  /** Asks before a destructive action; `window.confirm` in the page. */
  confirm?: (question: string) => boolean;
  /** Called after every write with the database written to. */
  badge?: (db: DispatchDb) => Promise<unknown>;
  /** A blog's health in words (utils/health.ts). */
  health?: (feed: Feed, now: number) => FeedHealth;
  /** Whether the user turned sync on: changes sync carries are then followed by `syncNow`. */
  syncOn?: () => Promise<boolean>;
  /** Creates the Data section's state (its code loaded on demand). */
  createData?: (options: DataStateOptions) => Promise<DataState>;
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
  /** The blog's health lines now; undefined when they cannot be worked out (reported once). */
  healthOf(feed: Feed): FeedHealth | undefined;
  /** Turns the blog's notifications on or off (`Feed.notify`). */
  setBlogNotify(feed: Feed, on: boolean): Promise<void>;
  /** The blog's own check interval in minutes; undefined for the default setting. */
  setBlogInterval(feed: Feed, minutes: number | undefined): Promise<void>;
  /** The Data section's state, once loaded (`loadData`). */
  data: ReadonlySignal<DataState | undefined>;
  /** Loads the Data section's code and state (once). */
  loadData(): Promise<void>;
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
  health = describeHealth,
  syncOn,
  createData = (options) =>
    import('@/utils/state/data-state').then((module) => module.createDataState(options)),
  onError = logError,
}: OptionsStateOptions = {}): OptionsState {
  const afterSyncedChange = () => nudgeSync(send, syncOn, onError);
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
  const requestAccess = (origins: string[]) => askForOrigins(permissions, origins, onError);

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
      if (result.ok) {
        await badge(db);
        afterSyncedChange();
      }
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
      afterSyncedChange();
      actionStatus.value = `Removed ${title}.`;
    } catch (error) {
      fail(`Could not remove ${title}`, error);
    }
  }

  let healthFailed = false;
  function healthOf(feed: Feed): FeedHealth | undefined {
    try {
      return health(feed, clock.value.value);
    } catch (error) {
      if (!healthFailed) onError(error);
      healthFailed = true;
      return undefined;
    }
  }

  async function setPreferences(feed: Feed, preferences: FeedPreferences, done: string) {
    try {
      await updateFeedPreferences(db, feed.id, preferences, now());
      // The "only notifying categories" badge counts blogs whose notifications are on.
      if ('notify' in preferences) await badge(db);
      actionStatus.value = done;
      afterSyncedChange();
    } catch (error) {
      fail(`Could not change ${blogTitle(feed)}`, error);
    }
  }

  function setBlogNotify(feed: Feed, on: boolean): Promise<void> {
    const title = blogTitle(feed);
    return setPreferences(feed, { notify: on }, `${title}: notifications ${on ? 'on' : 'off'}.`);
  }

  function setBlogInterval(feed: Feed, minutes: number | undefined): Promise<void> {
    const title = blogTitle(feed);
    const words =
      minutes === undefined
        ? `${title}: checked at the default interval.`
        : `${title}: checked every ${formatInterval(minutes)}.`;
    return setPreferences(feed, { intervalMinutes: minutes }, words);
  }

  const data = signal<DataState | undefined>(undefined);
  let loadingData: Promise<void> | undefined;
  function loadData(): Promise<void> {
    loadingData ??= createData({
      db,
      now,
      permissions,
      send,
      confirm,
      badge,
      syncOn,
      onError,
    }).then(
      (created) => {
        data.value = created;
      },
      (error: unknown) => {
        loadingData = undefined;
        fail('Could not load the Data section', error);
      },
    );
    return loadingData;
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
    healthOf,
    setBlogNotify,
    setBlogInterval,
    data,
    loadData,
    dispose() {
      blogsLive.dispose();
      clock.dispose();
      data.peek()?.dispose();
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
