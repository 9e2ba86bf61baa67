/**
 * The benchmarks' naive grouping: unread posts (newest first) grouped by category in memory,
 * what the popup did before counters and section indexes (slice 1). The naive popup
 * (`naive-popup.tsx`) renders it and `dispatch.bench.ts` times it; the popup no longer uses it.
 */
import { UNCATEGORIZED, type Post } from '@/utils/db/types';

/** An unread post with the title of its blog. */
export interface PostEntry {
  post: Post;
  blog: string;
}

/** One category of unread posts, grouped in memory. */
export interface Section {
  name: string;
  count: number;
  minutes: number;
  entries: PostEntry[];
}

/**
 * Groups posts (newest first) by category. A post in several categories is in each of their
 * sections; categories that differ only in case share a section; no category → "Uncategorized".
 * Sections come in the order of their newest post because the posts do.
 */
export function groupByCategory(posts: Post[], blogTitles: ReadonlyMap<number, string>): Section[] {
  const sections = new Map<string, Section>();
  for (const post of posts) {
    const entry = { post, blog: blogTitles.get(post.feedId) ?? '' };
    const names = post.categories.length > 0 ? post.categories : [UNCATEGORIZED];
    const keys = new Set(names.map((name) => name.toLocaleLowerCase()));
    for (const key of keys) {
      const name = names.find((candidate) => candidate.toLocaleLowerCase() === key) ?? key;
      const section = sections.get(key) ?? { name, count: 0, minutes: 0, entries: [] };
      section.count += 1;
      section.minutes += post.minutes;
      section.entries.push(entry);
      sections.set(key, section);
    }
  }
  return [...sections.values()];
}
