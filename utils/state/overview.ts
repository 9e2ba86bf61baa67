/**
 * What the popup's header and sections show, derived from the blogs, the unread view (the
 * counters, the muted sections and the unread posts they hide) and the time. One derivation
 * for both the first paint (`first-paint-state.ts`, from the snapshot read without Dexie) and
 * the live state (`popup-state.ts`, from live queries), so the two always agree. Also where
 * both read the muted sections from the `categoryModes` setting. Imports nothing that brings
 * Dexie.
 */
import { computed, type ReadonlySignal } from '@preact/signals';
import { browser } from 'wxt/browser';
import { mutedSections } from '@/utils/category-modes';
import type { HiddenPost, UnreadView } from '@/utils/db/sections';
import { summarizeSections, unreadTotals, type SectionSummary } from '@/utils/db/section-summary';
import type { Feed } from '@/utils/db/types';
import { blogTitle } from '@/utils/format';
import { popupAlert } from '@/utils/health';
import type { CategoryMode } from '@/utils/settings';

export interface Overview {
  /** Each blog's title as rows show it, by feed id. */
  blogTitles: ReadonlySignal<ReadonlyMap<number, string>>;
  /** One per category with unread posts, alphabetical, Uncategorized last; none muted. */
  sections: ReadonlySignal<SectionSummary[]>;
  /** Unread posts over all blogs, each counted once, without those muted categories hide. */
  unreadTotal: ReadonlySignal<number>;
  /** Their reading time added up. */
  unreadMinutes: ReadonlySignal<number>;
  /** The latest check of any blog; 0 before the first. */
  lastCheckedAt: ReadonlySignal<number>;
  /** What the header flags about the blogs' health (`popupAlert`); '' when all is well. */
  alert: ReadonlySignal<string>;
}

export function overview(
  feeds: ReadonlySignal<Feed[]>,
  view: ReadonlySignal<UnreadView>,
  clock: ReadonlySignal<number>,
): Overview {
  const totals = computed(() => visibleTotals(view.value));
  return {
    blogTitles: computed(() => new Map(feeds.value.map((feed) => [feed.id, blogTitle(feed)]))),
    sections: computed(() => visibleSections(view.value)),
    unreadTotal: computed(() => totals.value.unread),
    unreadMinutes: computed(() => totals.value.minutes),
    lastCheckedAt: computed(() =>
      feeds.value.reduce((latest, feed) => Math.max(latest, feed.lastCheckedAt), 0),
    ),
    alert: computed(() => popupAlert(feeds.value, clock.value)),
  };
}

/** The sections shown: those with unread posts (`summarizeSections`), muted ones left out. */
export function visibleSections({ counts, muted }: UnreadView): SectionSummary[] {
  const sections = summarizeSections(counts);
  return muted.size === 0 ? sections : sections.filter((section) => !muted.has(section.key));
}

/**
 * Unread posts and minutes over all blogs, each post once, without the hidden ones: the
 * counters' totals minus the posts muted categories hide — what `unreadVisible` gives the
 * badge for the same mutes.
 */
export function visibleTotals({ counts, hidden }: UnreadView): { unread: number; minutes: number } {
  const all = unreadTotals(counts);
  if (hidden.length === 0) return all;
  const minutes = hidden.reduce((sum, post: HiddenPost) => sum + post.minutes, 0);
  return {
    unread: Math.max(0, all.unread - hidden.length),
    minutes: Math.max(0, all.minutes - minutes),
  };
}

/** The `storage.local` key of the `categoryModes` setting (`categoryModes.key`). */
export const CATEGORY_MODES_KEY = 'categoryModes';

const MODES: readonly unknown[] = ['notify', 'list', 'mute'] satisfies CategoryMode[];

/**
 * The section keys a stored `categoryModes` value mutes, as `categoryModes.getValue()` then
 * `mutedSections` read it: a value that is not a valid setting (not a map of known modes) is the
 * default, which mutes nothing. Written out here rather than imported with `utils/settings.ts`,
 * which would bring every setting (and the reading-time code they need) into the popup's first
 * paint: 1.3 KB gzip. Its test checks it against the setting's own validator.
 */
export function mutesFrom(stored: unknown): Set<string> {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return new Set();
  const modes = stored as Record<string, unknown>;
  if (!Object.values(modes).every((mode) => MODES.includes(mode))) return new Set();
  return mutedSections(modes as Record<string, CategoryMode>);
}

/** The section keys muted in the `categoryModes` setting (none when it is not set or not valid). */
export async function readMutedSections(): Promise<Set<string>> {
  return mutesFrom((await browser.storage.local.get(CATEGORY_MODES_KEY))[CATEGORY_MODES_KEY]);
}

/**
 * Calls `onChange` with the muted section keys whenever the `categoryModes` setting changes
 * (another page, the options page or a sync wrote it). Returns the function that stops it.
 */
export function watchMutedSections(onChange: (muted: Set<string>) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    const change = area === 'local' ? changes[CATEGORY_MODES_KEY] : undefined;
    if (change) onChange(mutesFrom(change.newValue));
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

/** True when `a` and `b` hold the same keys. */
export function sameKeys(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((key) => b.has(key));
}
