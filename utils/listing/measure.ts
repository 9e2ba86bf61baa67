/**
 * The reading time of a listing blog's new posts, from their article pages (issue 6): a card's
 * "2 min read" is the site's figure, kept as `siteMinutes`; Dispatch counts the article's own
 * words, as it does a feed's content, and marks the post `articleCounted` (else its minutes are
 * the card's label or an estimate). Each article is fetched once, when its post is new.
 *
 * Depends on `fetchPage` (host access, host holds, the poll's limits), `articleText` and the
 * posts repository.
 */
import { setReadingTimes, type ReadingTimeUpdate } from '@/utils/db/posts';
import type { Post } from '@/utils/db/types';
import { articleText } from '@/utils/listing/article';
import { fetchPage, isHostDown, type PageDeps } from '@/utils/listing/poll';
import type { PollDeps } from '@/utils/poll/poll-feed';
import { minutesFor } from '@/utils/reading-time';

/** Articles measured per poll or follow at most: the rest keep the card's figure. */
export const MEASURED_PER_RUN = 10;

export interface MeasureResult {
  /** The reading times written, by post id. */
  measured: Map<number, ReadingTimeUpdate>;
  /** Article pages fetched (requests sent), for the blog's health record. */
  requests: number;
}

/**
 * Fetches the article pages of `posts` (new posts of the listing at `pageUrl`), one after the
 * other, at most {@link MEASURED_PER_RUN}, on the page's own origin only (a card linking
 * elsewhere is not followed), and stores the words and minutes counted there (`articleCounted`),
 * keeping the site's figure. A page that fails or shows no article changes nothing; a host that is down,
 * held or no longer granted ends the run. Never throws for the network.
 */
export async function measureArticles(
  posts: readonly Post[],
  pageUrl: string,
  deps: PageDeps & Pick<PollDeps, 'wordsPerMinute'>,
): Promise<MeasureResult> {
  const origin = new URL(pageUrl).origin;
  const result: MeasureResult = { measured: new Map(), requests: 0 };
  const sameSite = posts.filter((post) => post.url && new URL(post.url).origin === origin);
  for (const post of sameSite.slice(0, MEASURED_PER_RUN)) {
    const page = await fetchPage(post.url!, deps, { countFor: post.feedId });
    if (page.ok || page.sent) result.requests += 1;
    if (!page.ok) {
      if (isHostDown(page.code)) break;
      continue;
    }
    const article = articleText(page.html);
    if (!article) continue;
    const update: ReadingTimeUpdate = {
      postId: post.id,
      words: article.words,
      minutes: minutesFor(article, deps.wordsPerMinute),
      minutesFromSummary: false,
    };
    // Written post by post: a worker stopped half-way keeps what it measured.
    if ((await setReadingTimes(deps.db, [update])) > 0) result.measured.set(post.id, update);
  }
  return result;
}

/** `posts` with the reading times `measured` gave them (for the poll's outcome). */
export function withMeasured(
  posts: readonly Post[],
  measured: ReadonlyMap<number, ReadingTimeUpdate>,
): Post[] {
  return posts.map((post) => {
    const update = measured.get(post.id);
    if (!update) return post;
    const { words, minutes, minutesFromSummary } = update;
    return { ...post, words, minutes, minutesFromSummary, articleCounted: true };
  });
}
