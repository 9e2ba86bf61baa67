/**
 * The one message protocol between the extension pages and the service worker. Messages are
 * only for what must run in the worker (network with host access, polling); pages read and
 * write the database directly.
 */
import { browser, type Browser } from 'wxt/browser';
import type { FieldRole, ListingExtractor } from '@/utils/listing/extract';

export type SubscribeResult =
  | { ok: true; feedId: number; title: string; added: number }
  | {
      ok: false;
      /**
       * `invalid-url`: not an http(s) address; `already-followed`: same feed (maybe under
       * another spelling); `needs-permission`: the feed lives on an origin the user has not
       * granted yet (ask, then retry); `not-found`: no feed at or linked from the address;
       * `fetch-failed`: the address could not be fetched; `choose`: the page advertises
       * several feeds (posts and comments, RSS and Atom…): the user picks one of `choices`;
       * `listing`: no feed, but the page lists posts: `listing` previews them, and
       * `followListing` follows the page once the user confirms.
       */
      code:
        | 'invalid-url'
        | 'already-followed'
        | 'needs-permission'
        | 'not-found'
        | 'fetch-failed'
        | 'choose'
        | 'listing';
      message: string;
      /** For `needs-permission`: the origin pattern to request, e.g. `https://feeds.example/*`. */
      origin?: string;
      /** For `already-followed`. */
      feedId?: number;
      /** For `choose`: the feeds the page advertises, in its order. */
      choices?: FeedChoice[];
      /** For `listing`: what following the page would read. */
      listing?: ListingPreview;
    };

/**
 * What following a listing page would give (issue 6), shown before the user confirms and when
 * they correct what Dispatch reads.
 */
export interface ListingPreview {
  /** The page's address (after redirects): what is followed and polled. */
  url: string;
  /** The page's `<title>`, cleaned; its host name when it has none. */
  title: string;
  extractor: ListingExtractor;
  /** "9 posts in 2 categories: State Space Model, Transformer" (`previewSummary`). */
  summary: string;
  /** The extractor in words (`describeExtractor`). */
  description: string;
  /** The first posts read, for the user to check (at most `PREVIEW_POSTS`). */
  posts: PreviewPost[];
  /** How many posts the page gave in all. */
  count: number;
  /** The parts of the first card, each with the role it plays now: "this is the category". */
  parts: CardPart[];
}

export interface PreviewPost {
  title: string;
  url: string;
  category?: string;
  /** The card's "N min read", in minutes. */
  readingMinutes?: number;
  publishedAt?: number;
}

/** One element of a card with text or a link, offered to the user to name its role. */
export interface CardPart {
  /** Inside the card (`select.ts` syntax); `''` is the card itself. */
  path: string;
  /** Its text on the first card (or its link when it has no text), at most 80 characters. */
  text: string;
  /** The role the extractor gives it now; absent when it reads nothing from it. */
  role?: FieldRole;
}

/** `previewListing`: the preview, or why the page cannot be followed, in words. */
export type ListingPreviewResult =
  { ok: true; preview: ListingPreview } | { ok: false; message: string; origin?: string };

/** `relearnListing` / `setListingExtractor`: the blog's new reading of its page. */
export type ListingUpdateResult =
  { ok: true; description: string; count: number; added: number } | { ok: false; message: string };

/** A feed a page advertises, offered to the user to follow. */
export interface FeedChoice {
  url: string;
  /** The link's own title ("Posts", "Comments"), when it has one. */
  title?: string;
  /** The format the link declares: `rss`, `atom`, `rdf`, `json`, else `unknown`. */
  type: string;
}

export interface PollSummary {
  checked: number;
  newPosts: number;
  failed: number;
}

/** What one sync did (`syncNow`), also kept in `storage.local` for the options page. */
export interface SyncReport {
  /** False when sync is off, or `storage.sync` failed (then `message` says why). */
  ok: boolean;
  /** When it ran (ms). */
  at: number;
  /** Bytes Dispatch's data takes in `storage.sync` after it (quota: 102,400). */
  bytes: number;
  /** Items written to `storage.sync` (quota: 512; 8,192 bytes each). */
  items: number;
  /** What did not fit and was left out of the synced copy (stays on this device). */
  dropped: { readStates: number; readingItems: number };
  /** In words: "Synced 12 blogs, 30 reading-list items and 500 read posts (41 KB of 100 KB)." */
  message: string;
}

/** Requests and responses, by message type. */
export interface Protocol {
  /** Find the feed at a site or feed URL, follow it and poll it at once. */
  subscribe: { request: { url: string }; response: SubscribeResult };
  /** Poll now: one feed, or every active feed when `feedId` is absent. */
  pollNow: {
    request: {
      feedId?: number;
      /**
       * Only the feeds whose time has come (blogs just imported or restored are due at once),
       * not every feed: others keep their backoff and learned intervals.
       */
      due?: boolean;
    };
    response: PollSummary;
  };
  /**
   * Reads a listing page: learns its cards, or applies `extractor` (the user's correction),
   * and answers the preview. Needs host access to the page's site.
   */
  previewListing: {
    request: { url: string; extractor?: ListingExtractor };
    response: ListingPreviewResult;
  };
  /** Follows a listing page with the extractor the user confirmed; stores its posts. */
  followListing: {
    request: { url: string; extractor: ListingExtractor };
    response: SubscribeResult;
  };
  /** Learns a followed listing page again (the drift alarm's one click); clears the drift. */
  relearnListing: { request: { feedId: number }; response: ListingUpdateResult };
  /** Stores the user's corrected extractor after checking it reads posts on the page now. */
  setListingExtractor: {
    request: { feedId: number; extractor: ListingExtractor };
    response: ListingUpdateResult;
  };
  /** Merge this browser's state with the synced copy now (pages send it after a change). */
  syncNow: { request: Record<string, never>; response: SyncReport };
}

export type MessageType = keyof Protocol;

interface Envelope<K extends MessageType = MessageType> {
  dispatch: K;
  data: Protocol[K]['request'];
}

export type Handlers = {
  [K in MessageType]: (data: Protocol[K]['request']) => Promise<Protocol[K]['response']>;
};

/** Sends a message to the service worker and resolves with its typed answer. */
export async function sendMessage<K extends MessageType>(
  type: K,
  data: Protocol[K]['request'],
): Promise<Protocol[K]['response']> {
  const envelope: Envelope<K> = { dispatch: type, data };
  const reply = (await browser.runtime.sendMessage(envelope)) as Reply<Protocol[K]['response']>;
  if (reply === undefined) throw new Error('Dispatch’s background service did not answer.');
  if ('failed' in reply) throw new Error(reply.failed);
  return reply.ok;
}

/**
 * What crosses the channel: the answer, or the failure in words. Errors travel as data, so a
 * page sees the worker's rejection the same way whether or not it runs the polyfill (pages use
 * the native API, the worker the polyfill: wxt.config.ts).
 */
type Reply<T> = { ok: T } | { failed: string };

function isEnvelope(message: unknown): message is Envelope {
  return typeof message === 'object' && message !== null && 'dispatch' in message;
}

/**
 * Attaches the worker's message listener. Privileged: only the extension's own pages may
 * call it (content scripts and other extensions are refused).
 */
export function registerMessageHandlers(
  handlers: Handlers,
  ready: Promise<unknown> = Promise.resolve(),
): void {
  browser.runtime.onMessage.addListener(
    (message: unknown, sender: Browser.runtime.MessageSender) => {
      if (!isEnvelope(message) || !(message.dispatch in handlers)) return undefined;
      if (!isFromExtensionPage(sender))
        return Promise.resolve<Reply<never>>({ failed: 'Refused: not an extension page' });
      const handler = handlers[message.dispatch] as (data: unknown) => Promise<unknown>;
      return ready
        .then(() => handler(message.data))
        .then(
          (ok): Reply<unknown> => ({ ok }),
          (error: unknown): Reply<never> => ({
            failed: error instanceof Error ? error.message : String(error),
          }),
        );
    },
  );
}

function isFromExtensionPage(sender: Browser.runtime.MessageSender): boolean {
  if (sender.id !== browser.runtime.id) return false;
  return !sender.tab || (sender.url ?? '').startsWith(browser.runtime.getURL('/'));
}
