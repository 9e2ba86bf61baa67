/**
 * One card read into a post as `extractFromTree` reads it (same URL rules, caps, date and
 * "N min read" readers), for the bench's side-by-side extractors on other DOMs: the browser's
 * (`listing-dom.ts`) and htmlparser2's (`listing-peer.ts`). Written once, so that the three
 * differ only in how they parse and select, which is what the bench measures.
 */
import {
  readDate,
  readMinutes,
  siteUrl,
  type FieldRole,
  type ListingPost,
} from '@/utils/listing/extract';

/** What a DOM gives of one card's elements. */
export interface CardAccess<E> {
  /** The element playing `role` in the card (the card itself for an empty path), if any. */
  part(role: FieldRole): E | undefined;
  /** The element's text content. */
  text(element: E): string;
  /** The link's `href`: the element's own when it is an `<a>`, else its first inner `<a>`'s. */
  href(link: E): string | undefined;
  /** The date's `datetime`: the element's own, else its first inner element's that has one. */
  datetime(date: E): string | undefined;
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
const cap = (text: string, length: number) =>
  text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text;

/**
 * The posts of `cards`, in order, each read through `access(card)`: a card without a link to
 * the site or without a title gives none, and a link already given is not given again.
 */
export function cardPosts<C, E>(
  cards: Iterable<C>,
  access: (card: C) => CardAccess<E>,
  base: string,
  pageUrl: string,
): ListingPost[] {
  const posts: ListingPost[] = [];
  const seen = new Set<string>();
  for (const card of cards) {
    const { part, text: rawText, href, datetime } = access(card);
    const text = (element: E) => collapse(rawText(element));
    const link = part('link');
    const url = link && siteUrl(href(link), base, pageUrl)?.href;
    const titleElement = part('title');
    const title = titleElement && cap(text(titleElement), 300);
    if (!url || !title || seen.has(url)) continue;
    seen.add(url);
    const post: ListingPost = { url, title, guid: url };
    const category = part('category');
    if (category && text(category)) post.category = cap(text(category), 80);
    const summary = part('summary');
    if (summary && text(summary)) post.summary = cap(text(summary), 500);
    const date = part('date');
    if (date) {
      const parsed = Date.parse(datetime(date) ?? '');
      const publishedAt = Number.isNaN(parsed) ? readDate(text(date)) : parsed;
      if (publishedAt !== undefined) post.publishedAt = publishedAt;
    }
    const reading = part('readingTime');
    const minutes = reading && readMinutes(text(reading));
    if (minutes) post.readingMinutes = minutes;
    posts.push(post);
  }
  return posts;
}
