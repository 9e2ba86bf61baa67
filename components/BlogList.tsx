/** The followed blogs, or what to do when there are none. */
import type { BlogEntry } from '@/utils/state/options-state';
import { BlogItem, type BlogActions } from './BlogItem';

export function BlogList({
  blogs,
  now,
  checking,
  defaultInterval,
  actions,
}: {
  blogs: BlogEntry[];
  now: number;
  checking: ReadonlySet<number>;
  /** The `pollIntervalMinutes` setting (undefined until read). */
  defaultInterval: number | undefined;
  actions: BlogActions;
}) {
  if (blogs.length === 0) return <p class="empty">No blogs yet. Paste a blog's address above.</p>;
  return (
    <ul aria-label="Blogs" class="blogs">
      {blogs.map((entry) => (
        <BlogItem
          key={entry.feed.id}
          entry={entry}
          now={now}
          checking={checking.has(entry.feed.id)}
          defaultInterval={defaultInterval}
          actions={actions}
        />
      ))}
    </ul>
  );
}
