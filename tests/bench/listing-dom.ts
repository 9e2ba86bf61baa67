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
  readDate,
  readMinutes,
  siteUrl,
  type FieldRole,
  type ListingExtractor,
  type ListingPost,
} from '@/utils/listing/extract';
import { learnExtractor } from '@/utils/listing/learn';
import { buildTree, normalizeClasses } from '@/utils/listing/tree';
import { safeHttpUrl } from '@/utils/url';

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
const cap = (text: string, length: number) =>
  text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text;

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
  const posts: ListingPost[] = [];
  const seen = new Set<string>();
  for (const card of document.querySelectorAll(extractor.cards)) {
    const part = (role: FieldRole): Element | undefined => {
      const css = fields.get(role);
      if (css === undefined) return undefined;
      return css === '' ? card : (card.querySelector(css) ?? undefined);
    };
    const text = (element: Element) => collapse(element.textContent ?? '');
    const link = part('link');
    const anchor = link && (link.localName === 'a' ? link : link.querySelector('a'));
    const url = link && siteUrl(anchor?.getAttribute('href') ?? undefined, base, pageUrl)?.href;
    const titleElement = part('title');
    const title = titleElement && cap(text(titleElement), 300);
    if (!url || !title || seen.has(url)) continue;
    seen.add(url);
    const post: ListingPost = { url, title, guid: url };
    const category = part('category');
    if (category && text(category)) post.category = cap(text(category), 80);
    const summary = part('summary');
    if (summary && text(summary)) post.summary = cap(text(summary), 500);
    const date = part('date');
    if (date) {
      const timed = date.hasAttribute('datetime') ? date : date.querySelector('[datetime]');
      const parsed = Date.parse(timed?.getAttribute('datetime') ?? '');
      const publishedAt = Number.isNaN(parsed) ? readDate(text(date)) : parsed;
      if (publishedAt !== undefined) post.publishedAt = publishedAt;
    }
    const reading = part('readingTime');
    const minutes = reading && readMinutes(text(reading));
    if (minutes) post.readingMinutes = minutes;
    posts.push(post);
  }
  return posts;
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
