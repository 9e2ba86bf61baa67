/**
 * Reading-time estimates: words of the post's content (else its summary) at the user's
 * reading speed, plus a little per image, rounded up, at least one minute.
 */
import { countWords, htmlToText } from '@/utils/text';

export const DEFAULT_WORDS_PER_MINUTE = 230;

export interface ReadingTime {
  words: number;
  minutes: number;
  /** The feed had no content: the estimate counts the summary only (shown as approximate). */
  fromSummary: boolean;
}

/**
 * Seconds added for the n-th image (0-based): 12 s for the first, one less for each next one,
 * never under 3 s — the rule long-form readers use, since figures take time to look at.
 */
function imageSeconds(count: number): number {
  let seconds = 0;
  for (let n = 0; n < count; n += 1) seconds += Math.max(3, 12 - n);
  return seconds;
}

export function estimateReadingTime(
  post: { contentHtml?: string; summary?: string },
  wordsPerMinute = DEFAULT_WORDS_PER_MINUTE,
): ReadingTime {
  const content = post.contentHtml ? htmlToText(post.contentHtml) : '';
  const fromSummary = content.trim().length === 0;
  const words = countWords(fromSummary ? (post.summary ?? '') : content);
  const images = fromSummary ? 0 : (post.contentHtml?.match(/<img\b/gi)?.length ?? 0);
  return { words, minutes: minutesFor({ words, images }, wordsPerMinute), fromSummary };
}

/**
 * Whole minutes for `words` at `wordsPerMinute` plus the images' time, rounded up, at least
 * one: the rule every estimate uses, whether the words came from a feed's HTML or from an
 * article page already counted (`utils/listing/measure.ts`).
 */
export function minutesFor(
  { words, images }: { words: number; images: number },
  wordsPerMinute = DEFAULT_WORDS_PER_MINUTE,
): number {
  const seconds = (words / wordsPerMinute) * 60 + imageSeconds(images);
  return Math.max(1, Math.ceil(seconds / 60));
}

/** "2 min read" (defined with the other formatters, which pages load without a tokenizer). */
export { formatReadingTime } from '@/utils/format';
