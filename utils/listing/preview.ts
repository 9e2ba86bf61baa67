/**
 * What following a listing page would give (issue 6), for the user to check before confirming
 * and to correct ("this is the category"): the posts found, a one-line summary, the extractor
 * in words and the parts of the first card with the role each plays. Pure and worker-safe.
 */
import { parseHtml } from '@/utils/html/parser';
import {
  baseOf,
  extractFromTree,
  type FieldRole,
  type ListingExtractor,
  type ListingPost,
} from '@/utils/listing/extract';
import { describeExtractor, learnExtractor } from '@/utils/listing/learn';
import {
  formatPath,
  nthOfType,
  parsePath,
  selectAll,
  selectFirst,
  type Step,
} from '@/utils/listing/select';
import {
  buildTree,
  textOf,
  walk,
  type ListingElement,
  type ListingTree,
} from '@/utils/listing/tree';
import type { CardPart, ListingPreview, PreviewPost } from '@/utils/messaging';
import { cleanTitle } from '@/utils/poll/to-posts';
import { safeHttpUrl } from '@/utils/url';
import { truncateText } from '@/utils/text';

/** Posts a preview lists. */
export const PREVIEW_POSTS = 10;

/** Card parts offered at most: a card is a handful of them, more is a page section. */
export const MAX_CARD_PARTS = 20;
/** A card part's text as shown, in code points. */
const PART_TEXT_CHARS = 80;
/** Categories a summary names; the rest are counted. */
const NAMED_CATEGORIES = 4;
/** Cards compared to keep a part's classes (those every card has at that place). */
const COMPARED_CARDS = 50;
/**
 * When one element plays several roles (a title that is the link, a date beside the reading
 * time), the one shown: the link goes without saying when it is also the title.
 */
const ROLE_ORDER: FieldRole[] = ['title', 'category', 'summary', 'date', 'readingTime', 'link'];

const plural = (count: number, noun: string, nouns = `${noun}s`) =>
  `${count} ${count === 1 ? noun : nouns}`;

/** The posts' categories, de-duplicated case-insensitively (first spelling), in page order. */
function categoriesOf(posts: readonly ListingPost[]): string[] {
  const seen = new Map<string, string>();
  for (const { category } of posts) {
    const name = category?.trim();
    if (name && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  }
  return [...seen.values()];
}

/**
 * "9 posts in 2 categories: State Space Model, Transformer"; "1 post in 1 category: X";
 * "4 posts, without categories"; more than 4 categories: "in 7 categories: A, B, C, D and 3
 * more". Categories in order of first appearance.
 */
export function previewSummary(posts: readonly ListingPost[]): string {
  const count = plural(posts.length, 'post');
  const categories = categoriesOf(posts);
  if (!categories.length) return `${count}, without categories`;
  const named = categories.slice(0, NAMED_CATEGORIES).join(', ');
  const rest = categories.length - NAMED_CATEGORIES;
  return `${count} in ${plural(categories.length, 'category', 'categories')}: ${named}${
    rest > 0 ? ` and ${rest} more` : ''
  }`;
}

/** The page's `<title>`, whitespace collapsed, entities decoded; `undefined` when empty. */
export function pageTitle(html: string): string | undefined {
  let title: string | undefined;
  /** Open `<svg>` elements: an SVG's `<title>` names the drawing, not the page. */
  let svg = 0;
  parseHtml(html, {
    open(name) {
      if (name === 'svg') svg += 1;
      else if (name === 'title' && svg === 0) title = '';
    },
    close(name) {
      if (name === 'svg') svg = Math.max(0, svg - 1);
      else if (name === 'title' && title !== undefined) this.stopped = true;
    },
    text(text) {
      // (Capped as a stored title is: a title holding a whole article stops being read.)
      if (title !== undefined && title.length < 4_000) title += text;
    },
  });
  return (title && cleanTitle(title)) || undefined;
}

/** Whether `element` has text of its own, outside its child elements. */
const hasOwnText = (element: ListingElement): boolean =>
  element.content.some((part) => typeof part === 'string' && part.trim() !== '');

/**
 * The role each element of `card` plays for `extractor` (the first in `ROLE_ORDER`), with the
 * field's path: the part keeps it, so that `withFieldRole` on the part changes that field.
 */
function rolesIn(card: ListingElement, extractor: ListingExtractor) {
  const roles = new Map<ListingElement, { role: FieldRole; path: string }>();
  for (const role of ROLE_ORDER) {
    const field = extractor.fields.find((f) => f.role === role);
    const steps = field && parsePath(field.path);
    const element = steps && selectFirst(card, steps);
    if (element && !roles.has(element)) roles.set(element, { role, path: formatPath(steps) });
  }
  return roles;
}

/**
 * The path from `card` down to `part` as an extractor field would store it: each step's tag
 * with the classes (at most two) the same place has in the other `cards`, and tag positions
 * only when the path would select another element without them.
 */
function partPath(
  card: ListingElement,
  part: ListingElement,
  cards: readonly ListingElement[],
): string {
  const chain: ListingElement[] = [];
  for (let at = part; at !== card && at.parent; at = at.parent) chain.unshift(at);
  const placed: Step[] = chain.map((at) => ({
    tag: at.tag,
    classes: [],
    not: [],
    nth: nthOfType(at),
  }));
  const alike = cards
    .slice(0, COMPARED_CARDS)
    .map((other) => (other === card ? part : selectFirst(other, placed)));
  const steps = chain.map((at, index) => {
    const ancestors = alike
      .filter((found) => found !== undefined)
      .map((found) => ancestorAt(found, chain.length - 1 - index));
    const classes = at.classes.filter((name) =>
      ancestors.every((other) => other?.classes.includes(name)),
    );
    return { ...placed[index]!, classes: classes.slice(0, 2) };
  });
  const loose = steps.map((step) => ({ ...step, nth: undefined }));
  const fits = cards
    .slice(0, COMPARED_CARDS)
    .every((other, index) => !alike[index] || selectFirst(other, loose) === alike[index]);
  return formatPath(fits ? loose : steps);
}

/** The ancestor `levels` above `element` (`0`: itself). */
function ancestorAt(element: ListingElement, levels: number): ListingElement | undefined {
  let at: ListingElement | undefined = element;
  for (let n = 0; n < levels && at; n += 1) at = at.parent;
  return at;
}

/** A link shown by its address on the site (`/blog/post`), else as written. */
function linkText(href: string, base: string): string {
  const url = safeHttpUrl(href, base);
  if (!url) return href.trim();
  const { origin, pathname, search } = new URL(url);
  return origin === new URL(base).origin ? `${pathname}${search}` : url;
}

/** `cardParts` on a tree already built. */
function partsOfTree(tree: ListingTree, pageUrl: string, extractor: ListingExtractor) {
  const steps = parsePath(extractor.cards);
  const cards = steps?.length ? selectAll(tree.root, steps) : [];
  const [card] = cards;
  if (!card) return [];
  const roles = rolesIn(card, extractor);
  const base = baseOf(tree, pageUrl);
  const parts: CardPart[] = [];
  const visit = (element: ListingElement): boolean => {
    const { role, path } = roles.get(element) ?? {};
    const text = textOf(element);
    const href = element.tag === 'a' ? element.attrs.href?.trim() : undefined;
    const shown =
      element === card
        ? hasOwnText(element)
        : hasOwnText(element) || !!href || (role !== undefined && text !== '');
    if (!shown) return false;
    parts.push({
      path: path ?? (element === card ? '' : partPath(card, element, cards)),
      text: truncateText(text || linkText(href ?? '', base), PART_TEXT_CHARS),
      ...(role ? { role } : {}),
    });
    return parts.length >= MAX_CARD_PARTS;
  };
  if (!visit(card)) walk(card, visit);
  return parts;
}

/**
 * The parts of the first card `extractor` matches on the page: each element with its own text
 * or a link, with the role it plays now, in document order, at most 20; `[]` when no card matches.
 */
export function cardParts(html: string, pageUrl: string, extractor: ListingExtractor): CardPart[] {
  return partsOfTree(buildTree(html), pageUrl, extractor);
}

const toPreviewPost = ({ title, url, category, readingMinutes, publishedAt }: ListingPost) => {
  const post: PreviewPost = { title, url };
  if (category !== undefined) post.category = category;
  if (readingMinutes !== undefined) post.readingMinutes = readingMinutes;
  if (publishedAt !== undefined) post.publishedAt = publishedAt;
  return post;
};

/** The posts of `tree` with `extractor`, or why there are none, in words. */
function readWith(tree: ListingTree, pageUrl: string, extractor: ListingExtractor) {
  const result = extractFromTree(tree, pageUrl, extractor);
  if (result.posts.length > 0) {
    return {
      ok: true as const,
      extractor: { ...extractor, count: result.posts.length },
      ...result,
    };
  }
  const problems = result.problems.length ? `: ${result.problems.join(' ')}` : '.';
  return {
    ok: false as const,
    message: `With these choices no post is found on the page${problems}`,
  };
}

/**
 * The preview of `html` at `pageUrl`: learned (no `extractor`) or read with the given one.
 * `ok: false` with the reason in words when it gives no post.
 */
export function buildPreview(
  html: string,
  pageUrl: string,
  extractor?: ListingExtractor,
): { ok: true; preview: ListingPreview; posts: ListingPost[] } | { ok: false; message: string } {
  const tree = buildTree(html);
  let read: { extractor: ListingExtractor; posts: ListingPost[] };
  if (extractor) {
    const result = readWith(tree, pageUrl, extractor);
    if (!result.ok) return result;
    read = result;
  } else {
    const learned = learnExtractor(html, pageUrl);
    if (!learned.ok) return { ok: false, message: learned.reason };
    read = learned;
  }
  const { posts } = read;
  const preview: ListingPreview = {
    url: pageUrl,
    title: pageTitle(html) ?? new URL(pageUrl).hostname,
    extractor: read.extractor,
    summary: previewSummary(posts),
    description: describeExtractor(read.extractor),
    posts: posts.slice(0, PREVIEW_POSTS).map(toPreviewPost),
    count: posts.length,
    parts: partsOfTree(tree, pageUrl, read.extractor),
  };
  return { ok: true, preview, posts };
}
