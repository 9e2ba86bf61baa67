/**
 * The page script of the Chromium listing bench (`listing.browser.ts`), bundled into a small
 * measurement-only extension: the learned extractor applied with the browser's own
 * `DOMParser` and `querySelectorAll`, as an offscreen document would, next to our
 * `extractPosts`. Fields are read as `extractFromTree` reads them, and classes are normalized
 * first (`normalizeClasses`), since the extractor's paths name normalized classes. Opened with
 * `?offscreen` (as the offscreen document) it answers the worker's `listing-bench` messages.
 */
import {
  extractPosts,
  type FieldRole,
  type ListingExtractor,
  type ListingPost,
} from '@/utils/listing/extract';
import { learnExtractor } from '@/utils/listing/learn';
import { buildTree, normalizeClasses } from '@/utils/listing/tree';
import { safeHttpUrl } from '@/utils/url';
import { cardPosts } from './listing-card';

/** `DOMParser`, then every `class` normalized as our tree does. */
export function parseNormalized(html: string): Document {
  const document = new DOMParser().parseFromString(html, 'text/html');
  for (const element of document.querySelectorAll('[class]')) {
    element.setAttribute('class', normalizeClasses(element.getAttribute('class') ?? '').join(' '));
  }
  return document;
}

/** `extractPosts` with the browser's DOM. */
export function extractWithDom(
  html: string,
  pageUrl: string,
  extractor: ListingExtractor,
): ListingPost[] {
  const document = parseNormalized(html);
  const base =
    safeHttpUrl(document.querySelector('base[href]')?.getAttribute('href') ?? undefined, pageUrl) ||
    pageUrl;
  const fields = new Map<FieldRole, string>(
    extractor.fields.map((field) => [field.role, field.path ? `:scope > ${field.path}` : '']),
  );
  return cardPosts(
    document.querySelectorAll(extractor.cards),
    (card) => ({
      part: (role: FieldRole) => {
        const css = fields.get(role);
        if (css === undefined) return undefined;
        return css === '' ? card : (card.querySelector(css) ?? undefined);
      },
      text: (element: Element) => element.textContent ?? '',
      href: (link: Element) =>
        (link.localName === 'a' ? link : link.querySelector('a'))?.getAttribute('href') ??
        undefined,
      datetime: (date: Element) =>
        (date.hasAttribute('datetime') ? date : date.querySelector('[datetime]'))?.getAttribute(
          'datetime',
        ) ?? undefined,
    }),
    base,
    pageUrl,
  );
}

/** What the bench calls in the page (`globalThis.listingBench`). */
export const bench = {
  learn: (html: string, pageUrl: string): ListingExtractor => {
    const learned = learnExtractor(html, pageUrl);
    if (!learned.ok) throw new Error(learned.reason);
    return learned.extractor;
  },
  ours: (html: string, pageUrl: string, extractor: ListingExtractor) =>
    extractPosts(html, pageUrl, extractor).posts,
  dom: extractWithDom,
  buildTree: (html: string) => void buildTree(html),
  parse: (html: string) => void new DOMParser().parseFromString(html, 'text/html'),
  parseNormalized: (html: string) => void parseNormalized(html),
};

interface BenchMessage {
  type: 'listing-bench';
  html: string;
  pageUrl: string;
  extractor: ListingExtractor;
}

/** The one extension API the page uses (the bench's extension has no polyfill). */
declare const chrome: {
  runtime: {
    onMessage: {
      addListener(
        listener: (
          message: BenchMessage,
          sender: unknown,
          reply: (answer: unknown) => void,
        ) => boolean,
      ): void;
    };
  };
};

if (location.search === '?offscreen') {
  chrome.runtime.onMessage.addListener((message, _sender, reply) => {
    if (message?.type !== 'listing-bench') return false;
    reply(extractWithDom(message.html, message.pageUrl, message.extractor));
    return false;
  });
}
