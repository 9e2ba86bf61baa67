/**
 * One followed blog: title, feed URL, "checked 1 min ago · 9 posts", its last error, actions.
 * The title is text in a `dir="auto"` element; the address reads left to right without bidi
 * controls, and so does the error line, which may quote addresses (D33, D37).
 */
import type { Feed } from '@/utils/db/types';
import { blogTitle, formatRelativeTime, plural } from '@/utils/format';
import type { BlogEntry, OptionsState } from '@/utils/state/options-state';
import { withoutBidiControls } from './bidi';

export type BlogActions = Pick<OptionsState, 'checkNow' | 'removeBlog'>;

export function blogStatus(feed: Feed, posts: number, now: number): string {
  const checked = feed.lastCheckedAt
    ? `checked ${formatRelativeTime(feed.lastCheckedAt, now)}`
    : 'not checked yet';
  return `${checked} · ${plural(posts, 'post')}`;
}

export function BlogItem({
  entry: { feed, posts },
  now,
  checking,
  actions,
}: {
  entry: BlogEntry;
  now: number;
  checking: boolean;
  actions: BlogActions;
}) {
  const title = blogTitle(feed);
  return (
    <li class="blog">
      <h3 dir="auto">{title}</h3>
      <p class="url" dir="ltr">
        {withoutBidiControls(feed.url)}
      </p>
      <p class="meta">{blogStatus(feed, posts, now)}</p>
      {feed.status === 'gone' && <p class="error">The feed is gone; it is not checked any more.</p>}
      {feed.lastError && (
        <p class="error" dir="auto">
          {`Last error: ${withoutBidiControls(feed.lastError.message)}`}
        </p>
      )}
      <div class="actions">
        <button
          type="button"
          aria-label={`Check now: ${title}`}
          disabled={checking}
          onClick={() => void actions.checkNow(feed)}
        >
          {checking ? 'Checking…' : 'Check now'}
        </button>
        <button
          type="button"
          aria-label={`Remove ${title}`}
          onClick={() => void actions.removeBlog(feed)}
        >
          Remove
        </button>
      </div>
    </li>
  );
}
