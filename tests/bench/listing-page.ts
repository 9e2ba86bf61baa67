/**
 * The generated listing page of the listing benches: the Node bench (`listing.bench.ts`) and
 * the Chromium one (`listing.browser.ts`) parse the same page.
 */

export const CARDS = 500;
export const PAGE = 'https://bench.example/blog';

/** A card grid like the seed listing's: category, title link, summary, date, reading time. */
export function generatePage(cards: number): string {
  const items = Array.from(
    { length: cards },
    (_, n) => `<article class="PostCard_card__x7f3a group rounded-xl border p-6">
  <div class="PostCard_meta__9kLmQ"><span class="PostCard_category__p0Wd2 text-xs">${n % 3 ? 'Transformer' : 'State Space Model'}</span></div>
  <h3 class="PostCard_title__4hTzA text-lg"><a href="/blog/post-${n}">Post ${n}: Architecture &amp; How It Works</a></h3>
  <p class="PostCard_excerpt__Jx8vE line-clamp-3">Summary of post ${n}, which explains an architecture in enough words to look like a real excerpt of a real post.</p>
  <div class="PostCard_footer__b7Yc1"><time datetime="2024-01-${String((n % 28) + 1).padStart(2, '0')}">Jan ${(n % 28) + 1}, 2024</time> · <span>${(n % 9) + 1} min read</span></div>
</article>`,
  ).join('\n');
  return `<!doctype html><html><head><title>Blog</title><script>var x = 1;</script></head><body>
<header><nav><a href="/">Home</a><a href="/blog">Blog</a></nav></header>
<main class="Blog_main__a1B2c"><h1>Blog</h1><div class="Blog_grid__Vt6Ux grid gap-6">${items}</div>
<nav class="pagination"><a href="/blog/page/2">Next</a></nav></main>
<footer><p>© 2024</p></footer></body></html>`;
}
