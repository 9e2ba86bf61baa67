/**
 * What the popup's header and sections show, derived from two inputs: the blogs and the unread
 * counters. One derivation for both the first paint (`first-paint-state.ts`, from the snapshot
 * read without Dexie) and the live state (`popup-state.ts`, from live queries), so the two
 * always agree. Imports nothing that brings Dexie.
 */
import { computed, type ReadonlySignal } from '@preact/signals';
import { summarizeSections, unreadTotals, type SectionSummary } from '@/utils/db/section-summary';
import type { Feed, UnreadCount } from '@/utils/db/types';
import { blogTitle } from '@/utils/format';

export interface Overview {
  /** Each blog's title as rows show it, by feed id. */
  blogTitles: ReadonlySignal<ReadonlyMap<number, string>>;
  /** One per category with unread posts, alphabetical, Uncategorized last. */
  sections: ReadonlySignal<SectionSummary[]>;
  /** Unread posts over all blogs, each counted once. */
  unreadTotal: ReadonlySignal<number>;
  /** Their reading time added up. */
  unreadMinutes: ReadonlySignal<number>;
  /** The latest check of any blog; 0 before the first. */
  lastCheckedAt: ReadonlySignal<number>;
}

export function overview(
  feeds: ReadonlySignal<Feed[]>,
  counts: ReadonlySignal<UnreadCount[]>,
): Overview {
  const totals = computed(() => unreadTotals(counts.value));
  return {
    blogTitles: computed(() => new Map(feeds.value.map((feed) => [feed.id, blogTitle(feed)]))),
    sections: computed(() => summarizeSections(counts.value)),
    unreadTotal: computed(() => totals.value.unread),
    unreadMinutes: computed(() => totals.value.minutes),
    lastCheckedAt: computed(() =>
      feeds.value.reduce((latest, feed) => Math.max(latest, feed.lastCheckedAt), 0),
    ),
  };
}
