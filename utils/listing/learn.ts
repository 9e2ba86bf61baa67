/**
 * Learns how to read the posts of a blog that has no feed from its listing page, locally and
 * without a DOM: finds the repeated post cards (sibling elements of one shape, each linking to
 * one post on the same site, with a title, and maybe a category, summary, date and "N min
 * read"), and keeps what it found as data (`ListingExtractor`), which `describeExtractor` puts
 * in words and `withFieldRole` lets the user correct.
 */
import {
  baseOf,
  extractFromTree,
  readDate,
  readingLabel,
  readMinutes,
  siteUrl,
  type ExtractorField,
  type FieldRole,
  type ListingExtractor,
  type ListingPost,
} from '@/utils/listing/extract';
import {
  formatPath,
  formatStep,
  matchesStep,
  nthOfType,
  parsePath,
  selectAll,
  selectFirst,
  type Step,
} from '@/utils/listing/select';
import {
  buildTree,
  isWithin,
  textOf,
  walk,
  type ListingElement,
  type ListingTree,
} from '@/utils/listing/tree';

export type LearnResult =
  { ok: true; extractor: ListingExtractor; posts: ListingPost[] } | { ok: false; reason: string };

type El = ListingElement;

interface Card {
  /** The sibling that was grouped… */
  top: El;
  /** …and the card itself, below wrappers that hold nothing else. */
  el: El;
  url: string;
  heading: boolean;
  parts: Partial<Record<FieldRole, El>>;
  /** How surely `parts.category` is one: 3 a category link, 2 a class name, 1 its place. */
  categoryScore: number;
}

interface Context {
  base: string;
  pageUrl: string;
  /** The listing's own path, without trailing slash. */
  pagePath: string;
}

const MIN_CARDS = 3;
/** Cards must hold this share of the page's text, else they are a side list (related posts). */
const MIN_TEXT_SHARE = 0.2;
const HEADING = /^h[1-6]$/;
const NOT_POST_DIR =
  /^(?:tags?|categor(?:y|ies)|topics?|labels?|authors?|users?|people|page|search)$/i;
const NOT_POST_LAST =
  /^(?:archives?|about|contact|privacy|terms|feed|rss|subscribe|log-?in|sign-?in|sign-?up|register|account|newsletter)$/i;
const FILE = /\.(?:jpe?g|png|gif|webp|avif|svg|pdf|zip|xml|json|rss|atom|mp[34]|css|js)$/i;
const LISTING_QUERY = /[?&](?:page|paged|s|q|sort|tag|category)=/i;
const READ_MORE = /^(?:read|continue|more|view|see|full|keep)\b|^[»›→…\s]+$/i;
const CATEGORY_HINT = /cat|tag|topic|label|badge|kicker|eyebrow|genre|pill|chip|section/i;
const CATEGORY_LINK = /\/(?:categor(?:y|ies)|tags?|topics?|labels?)\/|\b(?:category|tag)\b/i;
const AUTHOR = /author|byline|avatar|\/@|\/authors?\//i;

/** `href` as a link to a post: same site, not the listing, not a tag/category/author/page. */
function postUrl(href: string | undefined, context: Context): string | undefined {
  const url = siteUrl(href, context.base, context.pageUrl);
  if (!url || FILE.test(url.pathname) || LISTING_QUERY.test(url.search)) return undefined;
  const segments = url.pathname.split('/').filter(Boolean);
  const last = segments.at(-1) ?? '';
  if (
    segments.some((segment) => NOT_POST_DIR.test(segment)) ||
    NOT_POST_LAST.test(last) ||
    (segments.length === 1 && last.startsWith('@')) ||
    segments.every((segment) => /^\d+$/.test(segment))
  ) {
    // (No segment at all is the home page, unless a `?p=123` permalink.)
    if (segments.length || !/[?&]p=\d/.test(url.search)) return undefined;
  }
  const path = `/${segments.join('/')}`;
  if (!url.search && (path === context.pagePath || context.pagePath.startsWith(`${path}/`))) {
    return undefined;
  }
  return url.href;
}

/** Text in `element` that flows with its inline content (a paragraph's, not its blocks'). */
function inlineLength(element: El): number {
  let length = 0;
  for (const part of element.content) {
    if (typeof part === 'string') length += part.trim().length;
    else if (
      !HEADING.test(part.tag) &&
      !/^(?:p|div|ul|ol|li|section|article|header|footer|figure)$/.test(part.tag)
    ) {
      length += textOf(part).length;
    }
  }
  return length;
}

/** The deepest element in `card` whose text passes `test`, none of its children's does. */
const isInnermost = (element: El, test: (text: string) => unknown): boolean =>
  !!test(textOf(element)) && !element.children.some((child) => test(textOf(child)));

/**
 * Reads `element` as a post card: exactly one post link (any number of anchors to it), a
 * title (a heading, else the link's text when it stands alone, not inside a sentence), and
 * what else it shows. `undefined` when it is no card.
 */
function inspect(element: El, context: Context): Card | undefined {
  const links = new Map<string, El[]>();
  const add = (anchor: El): boolean => {
    if (anchor.tag !== 'a') return false;
    const url = postUrl(anchor.attrs.href, context);
    if (url) links.set(url, [...(links.get(url) ?? []), anchor]);
    return links.size > 4;
  };
  if (add(element) || walk(element, add)) return undefined;
  // A link below another is part of that post (`/p/slug/comments`).
  const urls = [...links.keys()];
  const main = urls.filter(
    (url) => !urls.some((other) => other !== url && url.startsWith(`${other.replace(/\/$/, '')}/`)),
  );
  if (main.length !== 1) return undefined;
  const url = main[0]!;
  const anchors = links.get(url)!;
  // The heading of the link, the most important first; else the first heading.
  const headings: El[] = HEADING.test(element.tag) ? [element] : [];
  walk(element, (inner) => HEADING.test(inner.tag) && headings.push(inner) > 8);
  const linked = headings
    .filter((h) => textOf(h) && anchors.some((a) => isWithin(a, h) || isWithin(h, a)))
    .sort((a, b) => a.tag.localeCompare(b.tag));
  let title: El | undefined = linked[0] ?? headings.find((h) => textOf(h));
  const heading = title !== undefined;
  if (!title) {
    // The link named as the title, else the first with words (a description comes later).
    const named = anchors.filter((a) => textOf(a).length >= 3 && !READ_MORE.test(textOf(a)));
    const anchor =
      named.find((a) => /title|headline/i.test(`${a.classes} ${a.attrs.itemprop}`)) ?? named[0];
    if (!anchor) return undefined;
    const text = textOf(anchor);
    const around =
      anchor === element || !anchor.parent ? 0 : inlineLength(anchor.parent) - text.length;
    if (text.length < 3 || READ_MORE.test(text) || around > text.length + 40) return undefined;
    title = anchor;
  }
  const titleText = textOf(title);
  if (!titleText || titleText.length > 300 || READ_MORE.test(titleText)) return undefined;
  const titleElement = title;
  const link =
    anchors.find((a) => isWithin(a, titleElement) || isWithin(titleElement, a)) ?? anchors[0]!;
  const card: Card = {
    top: element,
    el: element,
    url,
    heading,
    parts: { link, title },
    categoryScore: 0,
  };
  readParts(card, titleElement, context);
  return card;
}

/** Finds the date, reading time, category and summary of `card`. */
function readParts(card: Card, title: El, context: Context): void {
  const { parts } = card;
  const outsideTitle = (inner: El) => !isWithin(inner, title) && !isWithin(title, inner);
  const short = (text: string) => text.length <= 60;
  walk(card.el, (inner) => {
    if (inner.tag === 'time' || inner.attrs.datetime || /date/i.test(inner.attrs.itemprop ?? '')) {
      parts.date ??= inner;
    }
  });
  walk(card.el, (inner) => {
    if (!outsideTitle(inner)) return;
    if (isInnermost(inner, (t) => short(t) && readDate(t) !== undefined)) parts.date ??= inner;
    if (isInnermost(inner, (t) => short(t) && readMinutes(t))) parts.readingTime ??= inner;
  });
  const isField = (inner: El) =>
    [parts.date, parts.readingTime].some(
      (part) => part && (isWithin(part, inner) || isWithin(inner, part)),
    );
  let beforeTitle = true;
  let summaryLength = 39;
  walk(card.el, (inner) => {
    if (inner === title) beforeTitle = false;
    const text = textOf(inner);
    if (!text || !outsideTitle(inner) || isField(inner)) return;
    // A summary is running text: its own, not that of blocks inside it.
    const length = inlineLength(inner);
    if (length > summaryLength) {
      parts.summary = inner;
      summaryLength = length;
    }
    if (
      text.length < 2 ||
      text.length > 40 ||
      text.split(' ').length > 5 ||
      /^\d+$/.test(text) ||
      READ_MORE.test(text) ||
      inner.children.some((child) => textOf(child) === text)
    ) {
      return;
    }
    const classes = `${inner.classes.join(' ')} ${inner.parent?.classes.join(' ') ?? ''}`;
    const href = inner.tag === 'a' ? (inner.attrs.href ?? '') : '';
    let around = href;
    for (let at: El | undefined = inner; !around && at && at !== card.el; at = at.parent) {
      around = at.tag === 'a' ? (at.attrs.href ?? '') : '';
    }
    if (
      AUTHOR.test(classes) ||
      AUTHOR.test(around) ||
      (href && postUrl(href, context) === card.url)
    ) {
      return;
    }
    const score = CATEGORY_LINK.test(`${href} ${inner.attrs.rel ?? ''}`)
      ? 3
      : CATEGORY_HINT.test(classes)
        ? 2
        : beforeTitle && !href
          ? 1
          : 0;
    if (score > card.categoryScore) {
      parts.category = inner;
      card.categoryScore = score;
    }
  });
}

/** The steps from `card` down to `part`, every one with its tag position (`[]`: the card). */
function pathOf(card: El, part: El): Step[] {
  const steps: Step[] = [];
  for (let at = part; at !== card && at.parent; at = at.parent) {
    steps.unshift({ tag: at.tag, classes: at.classes, not: [], nth: nthOfType(at) });
  }
  return steps;
}

/** Classes every list has (in the first one's order), at most `max`. */
const shared = (lists: string[][], max: number): string[] =>
  lists[0]!.filter((name) => lists.every((list) => list.includes(name))).slice(0, max);
const classesOf = (elements: El[]) => elements.map((element) => element.classes);

/** The path most cards agree on for `role`, with how many cards it reads right. */
function votePath(cards: Card[], role: FieldRole): { path: Step[]; voters: Card[] } | undefined {
  const votes = new Map<string, { cards: Card[]; paths: Step[][] }>();
  for (const card of cards) {
    const part = card.parts[role];
    if (!part) continue;
    const path = pathOf(card.el, part);
    const key = path.map((step) => `${step.tag}:${step.nth}`).join('>');
    const vote = votes.get(key) ?? { cards: [], paths: [] };
    vote.cards.push(card);
    vote.paths.push(path);
    votes.set(key, vote);
  }
  let best: { cards: Card[]; paths: Step[][] } | undefined;
  for (const vote of votes.values())
    if (!best || vote.cards.length > best.cards.length) best = vote;
  if (!best) return undefined;
  const { cards: voters, paths } = best;
  const withNth = paths[0]!.map((step, index) => ({
    ...step,
    classes: shared(
      paths.map((path) => path[index]!.classes),
      2,
    ),
  }));
  const withoutNth = withNth.map((step) => ({ ...step, nth: undefined }));
  const right = (path: Step[]) =>
    voters.filter((card) => selectFirst(card.el, path) === card.parts[role]).length;
  const path = right(withoutNth) >= right(withNth) ? withoutNth : withNth;
  return { path, voters: voters.filter((card) => selectFirst(card.el, path) === card.parts[role]) };
}

/** A step for an ancestor of the cards: `main` and `body` by tag, others by two classes. */
const ancestorStep = (element: El): Step => ({
  tag: element.tag,
  classes: /^(?:html|body|main)$/.test(element.tag) ? [] : element.classes.slice(0, 2),
  not: [],
});

/** The card path: from the cards up through their ancestors until it matches nothing else. */
function cardPath(tree: ListingTree, cards: Card[]): Step[] {
  const tops = cards.map((card) => card.top);
  const parent = tops[0]!.parent!;
  const top: Step = { tag: tops[0]!.tag, classes: shared(classesOf(tops), 2), not: [] };
  for (const sibling of parent.children) {
    if (tops.includes(sibling) || !matchesStep(sibling, top) || top.not.length >= 3) continue;
    const excluding = sibling.classes.find((name) => !tops.some((t) => t.classes.includes(name)));
    if (excluding && !top.not.includes(excluding)) top.not.push(excluding);
  }
  const steps = [top];
  // The wrappers descended through, level by level (as deep in every card).
  for (let level = cards.map((card) => card.el); !tops.includes(level[0]!);) {
    steps.splice(1, 0, { tag: level[0]!.tag, classes: shared(classesOf(level), 3), not: [] });
    level = level.map((el) => el.parent!);
  }
  for (
    let at: El | undefined = parent;
    at && at !== tree.root && steps.length < 6;
    at = at.parent
  ) {
    steps.unshift(ancestorStep(at));
    if (at.tag === 'main' || at.tag === 'body') break;
    if (selectAll(tree.root, steps).every((el) => isWithin(el, parent))) break;
  }
  return steps;
}

interface Group {
  cards: Card[];
  score: number;
  /** Share of the page's text in cards of this shape (all rows of a grid together). */
  share: number;
}

/** The groups of sibling cards on the page, each scored, best first. */
function findGroups(tree: ListingTree, context: Context): Group[] {
  const found: (Group & { key: string; text: number })[] = [];
  const visit = (parent: El): void => {
    const byTag = new Map<string, El[]>();
    for (const child of parent.children) {
      byTag.set(child.tag, [...(byTag.get(child.tag) ?? []), child]);
    }
    for (const siblings of byTag.values()) {
      if (siblings.length < MIN_CARDS) continue;
      let cards = siblings
        .map((sibling) => inspect(sibling, context))
        .filter((card) => card !== undefined);
      // Tolerance: classes most cards share make the shape; the odd one out is no card.
      const counts = new Map<string, number>();
      for (const card of cards) {
        for (const name of card.top.classes) counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      const core = [...counts].filter(([, n]) => n >= 0.6 * cards.length).map(([name]) => name);
      if (core.length) {
        cards = cards.filter((card) => core.some((name) => card.top.classes.includes(name)));
      }
      if (new Set(cards.map((card) => card.url)).size < MIN_CARDS) continue;
      descend(cards);
      const n = cards.length;
      const share = (role: FieldRole) => cards.filter((card) => card.parts[role]).length / n;
      let inMain = false;
      for (let at: El | undefined = parent; at; at = at.parent) inMain ||= at.tag === 'main';
      const score =
        Math.log2(n) +
        (2 * cards.filter((card) => card.heading).length) / n +
        share('date') +
        share('summary') +
        0.5 * share('category') +
        0.5 * share('readingTime') +
        (inMain ? 1 : 0);
      const key = [parent, cards[0]!.top].map((e) => `${e.tag}.${e.classes.join('.')}`).join('>');
      const text = cards.reduce((sum, card) => sum + textOf(card.top).length, 0);
      found.push({ cards, score, share: 0, key, text });
    }
    for (const child of parent.children) visit(child);
  };
  visit(tree.root);
  const pageText = textOf(tree.root).length || 1;
  const textByKey = new Map<string, number>();
  for (const { key, text } of found) textByKey.set(key, (textByKey.get(key) ?? 0) + text);
  for (const group of found) {
    group.share = textByKey.get(group.key)! / pageText;
    group.score += 3 * Math.min(1, group.share);
  }
  return found.sort((a, b) => b.score - a.score);
}

/** Moves each card below wrappers that hold nothing else (`li > article`, `div.col > div.card`). */
function descend(cards: Card[]): void {
  for (;;) {
    const next = cards.map((card) => {
      const [only] = card.el.children;
      return card.el.children.length === 1 &&
        card.el.tag !== 'article' &&
        card.el !== card.parts.link &&
        card.el !== card.parts.title &&
        textOf(only!) === textOf(card.el)
        ? only
        : undefined;
    });
    if (next.some((el) => !el || el.tag !== next[0]!.tag)) return;
    cards.forEach((card, index) => (card.el = next[index]!));
  }
}

/**
 * Learns how to read the posts of the listing page `html` at `pageUrl`: the best group of at
 * least three sibling cards (by count, fields found, share of the page's text, place in
 * `<main>`), as an extractor, with the posts it reads there. `ok: false` with the reason in
 * words when the page has no such list (an article, a login page).
 */
export function learnExtractor(html: string, pageUrl: string): LearnResult {
  const tree = buildTree(html);
  const context: Context = {
    base: baseOf(tree, pageUrl),
    pageUrl,
    pagePath: new URL(pageUrl).pathname.replace(/\/+$/, '') || '/',
  };
  const groups = findGroups(tree, context);
  const best = groups.find((group) => group.share >= MIN_TEXT_SHARE);
  if (!best) {
    return {
      ok: false,
      reason: groups.length
        ? 'This page looks like an article, not a list of posts: its only links to posts are a short side list.'
        : 'No list of posts was found on this page: it has no three or more similar blocks that each link to one post on this site.',
    };
  }
  const fields: ExtractorField[] = [];
  for (const role of ['link', 'title', 'category', 'summary', 'date', 'readingTime'] as const) {
    const vote = votePath(best.cards, role);
    if (
      !vote ||
      (role !== 'link' && role !== 'title' && vote.voters.length < 0.3 * best.cards.length)
    ) {
      continue;
    }
    const values = vote.voters.map((card) => textOf(card.parts[role]!));
    // A label known only by its place is a category when cards share its values.
    if (
      role === 'category' &&
      vote.voters.every((card) => card.categoryScore < 2) &&
      new Set(values).size === values.length
    ) {
      continue;
    }
    const first = values[0]!;
    const sample = role === 'readingTime' ? readingLabel(first) : first;
    fields.push({
      role,
      path: formatPath(vote.path),
      ...(sample ? { sample: sample.slice(0, 60) } : {}),
    });
  }
  const extractor: ListingExtractor = {
    version: 1,
    cards: formatPath(cardPath(tree, best.cards)),
    fields,
    count: 0,
  };
  const { posts } = extractFromTree(tree, pageUrl, extractor);
  if (posts.length < MIN_CARDS) {
    return { ok: false, reason: 'The repeated blocks on this page could not be read as posts.' };
  }
  extractor.count = posts.length;
  return { ok: true, extractor, posts };
}

/** Each role's name, in the order the extractor is described (and its editor offers roles). */
export const ROLE_NAMES: Readonly<Record<FieldRole, string>> = {
  title: 'Title',
  link: 'Link',
  category: 'Category',
  summary: 'Summary',
  date: 'Date',
  readingTime: 'Reading time',
};
const ORDINALS = ['', '', '2nd ', '3rd '];

/** A path in words: `div.meta > span:nth-of-type(2)` → "the 2nd span in the div.meta". */
export function describePath(path: string): string {
  const steps = parsePath(path);
  if (!steps) return `"${path}"`;
  const words = ({ nth, ...step }: Step) =>
    `the ${ORDINALS[nth ?? 0] ?? `${nth}th `}${formatStep(step)}`;
  // Deep paths name the part and the block of the card it is in.
  return steps.length
    ? [steps.at(-1)!, ...steps.slice(0, -1).slice(0, 1)].map(words).join(' in ')
    : 'the card itself';
}

/**
 * The extractor in words, for the user to check and correct: "Cards: article.card in main
 * (9 found). Title: the h2. Category: the span.tag ('Transformer'). Reading time: '2 min read'."
 */
export function describeExtractor(extractor: ListingExtractor): string {
  const steps = parsePath(extractor.cards) ?? [];
  const where =
    steps.length > 1 ? `${formatStep(steps.at(-1)!)} in ${formatStep(steps[0]!)}` : extractor.cards;
  const lines = [`Cards: ${where} (${extractor.count} found).`];
  const title = extractor.fields.find((field) => field.role === 'title');
  for (const role of Object.keys(ROLE_NAMES) as FieldRole[]) {
    const field = extractor.fields.find((f) => f.role === role);
    if (!field) continue;
    // A link in (or being) the title goes without saying.
    if (
      role === 'link' &&
      title &&
      (field.path === title.path || field.path.startsWith(`${title.path} > `))
    )
      continue;
    const sample =
      field.sample && (role === 'category' || role === 'date') ? ` ('${field.sample}')` : '';
    lines.push(
      role === 'readingTime' && field.sample
        ? `${ROLE_NAMES[role]}: '${field.sample}'.`
        : `${ROLE_NAMES[role]}: ${describePath(field.path)}${sample}.`,
    );
  }
  return lines.join(' ');
}
