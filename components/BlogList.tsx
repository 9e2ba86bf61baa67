/** The followed blogs, or what to do when there are none. */
import type { BlogEntry, ListingEditor } from '@/utils/state/options-state';
import { BlogItem, type BlogActions } from './BlogItem';

const NONE: ReadonlySet<number> = new Set();

export function BlogList({
  blogs,
  now,
  checking,
  defaultInterval,
  actions,
  relearning = NONE,
  editor,
  listingBusy = false,
}: {
  blogs: BlogEntry[];
  now: number;
  checking: ReadonlySet<number>;
  /** The `pollIntervalMinutes` setting (undefined until read). */
  defaultInterval: number | undefined;
  actions: BlogActions;
  /** Ids of the listing blogs being learned again. */
  relearning?: ReadonlySet<number>;
  /** The listing blog whose reading is being corrected, with its page as it reads now. */
  editor?: ListingEditor | undefined;
  /** A listing request is under way. */
  listingBusy?: boolean;
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
          activity={{
            relearning: relearning.has(entry.feed.id),
            editor: editor?.feedId === entry.feed.id ? editor.preview : undefined,
            busy: listingBusy,
          }}
        />
      ))}
    </ul>
  );
}
