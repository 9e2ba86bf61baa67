/**
 * A listing page's preview as the worker answers it (`previewListing`, the subscribe answer
 * `listing`), shaped like the seed blog's: cards with a category, a title link, a summary and
 * "2 min read". For the options page's state and component tests.
 */
import type { ListingExtractor } from '@/utils/listing/extract';
import type { ListingPreview } from '@/utils/messaging';

export const LISTING_URL = 'https://blog.example/';

export function anExtractor(changes: Partial<ListingExtractor> = {}): ListingExtractor {
  return {
    version: 1,
    cards: 'main > div.grid > article.card',
    fields: [
      { role: 'category', path: 'div.meta > span:nth-of-type(1)', sample: 'Transformer' },
      { role: 'readingTime', path: 'div.meta > span:nth-of-type(2)', sample: '2 min read' },
      { role: 'title', path: 'h2' },
      { role: 'link', path: 'h2 > a' },
      { role: 'summary', path: 'p' },
    ],
    count: 9,
    ...changes,
  };
}

export function aPreview(changes: Partial<ListingPreview> = {}): ListingPreview {
  return {
    url: LISTING_URL,
    title: 'Edge Notes',
    extractor: anExtractor(),
    summary: '9 posts in 2 categories: State Space Model, Transformer',
    description:
      "Cards: article.card in main (9 found). Title: the h2. Category: the span in the div.meta ('Transformer'). Summary: the p. Reading time: '2 min read'.",
    posts: [
      {
        title: 'Attention, briefly',
        url: 'https://blog.example/posts/attention',
        category: 'Transformer',
        readingMinutes: 2,
      },
      { title: 'Mamba in a page', url: 'https://blog.example/posts/mamba' },
    ],
    count: 9,
    parts: [
      { path: 'div.meta > span:nth-of-type(1)', text: 'Transformer', role: 'category' },
      { path: 'div.meta > span:nth-of-type(2)', text: '2 min read', role: 'readingTime' },
      { path: 'h2', text: 'Attention, briefly', role: 'title' },
      { path: 'p', text: 'What attention computes, in one page.', role: 'summary' },
      { path: 'span.more', text: 'Read more' },
    ],
    ...changes,
  };
}
