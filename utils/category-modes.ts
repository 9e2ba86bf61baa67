/**
 * Reading the per-category modes (`categoryModes` setting): what a category's posts get
 * (notify, list only, mute). Keys are section keys, so "AI" and "ai" share one mode, as they
 * share one popup section.
 */
import { sectionKey } from '@/utils/db/section-summary';
import type { CategoryMode, CategoryModes } from '@/utils/settings';

/** A category's mode; `notify` when none was chosen. */
export function categoryModeOf(modes: CategoryModes, category: string): CategoryMode {
  return modes[sectionKey(category)] ?? 'notify';
}

/** The section keys of muted categories. */
export function mutedSections(modes: CategoryModes): Set<string> {
  return sectionsWith(modes, 'mute');
}

/** The section keys whose mode is `mode`. */
export function sectionsWith(modes: CategoryModes, mode: CategoryMode): Set<string> {
  return new Set(Object.keys(modes).filter((key) => modes[key] === mode));
}
