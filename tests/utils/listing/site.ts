/**
 * A feed-less blog on the loopback test server for the worker's listing tests: the seed
 * listing at `/blog` (rendered by `seed.ts`), older pages linked by "Older posts", and article
 * pages of a chosen length.
 */
import type { FeedServer } from '../../helpers/feeds';
import { readSeedListing, renderSeedListing, seedSlug, type SeedPost } from './seed';

export const HTML = { 'content-type': 'text/html; charset=utf-8' };

/** Where the listing lives on the test server. */
export const LISTING_PATH = '/blog';

/** A card that is not in the seed: a post published after it. */
export function aNewCard(title = 'Mamba-3: What Changed'): SeedPost {
  return {
    category: 'State Space Model',
    title,
    summary: 'A short look at what the third version of Mamba changes, and why it matters.',
    readingTime: '4 min read',
  };
}

/** `count` cards of older posts ("Older post <from>"…), all in one category. */
export function olderCards(count: number, from = 1): SeedPost[] {
  return Array.from({ length: count }, (_, index) => ({
    category: 'Transformer',
    title: `Older post ${from + index}`,
    summary: `An older post, number ${from + index}, about attention and its costs.`,
    readingTime: '3 min read',
  }));
}

/** The listing page's HTML with a pagination link to `older` (a path) before `</main>`. */
export function withOlderLink(html: string, older: string | undefined): string {
  if (!older) return html;
  return html.replace(
    '</main>',
    `<nav class="pagination" aria-label="Pagination"><a rel="next" href="${older}">Older posts →</a></nav></main>`,
  );
}

/** A page of the listing showing exactly `cards`, linking to `older`. */
export function listingPage(cards: SeedPost[], older?: string): string {
  return withOlderLink(renderSeedListing({ extraPosts: cards, count: cards.length }), older);
}

/** An article page whose `<article>` holds `words` words and `images` images (the title is outside it). */
export function articlePage(title: string, words: number, images = 0): string {
  const text = Array.from({ length: words }, (_, index) => `word${index % 50}`).join(' ');
  const figures = Array.from({ length: images }, (_, n) => `<img src="/figure-${n}.png" alt="">`);
  return `<!doctype html><html><head><title>${title}</title></head><body>
<header><nav><a href="/">Home</a></nav></header>
<main><h1>${title}</h1><article><p>${text}</p>${figures.join('')}</article></main>
<footer><p>© 2024</p></footer></body></html>`;
}

/** The path of a card's article. */
export const articlePath = (post: Pick<SeedPost, 'title'>): string =>
  `${LISTING_PATH}/${seedSlug(post.title)}`;

/** Serves the seed listing (with `extra` cards first) at {@link LISTING_PATH}. */
export function serveSeedListing(
  server: FeedServer,
  options: Parameters<typeof renderSeedListing>[0] = {},
  headers: Record<string, string> = {},
): void {
  server.route(LISTING_PATH, {
    body: renderSeedListing(options),
    headers: { ...HTML, ...headers },
  });
}

/** Every seed post's article, `words` long. */
export function serveSeedArticles(server: FeedServer, words: number, images = 0): void {
  for (const post of readSeedListing().posts) {
    server.route(articlePath(post), {
      body: articlePage(post.title, words, images),
      headers: HTML,
    });
  }
}
