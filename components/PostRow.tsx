/**
 * One unread post: its title as a link, "Blog · date · N min read", Mark read and Save. Feed
 * text (title, blog name) is text only, each in its own `dir="auto"` element (D33, D37); the
 * list shows no summary, content or image from the feed (D35).
 */
import type { Post } from '@/utils/db/types';
import { OpenLink } from '@/components/OpenLink';
import { formatDate } from '@/utils/format';
import { formatReadingTime } from '@/utils/reading-time';
import type { PopupState, PostEntry } from '@/utils/state/popup-state';
import { safeHttpUrl } from '@/utils/url';

export type PostActions = Pick<PopupState, 'openPost' | 'markRead' | 'savePost'>;

export function postTitle(post: Pick<Post, 'title'>): string {
  return post.title.trim() || 'Untitled post';
}

export function PostRow({
  entry: { post, blog },
  saved,
  actions,
}: {
  entry: PostEntry;
  saved: boolean;
  actions: PostActions;
}) {
  const title = postTitle(post);
  const href = safeHttpUrl(post.url);
  const facts = [
    formatDate(post.publishedAt),
    formatReadingTime(post.minutes, post.minutesFromSummary),
  ].join(' · ');

  return (
    <article aria-label={title} class="post">
      <h3 class="title" dir="auto">
        <OpenLink href={href} text={title} onOpen={() => actions.openPost(post)} />
      </h3>
      <p class="meta">
        {blog && (
          <>
            <span dir="auto">{blog}</span>
            {' · '}
          </>
        )}
        {facts}
      </p>
      <div class="actions">
        <button type="button" onClick={() => void actions.markRead(post)}>
          Mark read
        </button>
        {href && (
          <button type="button" disabled={saved} onClick={() => void actions.savePost(post)}>
            {saved ? 'Saved' : 'Save'}
          </button>
        )}
      </div>
    </article>
  );
}
