/**
 * Reads the posts of a blog's listing page with a learned extractor (`learn.ts`), without a
 * DOM: the extractor is plain JSON (a card path and a path per field, `select.ts`), kept with
 * the blog and editable by the user (`withFieldRole`). `checkDrift` says in words when the
 * page no longer fits it.
 */
import { formatPath, parsePath, selectAll, selectFirst, type Step } from '@/utils/listing/select';
import {
  buildTree,
  textOf,
  walk,
  type ListingElement,
  type ListingTree,
} from '@/utils/listing/tree';
import { safeHttpUrl } from '@/utils/url';

export type FieldRole = 'link' | 'title' | 'category' | 'summary' | 'date' | 'readingTime';

export interface ExtractorField {
  role: FieldRole;
  /** Where the part is inside a card (`select.ts` syntax; `''` is the card itself). */
  path: string;
  /** What it read on the page it was learned from, to show the user. */
  sample?: string;
}

/** A learned extractor: data, stored with the blog and shown in words (`describeExtractor`). */
export interface ListingExtractor {
  version: 1;
  /** Where the cards are, e.g. `main > div.grid > article.card`. */
  cards: string;
  /** One field per role; `link` and `title` are what make a card a post. */
  fields: ExtractorField[];
  /** How many posts it read on the page it was learned from. */
  count: number;
}

export interface ListingPost {
  /** Absolute http(s) URL on the listing's site, fragment and tracking parameters removed. */
  url: string;
  title: string;
  category?: string;
  summary?: string;
  /** Milliseconds, UTC. */
  publishedAt?: number;
  /** From an "N min read" label. */
  readingMinutes?: number;
  /** The URL: a listing gives posts no other identity. */
  guid: string;
}

export interface ExtractResult {
  posts: ListingPost[];
  /** Elements the card path matched. */
  cards: number;
  /** Cards without a usable link (http(s), same site) or title. */
  incomplete: number;
  /** What went wrong, in words. */
  problems: string[];
}

const MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ');
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
/** `2024-01-05`, `2024/1/5`, `Jan 5, 2024`, `January 5th 2024`, `5 Jan 2024`. */
const DATE = new RegExp(
  `\\b(?:(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})|${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})|(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4}))\\b`,
  'i',
);
/** `2 min read`, `5 minute read`, `10-minute read`, `4 mins`, `6 min · Author`. */
const READING = /\b(\d{1,3})\s*-?\s*min(?:ute)?s?\.?(?:\s+read\b|\s*(?:$|[·|•,–—]))/i;
const TRACKING = /^(?:utm_\w+|source|ref|fbclid|gclid|mc_cid|mc_eid)$/i;

/** A date written in `text` (ms, UTC), if any. */
export function readDate(text: string): number | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const month = (name: string | undefined) =>
    MONTHS.indexOf((name ?? '').slice(0, 3).toLowerCase());
  const [y, mo, d] = m[1]
    ? [m[1], Number(m[2]) - 1, m[3]]
    : m[4]
      ? [m[6], month(m[4]), m[5]]
      : [m[9], month(m[8]), m[7]];
  const time = Date.UTC(Number(y), mo, Number(d));
  return mo >= 0 && mo < 12 && Number(d) >= 1 && Number(d) <= 31 ? time : undefined;
}

/** The minutes of an "N min read" label in `text`, if any. */
export function readMinutes(text: string): number | undefined {
  const minutes = Number(READING.exec(text)?.[1]);
  return minutes > 0 ? minutes : undefined;
}

/** The matched "N min read" words in `text`. */
export function readingLabel(text: string): string | undefined {
  return READING.exec(text)?.[0].replace(/[\s·|•,–—]+$/, '');
}

const host = (url: URL) => url.hostname.replace(/^www\./, '');

/**
 * `href` as a post address on `pageUrl`'s site: resolved against `base`, http(s) only, same
 * host (ignoring `www.`), without fragment or tracking parameters. `undefined` otherwise.
 */
export function siteUrl(href: string | undefined, base: string, pageUrl: string): URL | undefined {
  const absolute = safeHttpUrl(href, base);
  if (!absolute) return undefined;
  const url = new URL(absolute);
  if (host(url) !== host(new URL(pageUrl))) return undefined;
  url.hash = '';
  // (A copy: deleting while iterating the live keys would skip some.)
  for (const key of new Set(url.searchParams.keys())) {
    if (TRACKING.test(key)) url.searchParams.delete(key);
  }
  return url;
}

/** The URL links on the page resolve against: its `<base href>`, else the page. */
export function baseOf(tree: ListingTree, pageUrl: string): string {
  return (tree.base !== undefined && safeHttpUrl(tree.base, pageUrl)) || pageUrl;
}

/** The element's own `href`, or that of the first link inside it. */
export function hrefOf(element: ListingElement): string | undefined {
  let href = element.tag === 'a' ? element.attrs.href : undefined;
  if (href === undefined)
    walk(element, (inner) => (href = inner.tag === 'a' ? inner.attrs.href : undefined));
  return href;
}

/** The date of a date element: its (or an inner `<time>`'s) `datetime`, else its text. */
export function dateOf(element: ListingElement): number | undefined {
  let datetime = element.attrs.datetime;
  if (datetime === undefined) walk(element, (inner) => (datetime = inner.attrs.datetime));
  const parsed = datetime ? Date.parse(datetime) : NaN;
  return Number.isNaN(parsed) ? readDate(textOf(element)) : parsed;
}

const cap = (text: string, length: number) =>
  text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text;

/** Extracts the posts of `html` (the page at `pageUrl`) with `extractor`. */
export function extractPosts(
  html: string,
  pageUrl: string,
  extractor: ListingExtractor,
): ExtractResult {
  return extractFromTree(buildTree(html), pageUrl, extractor);
}

/** `extractPosts` on a tree already built (learning reads the page it learned from). */
export function extractFromTree(
  tree: ListingTree,
  pageUrl: string,
  extractor: ListingExtractor,
): ExtractResult {
  const result: ExtractResult = { posts: [], cards: 0, incomplete: 0, problems: [] };
  const cardSteps = parsePath(extractor.cards);
  if (!cardSteps?.length) {
    result.problems.push(`The card path "${extractor.cards}" cannot be read.`);
    return result;
  }
  const fields = new Map<FieldRole, Step[]>();
  for (const field of extractor.fields) {
    const steps = parsePath(field.path);
    if (steps) fields.set(field.role, steps);
    else result.problems.push(`The ${field.role} path "${field.path}" cannot be read.`);
  }
  const base = baseOf(tree, pageUrl);
  const seen = new Set<string>();
  const cards = selectAll(tree.root, cardSteps);
  let noLink = 0;
  let noTitle = 0;
  for (const card of cards) {
    const part = (role: FieldRole) => {
      const steps = fields.get(role);
      return steps && selectFirst(card, steps);
    };
    const linkElement = part('link');
    const url = linkElement && siteUrl(hrefOf(linkElement), base, pageUrl)?.href;
    const titleElement = part('title');
    const title = titleElement && cap(textOf(titleElement), 300);
    if (!url) noLink += 1;
    if (!title) noTitle += 1;
    if (!url || !title) {
      result.incomplete += 1;
      continue;
    }
    if (seen.has(url)) continue;
    seen.add(url);
    const post: ListingPost = { url, title, guid: url };
    const category = part('category');
    if (category && textOf(category)) post.category = cap(textOf(category), 80);
    const summary = part('summary');
    if (summary && textOf(summary)) post.summary = cap(textOf(summary), 500);
    const date = part('date');
    const publishedAt = date && dateOf(date);
    if (publishedAt !== undefined) post.publishedAt = publishedAt;
    const reading = part('readingTime');
    const minutes = reading && readMinutes(textOf(reading));
    if (minutes) post.readingMinutes = minutes;
    result.posts.push(post);
  }
  result.cards = cards.length;
  if (!cards.length) result.problems.push(`No cards matched "${extractor.cards}".`);
  if (noLink) result.problems.push(`${plural(noLink, 'card')} had no link to a post on this site.`);
  if (noTitle) result.problems.push(`${plural(noTitle, 'card')} had no title.`);
  return result;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * Whether the page no longer fits its extractor, in words: no cards, more than a third of them
 * without title or link, or fewer than half the posts of the previous read (`previousCount`).
 */
export function checkDrift(
  previousCount: number,
  result: ExtractResult,
): { reason: string } | undefined {
  const layout = 'the page layout may have changed';
  if (result.cards === 0 || result.posts.length === 0) {
    return { reason: `No posts were found on the listing page: ${layout}.` };
  }
  if (result.incomplete * 3 > result.cards) {
    return {
      reason: `${result.incomplete} of ${result.cards} cards on the listing page have no title or link: ${layout}.`,
    };
  }
  if (result.posts.length * 2 < previousCount) {
    return {
      reason: `Only ${plural(result.posts.length, 'post')} were found on the listing page, where there were ${previousCount}: ${layout}.`,
    };
  }
  return undefined;
}

/**
 * The user's edit "the part at `path` is the `role`" (`'none'`: "it is nothing"): that role
 * moves to `path`; another role on the same path goes, except the pairs that may share an
 * element (a title that is the link, a date next to the reading time). Throws a `TypeError`
 * for a path that is not one of ours.
 */
export function withFieldRole(
  extractor: ListingExtractor,
  path: string,
  role: FieldRole | 'none',
): ListingExtractor {
  const steps = parsePath(path);
  if (!steps) throw new TypeError(`Not a card part: "${path}"`);
  const normalized = formatPath(steps);
  const shares = (other: FieldRole) =>
    role !== 'none' &&
    `${role} ${other}`.match(/^(?:link title|title link|date readingTime|readingTime date)$/);
  const fields = extractor.fields.filter(
    (field) => field.role !== role && (field.path !== normalized || shares(field.role)),
  );
  if (role !== 'none') fields.push({ role, path: normalized });
  return { ...extractor, fields };
}
