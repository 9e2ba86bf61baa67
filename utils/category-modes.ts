/**
 * Reading the per-category modes (`categoryModes` setting): what a category's posts get
 * (notify, list only, mute). Keys are section keys, so "AI" and "ai" share one mode, as they
 * share one popup section.
 */
import { sectionKey } from '@/utils/db/section-summary';
import type { Feed } from '@/utils/db/types';
import type { CategoryMode, CategoryModes } from '@/utils/settings';

/**
 * A category's mode; `notify` when none was chosen. Own keys only: a category a feed calls
 * "constructor" or "__proto__" must not find Object's built-ins.
 */
export function categoryModeOf(modes: CategoryModes, category: string): CategoryMode {
  return modeOfKey(modes, sectionKey(category));
}

/** The mode stored under a section key; `notify` when none was chosen. */
export function modeOfKey(modes: CategoryModes, key: string): CategoryMode {
  return Object.hasOwn(modes, key) ? (modes[key] as CategoryMode) : 'notify';
}

/** The section keys of muted categories. */
export function mutedSections(modes: CategoryModes): Set<string> {
  return sectionsWith(modes, 'mute');
}

/** The section keys whose mode is `mode`. */
export function sectionsWith(modes: CategoryModes, mode: CategoryMode): Set<string> {
  return new Set(Object.keys(modes).filter((key) => modeOfKey(modes, key) === mode));
}

/** The blogs whose notifications are off (`Feed.notify === false`; absent means on), by id. */
export function silentFeeds(feeds: readonly Pick<Feed, 'id' | 'notify'>[]): Set<number> {
  return new Set(feeds.filter((feed) => feed.notify === false).map((feed) => feed.id));
}
