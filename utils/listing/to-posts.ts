/**
 * Listing cards → the posts the store keeps (issue 6), capped as a feed's items are
 * (`utils/poll/to-posts.ts`). Pure; the article-page count comes later (`article.ts`).
 */
import { UNCATEGORIZED, type NewPost } from '@/utils/db/types';
import type { ListingPost } from '@/utils/listing/extract';
import {
  CATEGORY_MAX_CHARS,
  cleanTitle,
  oneLine,
  SUMMARY_MAX_CHARS,
  UNTITLED,
} from '@/utils/poll/to-posts';
import { estimateReadingTime } from '@/utils/reading-time';
import { countWords, truncateText } from '@/utils/text';

/** What a card says about its post's length: the site's label, else Dispatch's estimate. */
function readingTimeOf(
  post: ListingPost,
  title: string,
  summary: string | undefined,
  wordsPerMinute: number,
): Pick<NewPost, 'words' | 'minutes' | 'minutesFromSummary' | 'siteMinutes'> {
  const text = summary ? `${title}. ${summary}` : title;
  if (post.readingMinutes !== undefined) {
    // `words` stays what Dispatch counted (title and summary), not the label's minutes times a
    // reading speed: that would be a number nobody counted. The article page replaces both.
    return {
      words: countWords(text),
      minutes: post.readingMinutes,
      minutesFromSummary: false,
      siteMinutes: post.readingMinutes,
    };
  }
  const time = estimateReadingTime({ summary: text }, wordsPerMinute);
  return { words: time.words, minutes: time.minutes, minutesFromSummary: true };
}

/**
 * One post per card, in page order: guid and url the card's link, its title, summary, the
 * category (else "Uncategorized"), its date. Reading time: the card's "N min read" when it has
 * one (`minutes` and `siteMinutes` both that, `minutesFromSummary` false), else estimated from
 * the title and summary (`minutesFromSummary` true). Text capped as `poll/to-posts.ts` caps it.
 */
export function listingToNewPosts(
  posts: readonly ListingPost[],
  { wordsPerMinute }: { wordsPerMinute: number },
): NewPost[] {
  return posts.map((post) => {
    const title = cleanTitle(post.title) || UNTITLED;
    const summary = post.summary && truncateText(oneLine(post.summary), SUMMARY_MAX_CHARS);
    const category = post.category && truncateText(oneLine(post.category), CATEGORY_MAX_CHARS);
    return {
      guid: post.guid,
      url: post.url,
      title,
      ...(summary ? { summary } : {}),
      categories: [category || UNCATEGORIZED],
      ...(post.publishedAt === undefined ? {} : { publishedAt: post.publishedAt }),
      ...readingTimeOf(post, title, summary || undefined, wordsPerMinute),
    };
  });
}
