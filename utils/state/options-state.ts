/**
 * The options page's state: the followed blogs with their post counts and health, one status
 * line in words, and the actions of the "Add a blog" form and the blog list (check now,
 * remove, per-blog notifications and check interval). Host access is requested inside the
 * user's click (Chrome shows the prompt only during a user gesture), so the actions that may
 * ask call `permissions.requestOrigins` before their first `await`. The Data section's state
 * (`data-state.ts`) is loaded with its code on demand (`loadData`).
 *
 * A page without a feed whose posts Dispatch can read (issue 6) is previewed before it is
 * followed (`listingPreview`), and a followed one can be corrected (`listingEditor`) or
 * learned again after its layout changed (`relearn`); the worker reads the pages, this state
 * only holds what it answered.
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
import type { ListingExtractor } from '@/utils/listing/extract';
import { describeHealth, type FeedHealth } from '@/utils/health';
import {
  blogTitle,
  errorMessage,
  hostOf,
  originPattern,
  sitePatterns,
  plural,
} from '@/utils/format';
import {
  sendMessage,
  type FeedChoice,
  type ListingPreview,
  type SubscribeResult,
} from '@/utils/messaging';
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

/** A followed listing blog's reading being corrected: the blog and the page as it reads now. */
export interface ListingEditor {
  feedId: number;
  preview: ListingPreview;
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
  /**
   * The posts a page without a feed offers (the subscribe answer `listing`), shown for the
   * user to check and correct before "Follow this page"; undefined otherwise.
   */
  listingPreview: ReadonlySignal<ListingPreview | undefined>;
  /** The followed listing blog whose reading is being corrected ("Change what Dispatch reads"). */
  listingEditor: ReadonlySignal<ListingEditor | undefined>;
  /** A listing page is being read, followed or saved: its buttons wait. */
  listingBusy: ReadonlySignal<boolean>;
  /** Ids of the listing blogs being learned again. */
  relearning: ReadonlySignal<ReadonlySet<number>>;
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
  /**
   * Reads the previewed page again with `extractor` (the user's correction of what it reads):
   * the preview of the page being followed, or with `feedId` that of the blog being edited.
   * A refusal is said in the status line and the preview stays as it was.
   */
  previewWith(extractor: ListingExtractor, feedId?: number): Promise<void>;
  /** Follows the previewed page with its extractor; resolves true once followed. */
  followListing(): Promise<boolean>;
  /** Drops the preview (no `feedId`) or closes the blog's editor. */
  cancelListing(feedId?: number): void;
  /** Learns a followed listing blog's page again (the drift alarm's one click). */
  relearn(feedId: number): Promise<void>;
  /** Opens the editor of what Dispatch reads on a followed listing blog (from a click). */
  editListing(feed: Feed): Promise<void>;
  /** Stores the corrected extractor once the worker has checked the page reads with it. */
  saveListing(feedId: number, extractor: ListingExtractor): Promise<void>;
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
  const listingPreview = signal<ListingPreview | undefined>(undefined);
  const listingEditor = signal<ListingEditor | undefined>(undefined);
  /** Listing requests under way (`listingBusy` while any is). */
  const listingRequests = signal(0);
  /**
   * The latest `previewListing` request for the page being followed and for the editor: an
   * answer to an earlier one (the user changed another role meanwhile, or cancelled) is dropped.
   */
  const latest = { follow: 0, edit: 0 };
  /** Shows `preview` (or none) for the page being followed, dropping answers still on the way. */
  function showPreview(preview: ListingPreview | undefined): void {
    latest.follow += 1;
    listingPreview.value = preview;
  }
  /** Closes blog `feedId`'s editor if it is open, dropping answers still on the way. */
  function closeEditor(feedId: number): void {
    if (listingEditor.peek()?.feedId !== feedId) return;
    latest.edit += 1;
    listingEditor.value = undefined;
  }
  const relearning = signal<ReadonlySet<number>>(new Set());

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
    showPreview(undefined);
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
      showPreview(!result.ok && result.code === 'listing' ? result.listing : undefined);
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

  /** Runs one listing request, counted in `listingBusy`. */
  async function busyWith<T>(work: () => Promise<T>): Promise<T> {
    listingRequests.value += 1;
    try {
      return await work();
    } finally {
      listingRequests.value -= 1;
    }
  }

  function previewWith(extractor: ListingExtractor, feedId?: number): Promise<void> {
    const target = feedId === undefined ? 'follow' : 'edit';
    const editor = listingEditor.peek();
    const current = feedId === undefined ? listingPreview.peek() : editor?.preview;
    if (!current || (feedId !== undefined && editor?.feedId !== feedId)) {
      return Promise.resolve();
    }
    const request = ++latest[target];
    return busyWith(async () => {
      try {
        const answer = await send('previewListing', { url: current.url, extractor });
        if (request !== latest[target]) return;
        if (!answer.ok) actionStatus.value = answer.message;
        else if (feedId === undefined) listingPreview.value = answer.preview;
        else listingEditor.value = { feedId, preview: answer.preview };
      } catch (error) {
        if (request === latest[target]) fail('Could not read the page again', error);
      }
    });
  }

  function followListing(): Promise<boolean> {
    const preview = listingPreview.peek();
    if (!preview) return Promise.resolve(false);
    adding.value = true;
    return busyWith(async () => {
      try {
        const { url, extractor } = preview;
        const result = await send('followListing', { url, extractor });
        clock.tick();
        actionStatus.value = describeSubscribe(result, url);
        if (result.ok) {
          showPreview(undefined);
          await badge(db);
          afterSyncedChange();
        }
        return result.ok;
      } catch (error) {
        fail(`Could not follow ${preview.url}`, error);
        return false;
      } finally {
        adding.value = false;
      }
    });
  }

  function cancelListing(feedId?: number): void {
    if (feedId === undefined) {
      showPreview(undefined);
      // "…Dispatch can follow the page itself" no longer applies.
      actionStatus.value = '';
    } else {
      closeEditor(feedId);
    }
  }

  /** The followed blog `feedId` as the list has it. */
  const followedFeed = (feedId: number) =>
    blogsLive.value.peek().find(({ feed }) => feed.id === feedId)?.feed;
  const titleOf = (feedId: number) => {
    const feed = followedFeed(feedId);
    return feed ? blogTitle(feed) : 'the blog';
  };

  async function relearn(feedId: number): Promise<void> {
    const feed = followedFeed(feedId);
    // Asked in the click, like Check now: re-learning reads the page.
    const granted = feed ? requestAccess([originPattern(feed.url)]) : Promise.resolve(true);
    relearning.value = new Set([...relearning.peek(), feedId]);
    try {
      if (feed && !(await granted)) {
        actionStatus.value = `Access to ${hostOf(feed.url)} was not granted.`;
        return;
      }
      actionStatus.value = `Re-learning ${titleOf(feedId)}…`;
      const result = await send('relearnListing', { feedId });
      clock.tick();
      if (!result.ok) {
        actionStatus.value = result.message;
        return;
      }
      actionStatus.value = `Re-learned: ${plural(result.count, 'post')} found.`;
      await badge(db);
      afterSyncedChange();
    } catch (error) {
      fail(`Could not re-learn ${titleOf(feedId)}`, error);
    } finally {
      const rest = new Set(relearning.peek());
      rest.delete(feedId);
      relearning.value = rest;
    }
  }

  function editListing(feed: Feed): Promise<void> {
    const extractor = feed.listing?.extractor;
    if (!extractor) return Promise.resolve();
    // Asked in the click: the page is read again to show its parts.
    const granted = requestAccess([originPattern(feed.url)]);
    const request = ++latest.edit;
    const title = blogTitle(feed);
    return busyWith(async () => {
      try {
        if (!(await granted)) {
          actionStatus.value = `Access to ${hostOf(feed.url)} was not granted.`;
          return;
        }
        actionStatus.value = `Reading ${title}…`;
        const answer = await send('previewListing', { url: feed.url, extractor });
        if (request !== latest.edit) return;
        if (!answer.ok) {
          actionStatus.value = answer.message;
          return;
        }
        actionStatus.value = '';
        listingEditor.value = { feedId: feed.id, preview: answer.preview };
      } catch (error) {
        if (request === latest.edit) fail(`Could not read ${title}`, error);
      }
    });
  }

  function saveListing(feedId: number, extractor: ListingExtractor): Promise<void> {
    const title = titleOf(feedId);
    return busyWith(async () => {
      try {
        const result = await send('setListingExtractor', { feedId, extractor });
        clock.tick();
        if (!result.ok) {
          actionStatus.value = result.message;
          return;
        }
        actionStatus.value = `Saved what Dispatch reads on ${title}: ${plural(result.count, 'post')} found.`;
        closeEditor(feedId);
        await badge(db);
        afterSyncedChange();
      } catch (error) {
        fail(`Could not save what Dispatch reads on ${title}`, error);
      }
    });
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
    listingPreview,
    listingEditor,
    listingBusy: computed(() => listingRequests.value > 0),
    relearning,
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
    previewWith,
    followListing,
    cancelListing,
    relearn,
    editListing,
    saveListing,
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
    case 'listing':
      return `No feed found at ${url}, but the page lists posts: Dispatch can follow the page itself.`;
  }
}
