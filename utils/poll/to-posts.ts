/**
 * Parsed feed items → the posts the store keeps: capped text, categories, reading time.
 * Pure; depends on the text helpers and the reading-time estimate.
 */
import { UNCATEGORIZED, type NewPost } from '@/utils/db/types';
import type { ParsedFeed, ParsedItem } from '@/utils/feed/types';
import { estimateReadingTime } from '@/utils/reading-time';
import { htmlToText, TRUNCATE_SLACK, truncateText } from '@/utils/text';

/** Plain-text summary cap, in code points: enough for the popup and the "All" search. */
export const SUMMARY_MAX_CHARS = 2_000;

/**
 * Title cap, in code points. Real titles are under 200; a generator that pours the article
 * into `<title>` (HOSTILE-INPUTS D36) must not make every list row and counter carry it.
 */
export const TITLE_MAX_CHARS = 1_000;

/** Author cap, in code points. */
export const AUTHOR_MAX_CHARS = 200;

/** A category name's cap, in code points, and how many categories a post keeps. */
export const CATEGORY_MAX_CHARS = 100;
export const MAX_CATEGORIES = 20;

/** Content cap, in UTF-16 code units (~200 KB of text): a long essay fits, a dump does not. */
export const CONTENT_MAX_CHARS = 200 * 1024;

/** Title cap when a title has to be made from the summary. */
const DERIVED_TITLE_CHARS = 80;

export const UNTITLED = '(untitled)';

export interface ToPostsOptions {
  /** Reading speed for the estimate (a setting). */
  wordsPerMinute: number;
}

/** Maps every item of a parsed feed to a post, in document order. */
export function toNewPosts(parsed: ParsedFeed, { wordsPerMinute }: ToPostsOptions): NewPost[] {
  return parsed.items.map((item) => toNewPost(item, wordsPerMinute));
}

function toNewPost(item: ParsedItem, wordsPerMinute: number): NewPost {
  const contentHtml = item.contentHtml?.trim() ? item.contentHtml : undefined;
  // The estimate counts the whole content, before the cap: the cap is for storage only.
  const time = estimateReadingTime({ contentHtml, summary: item.summary }, wordsPerMinute);
  const summary = summaryOf(item.summary, contentHtml);
  return {
    guid: item.guid,
    ...(item.url !== undefined && { url: item.url }),
    title: titleOf(item.title, summary),
    ...(summary !== undefined && { summary }),
    ...(contentHtml !== undefined && { content: capUtf16(contentHtml, CONTENT_MAX_CHARS) }),
    ...(item.author?.trim() && { author: truncateText(oneLine(item.author), AUTHOR_MAX_CHARS) }),
    categories: categoriesOf(item.categories),
    ...(item.publishedAt !== undefined && { publishedAt: item.publishedAt }),
    ...(item.updatedAt !== undefined && { updatedAt: item.updatedAt }),
    words: time.words,
    minutes: time.minutes,
    minutesFromSummary: time.fromSummary,
  };
}

/** The feed's summary, else the start of the content as text; absent when both are empty. */
function summaryOf(
  summary: string | undefined,
  contentHtml: string | undefined,
): string | undefined {
  // htmlToText stops reading soon after its limit; a little slack lets truncateText pick the cut.
  const text = summary?.trim()
    ? truncateText(summary.trim(), SUMMARY_MAX_CHARS)
    : contentHtml
      ? truncateText(htmlToText(contentHtml, SUMMARY_MAX_CHARS + TRUNCATE_SLACK), SUMMARY_MAX_CHARS)
      : '';
  return text.length > 0 ? text : undefined;
}

/** The item's title, else the first words of the summary, else "(untitled)"; capped. */
function titleOf(title: string, summary: string | undefined): string {
  const trimmed = oneLine(title);
  if (trimmed) return truncateText(trimmed, TITLE_MAX_CHARS);
  const fromSummary = summary ? oneLine(summary) : '';
  return fromSummary ? truncateText(fromSummary, DERIVED_TITLE_CHARS) : UNTITLED;
}

/** A feed's or post's title as stored: one line, trimmed, capped; empty when it has none. */
export function cleanTitle(title: string): string {
  return truncateText(oneLine(title), TITLE_MAX_CHARS);
}

/** Whitespace runs collapsed to one space, trimmed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Trimmed, de-duplicated case-insensitively (first spelling kept), "Uncategorized" when none.
 * The parser already does this; doing it again is cheap and the unread counters rely on it
 * (a category listed twice would count a post twice).
 */
function categoriesOf(categories: string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const raw of categories) {
    const name = truncateText(oneLine(raw), CATEGORY_MAX_CHARS);
    const key = name.toLowerCase();
    if (!name || seen.has(key)) continue;
    seen.add(key);
    kept.push(name);
    // Each category is a counter row and a popup section: a tag cloud must not make hundreds.
    if (kept.length === MAX_CATEGORIES) break;
  }
  return kept.length > 0 ? kept : [UNCATEGORIZED];
}

/**
 * Cuts a string to at most `max` UTF-16 code units without splitting a surrogate pair (a lone
 * surrogate would be stored as garbage). HTML cut mid-tag is fine: it is sanitized on render.
 */
export function capUtf16(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  const isHighSurrogate = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, isHighSurrogate ? max - 1 : max);
}
