/**
 * One post in a list: its title as a link (opening it marks it read), "Blog · 3 h ago · N min
 * read" (the full date on hover and as the date's description; with the site's own reading
 * time on hover, and — when Dispatch counted the article itself and the two differ — after it:
 * "(the site says 2 min)"), Mark read (Mark unread once read) and Save. Feed text (title, blog
 * name) is text only, each in its own `dir="auto"` element (D33, D37); the list shows no
 * content or image from the feed (D35). `slot` places the row in its virtual list; `mark`
 * highlights search matches in feed text.
 */
import type { ComponentChildren } from 'preact';
import { OpenLink } from '@/components/OpenLink';
import type { Post } from '@/utils/db/types';
import {
  formatDateTime,
  formatReadingTime,
  formatRelativeTime,
  siteReadingTime,
} from '@/utils/format';
import type { PopupState } from '@/utils/state/popup-state';
import { safeHttpUrl } from '@/utils/url';
import type { RowCommand } from './keys';
import type { RowSlot } from './VirtualList';

export type PostActions = Pick<PopupState, 'openPost' | 'markRead' | 'markUnread' | 'savePost'>;

/** What a row reads and calls: the blog names, the clock, the saved pages and the actions. */
export type PostRowState = PostActions & Pick<PopupState, 'blogTitles' | 'clock' | 'savedUrls'>;

export function postTitle(post: Pick<Post, 'title'>): string {
  return post.title.trim() || 'Untitled post';
}

const plain = (text: string): ComponentChildren => text;

/** The machine-readable date of a `<time>`; none for a time that is not a date. */
const isoDate = (time: number) =>
  Math.abs(time) <= 8.64e15 ? new Date(time).toISOString() : undefined;

export function PostRow({
  post,
  state,
  blogName,
  slot,
  mark = plain,
  children,
}: {
  post: Post;
  state: PostRowState;
  /** The blog's name when the row is not of a stored blog (the measuring probe). */
  blogName?: string;
  slot?: RowSlot;
  mark?: (text: string) => ComponentChildren;
  /** A line under the title (search results: where the words were found). */
  children?: ComponentChildren;
}) {
  const title = postTitle(post);
  const href = safeHttpUrl(post.url);
  const read = post.readAt !== 0;
  const blog = blogName ?? state.blogTitles.value.get(post.feedId);
  const saved = state.savedUrls.value.has(href ?? '');
  const reading = formatReadingTime(post.minutes, post.minutesFromSummary);
  const site = siteReadingTime(post.minutes, post.siteMinutes, post.articleCounted);

  return (
    <article aria-label={title} class="post" {...slot}>
      <h3 class="title" dir="auto">
        <OpenLink href={href} text={title} onOpen={() => state.openPost(post)}>
          {mark(title)}
        </OpenLink>
      </h3>
      {children}
      <div class="foot">
        <p class="meta">
          {blog && (
            <>
              <span class="blog-name" dir="auto" title={blog}>
                {blog}
              </span>
              {' · '}
            </>
          )}
          <time dateTime={isoDate(post.publishedAt)} title={formatDateTime(post.publishedAt)}>
            {formatRelativeTime(post.publishedAt, state.clock.value)}
          </time>
          {' · '}
          {site ? (
            <>
              <span title={site.title}>{reading}</span>
              {site.note}
            </>
          ) : (
            reading
          )}
        </p>
        <div class="actions">
          <button
            type="button"
            onClick={() => void (read ? state.markUnread(post) : state.markRead(post))}
          >
            {read ? 'Mark unread' : 'Mark read'}
          </button>
          {href && (
            <button type="button" disabled={saved} onClick={() => void state.savePost(post)}>
              {saved ? 'Saved' : 'Save'}
            </button>
          )}
        </div>
      </div>
    </article>
  );
}

/** Runs a row command ("o", "m", "s") on `post`; false for one that does not apply. */
export function postCommand(command: RowCommand, post: Post, actions: PostActions): boolean {
  if (command === 'open') void actions.openPost(post);
  else if (command === 'toggle')
    void (post.readAt ? actions.markUnread(post) : actions.markRead(post));
  else if (command === 'save') void actions.savePost(post);
  else return false;
  return true;
}

/**
 * A post whose row is as tall as any: a title long enough for the two lines it is clamped to
 * (rendered with a blog name, `PROBE_BLOG`).
 */
export const PROBE_POST: Post = {
  id: -1,
  feedId: -1,
  guid: 'probe',
  url: 'https://probe.invalid/',
  title: 'Measuring the height of a row '.repeat(12),
  summary: 'Measuring the height of a row '.repeat(12),
  categories: ['Probe'],
  publishedAt: 0,
  firstSeenAt: 0,
  words: 0,
  minutes: 100,
  minutesFromSummary: true,
  readAt: 0,
  sectionKeys: [],
  terms: [],
};

export const PROBE_BLOG = 'Measuring';
