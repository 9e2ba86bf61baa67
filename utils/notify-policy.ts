/**
 * Which new posts a notification announces, and in what words: pure functions of the posts,
 * the user's notification settings, each blog's own switch and the local time. No browser, no
 * database: `utils/notify.ts` reads those and shows what this decides.
 */
import { categoryModeOf } from '@/utils/category-modes';
import { sectionCategories } from '@/utils/db/section-summary';
import type { Post } from '@/utils/db/types';
import { formatMinutes, plural } from '@/utils/format';
import type { CategoryModes, QuietHours } from '@/utils/settings';
import { truncateText } from '@/utils/text';

/** A new post and the blog it comes from, as the poll cycle hands it over. */
export interface NewPostNotice {
  post: Post;
  /** The blog's title, for "Edge Notes — State Space Model: xLSTM". */
  feedTitle: string;
}

/** What decides whether a post is announced, read once per notification. */
export interface NotifyPolicy {
  /** The global switch (`notificationsEnabled`). */
  enabled: boolean;
  modes: CategoryModes;
  quietHours: QuietHours;
  /** Blogs whose notifications the user turned off (`Feed.notify === false`). */
  silentFeeds: ReadonlySet<number>;
}

/** How many titles a category's group names before "+2 more". */
export const TITLES_PER_GROUP = 3;
/** Longest title named, in characters ("xLSTM: Architecture & How It Works" fits). */
export const TITLE_MAX_CHARS = 48;
/**
 * Longest message. Chrome shows about four lines of a notification's message and cuts the
 * rest without a sign; past this the groups left out are counted in "+N more" instead.
 */
export const MESSAGE_MAX_CHARS = 200;

/** Minutes since local midnight of 'HH:MM' (a value the `quietHours` setting validated). */
function minutesOf(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * True when `now` (local time) falls in the quiet hours: from `start` (included) to `end`
 * (excluded), across midnight when `end` is before `start`. `start === end` is an empty span,
 * so no quiet hours at all: "all day" would hold the digest back forever (it is announced when
 * quiet hours end), which is what turning notifications off already says more plainly.
 */
export function isQuietTime(quiet: QuietHours, now: Date): boolean {
  if (!quiet.enabled) return false;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const minute = now.getHours() * 60 + now.getMinutes();
  return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * The category a post is announced under: its first section whose mode is `notify` (unset is
 * notify); undefined when none is, so the post is not announced (all `list`, all `mute`, or a
 * mix of the two).
 */
export function announcingCategory(post: Pick<Post, 'categories'>, modes: CategoryModes) {
  return sectionCategories(post.categories).find(
    (category) => categoryModeOf(modes, category) === 'notify',
  );
}

/**
 * True when `notice` may be announced at some time: notifications are on, its blog's are not
 * off, and one of its categories notifies. Quiet hours only delay it (see {@link triageNotices}).
 */
export function isAnnounced({ post }: NewPostNotice, policy: NotifyPolicy): boolean {
  return (
    policy.enabled &&
    !policy.silentFeeds.has(post.feedId) &&
    announcingCategory(post, policy.modes) !== undefined
  );
}

/**
 * Splits a poll's new posts: `now` to announce at once, `deferred` to the digest after the quiet
 * hours. Posts that are never announced are in neither.
 */
export function triageNotices(
  notices: readonly NewPostNotice[],
  policy: NotifyPolicy,
  now: Date,
): { now: NewPostNotice[]; deferred: NewPostNotice[] } {
  const announced = notices.filter((notice) => isAnnounced(notice, policy));
  return isQuietTime(policy.quietHours, now)
    ? { now: [], deferred: announced }
    : { now: announced, deferred: [] };
}

/** A named list of titles, "State Space Model: xLSTM, RWKV +2 more". */
function describeGroup(name: string, posts: readonly Post[]): string {
  const titles = posts
    .slice(0, TITLES_PER_GROUP)
    .map((post) => truncateText(post.title.trim() || 'Untitled', TITLE_MAX_CHARS))
    .join(', ');
  const more = posts.length - TITLES_PER_GROUP;
  return `${name}: ${titles}${more > 0 ? ` +${more} more` : ''}`;
}

/**
 * Title and message of one notification about `notices`: "3 new posts · 9 min" and the posts
 * by category, newest first: "State Space Model: xLSTM, RWKV; Transformer: CLIP". With posts
 * from several blogs each blog's line names it ("Edge Notes — State Space Model: xLSTM").
 * Each group names {@link TITLES_PER_GROUP} titles at most; groups that would take the message
 * past {@link MESSAGE_MAX_CHARS} are left out and counted: "+4 more". `titlePrefix` introduces
 * a digest ("While quiet: ").
 */
export function describeNotification(
  notices: readonly NewPostNotice[],
  modes: CategoryModes,
  titlePrefix = '',
): { title: string; message: string } {
  const newestFirst = [...notices].sort((a, b) => b.post.publishedAt - a.post.publishedAt);
  // Blog → category → posts, each in order of its newest post.
  const blogs = new Map<number, { title: string; categories: Map<string, Post[]> }>();
  for (const { post, feedTitle } of newestFirst) {
    const blog = blogs.get(post.feedId) ?? { title: feedTitle, categories: new Map() };
    blogs.set(post.feedId, blog);
    const category = announcingCategory(post, modes) ?? sectionCategories(post.categories)[0] ?? '';
    blog.categories.set(category, [...(blog.categories.get(category) ?? []), post]);
  }

  const lines: string[] = [];
  let length = 0;
  let left = 0;
  for (const blog of blogs.values()) {
    const groups = [...blog.categories].map(([name, posts]) => ({ name, posts }));
    const named: string[] = [];
    for (const { name, posts } of groups) {
      const text = describeGroup(name, posts);
      // The first group is always named (cut if it must be): a message says something.
      if (lines.length + named.length > 0 && length + text.length + 2 > MESSAGE_MAX_CHARS) {
        left += posts.length;
        continue;
      }
      named.push(text);
      length += text.length + 2;
    }
    if (named.length === 0) continue;
    const line = named.join('; ');
    lines.push(blogs.size > 1 ? `${blog.title} — ${line}` : line);
    if (blogs.size > 1) length += blog.title.length + 3;
  }
  const minutes = notices.reduce((sum, { post }) => sum + post.minutes, 0);
  const body = truncateText(lines.join('\n'), MESSAGE_MAX_CHARS);
  return {
    title: `${titlePrefix}${plural(notices.length, 'new post')} · ${formatMinutes(minutes)}`,
    message: left > 0 ? `${body}; +${left} more` : body,
  };
}
