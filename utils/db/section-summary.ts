/**
 * What the popup's Unread sections show before any row: section keys, the section headers and
 * the totals, computed from the unread counter rows alone, and which sections the user
 * collapsed. Pure and free of Dexie, so that the popup's first paint (`first-paint.ts`) and the
 * live state (`sections.ts`, re-exported there) share one rule without the first paint loading
 * Dexie.
 */
import { ALL_CATEGORIES, UNCATEGORIZED, type Post, type UnreadCount } from './types';

/** Zero-width space, word joiner and BOM: they only split or mark words (as in `categoryKey`). */
const INVISIBLE = /[\u200B\u2060\uFEFF]/g;

/**
 * The key of a category's section: NFKC, case folded (upper then lower case), invisible
 * characters removed, white space collapsed: the rule the feed parser merges a post's
 * categories by (`categoryKey` in utils/feed/parse.ts), so "AI" and "ai" from two blogs are one
 * section. An empty category is the section of {@link UNCATEGORIZED}.
 */
export function sectionKey(category: string): string {
  const key = category
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toUpperCase()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
  return key === '' ? UNCATEGORIZED_KEY : key;
}

/** The key of the section for posts without a category. */
export const UNCATEGORIZED_KEY = UNCATEGORIZED.toLowerCase();

/** A section header: what the popup shows before loading any of its rows. */
export interface SectionSummary {
  /** {@link sectionKey}: what `listSectionPosts` and `sectionPostIds` take. */
  key: string;
  /** The spelling shown: the one with most unread posts among those merged. */
  name: string;
  unread: number;
  minutes: number;
}

/**
 * The sections with unread posts, from the counter rows alone: spellings with the same
 * {@link sectionKey} merged (over all blogs), named after the spelling with most unread posts,
 * sorted by name (numbers in order: "Part 2" before "Part 10"), Uncategorized last. Rows of
 * `ALL_CATEGORIES` and rows at zero are skipped.
 */
export function summarizeSections(rows: readonly UnreadCount[]): SectionSummary[] {
  const sections = new Map<string, SectionSummary & { spellings: Map<string, number> }>();
  for (const row of rows) {
    if (row.category === ALL_CATEGORIES || row.unread <= 0) continue;
    const key = sectionKey(row.category);
    const section = sections.get(key) ?? {
      key,
      name: row.category,
      unread: 0,
      minutes: 0,
      spellings: new Map<string, number>(),
    };
    section.unread += row.unread;
    section.minutes += row.minutes;
    section.spellings.set(row.category, (section.spellings.get(row.category) ?? 0) + row.unread);
    sections.set(key, section);
  }
  const summaries = [...sections.values()].map(({ spellings, ...section }) => ({
    ...section,
    name: mostUnread(spellings),
  }));
  return summaries.sort(
    (a, b) =>
      Number(a.key === UNCATEGORIZED_KEY) - Number(b.key === UNCATEGORIZED_KEY) ||
      a.name.localeCompare(b.name, undefined, { numeric: true }) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

/** The spelling with most unread posts; on a tie, the first in code-unit order (stable). */
function mostUnread(spellings: ReadonlyMap<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [name, count] of spellings) {
    if (count > bestCount || (count === bestCount && name < best)) {
      best = name;
      bestCount = count;
    }
  }
  return best;
}

/** Unread posts and their minutes over all blogs (each post once), from the counter rows. */
export function unreadTotals(rows: readonly UnreadCount[]): { unread: number; minutes: number } {
  let unread = 0;
  let minutes = 0;
  for (const row of rows) {
    if (row.category !== ALL_CATEGORIES) continue;
    unread += row.unread;
    minutes += row.minutes;
  }
  return { unread, minutes };
}

/** Where the collapsed sections are remembered between openings (`localStorage`). */
export const COLLAPSED_KEY = 'dispatch.collapsedSections';

/**
 * The keys of the sections the user collapsed, as remembered in `store`; none when nothing
 * is remembered, or when what is there cannot be read (reported to `onError`).
 */
export function readCollapsedSections(
  store: Pick<Storage, 'getItem'> | undefined,
  onError: (error: unknown) => void,
): Set<string> {
  try {
    const saved = store?.getItem(COLLAPSED_KEY);
    const keys: unknown = saved ? JSON.parse(saved) : [];
    return new Set(Array.isArray(keys) ? keys.filter((key) => typeof key === 'string') : []);
  } catch (error) {
    onError(error);
    return new Set();
  }
}

/**
 * `collapsed` with `key` collapsed or expanded in turn, remembered in `store` for the next
 * opening (a failure to remember is reported to `onError`; the page still toggles).
 */
export function toggleCollapsed(
  collapsed: ReadonlySet<string>,
  key: string,
  store: Pick<Storage, 'setItem'> | undefined,
  onError: (error: unknown) => void,
): Set<string> {
  const next = new Set(collapsed);
  if (!next.delete(key)) next.add(key);
  try {
    store?.setItem(COLLAPSED_KEY, JSON.stringify([...next]));
  } catch (error) {
    onError(error);
  }
  return next;
}

/**
 * A post's categories as sections count them: one spelling per section key (the first), and
 * {@link UNCATEGORIZED} when it has none. The counters and `sectionKeys` both follow this, so a
 * section's count is the number of posts it lists.
 */
export function sectionCategories(categories: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const category of categories.length > 0 ? categories : [UNCATEGORIZED]) {
    const key = sectionKey(category);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(category);
  }
  return kept;
}

/**
 * True when every section of `post` is in `excludedSections` (a muted post: hidden). A post in
 * a muted and an unmuted category is not: it is still listed under the unmuted one. One rule for
 * the badge (`unreadVisible`), the live popup and its first paint.
 */
export function isLeftOut(
  post: Pick<Post, 'categories'>,
  excludedSections: ReadonlySet<string>,
): boolean {
  if (excludedSections.size === 0) return false;
  return sectionCategories(post.categories).every((category) =>
    excludedSections.has(sectionKey(category)),
  );
}
