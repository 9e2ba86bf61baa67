import { describe, expect, it } from 'vitest';
import { articleText, MAX_ARTICLE_TEXT, MIN_ARTICLE_WORDS } from '@/utils/listing/article';
import { countWords } from '@/utils/text';
import { listingFixture } from './fixtures';

const PARAGRAPHS = [
  'State space models read a sequence through a fixed-size state, updated at every token.',
  'Mamba makes that update depend on the input, so the model chooses what to remember.',
  'Its scan runs in linear time, which is why long documents no longer cost quadratic attention.',
  'The price is a recurrence that is harder to parallelise, solved with a hardware-aware kernel.',
  'In practice it matches Transformers of twice its size on language modelling benchmarks.',
];
const ARTICLE_TEXT = [
  'State Space Model',
  'Mamba: Architecture & How It Works',
  'By Ada · 5 May 2024 · 2 min read',
  ...PARAGRAPHS,
].join(' ');

/** The demo blog's article page (`renderArticle` in scripts/demo-blog/server.mjs). */
const demoArticle = (images = '') => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Mamba — Research &amp; Writing</title><style>body { margin: 0 }</style></head>
  <body>
    <header class="site"><a href="/">Research &amp; Writing</a></header>
    <main>
      <article>
        <p class="category">State Space Model</p>
        <h1>Mamba: Architecture &amp; How It Works</h1>
        <p class="meta">By Ada · <time datetime="2024-05-05">5 May 2024</time> · 2 min read</p>
${PARAGRAPHS.map((p) => `<p>${p}</p>`).join('\n')}${images}
      </article>
      <p><a href="/">← All posts</a></p>
    </main>
  </body>
</html>`;

describe('articleText', () => {
  it('counts the words of the demo blog’s article, as countWords counts them', () => {
    const result = articleText(demoArticle());

    expect(result).toEqual({ words: countWords(ARTICLE_TEXT), images: 0 });
    expect(result!.words).toBeGreaterThanOrEqual(MIN_ARTICLE_WORDS);
  });

  it('counts the images inside the article only', () => {
    const html = demoArticle(
      '<figure><img src="/a.png" alt=""><figcaption>The scan</figcaption></figure><picture><source srcset="/b.avif"><img src="/b.png"></picture>',
    ).replace('<a href="/">Research', '<a href="/"><img src="/logo.png"> Research');

    expect(articleText(html)).toEqual({ words: countWords(`${ARTICLE_TEXT} The scan`), images: 2 });
  });

  it('leaves out navigation, header, footer, sidebar, forms and scripts of a page without <article> or <main>', () => {
    const noise = 'Home Archive About Subscribe to the newsletter for weekly updates and more';
    const html = `<html><head><title>Post</title><script>var words = "${noise}";</script></head><body>
      <header><h1>The Blog</h1><nav><a href="/">${noise}</a></nav></header>
      <div class="layout">
        <div class="content">${PARAGRAPHS.map((p) => `<p>${p}</p>`).join('')}</div>
        <aside class="sidebar"><h3>Popular</h3><ul><li>${noise}</li><li>${noise}</li></ul></aside>
      </div>
      <form><label>Email ${noise}</label><button>Subscribe</button></form>
      <noscript>${noise}</noscript><template><p>${noise}</p></template>
      <svg><text>${noise}</text></svg>
      <div hidden>${noise}</div>
      <footer>© 2024 ${noise}</footer>
    </body></html>`;

    expect(articleText(html)).toEqual({ words: countWords(PARAGRAPHS.join(' ')), images: 0 });
  });

  it('takes <main> when there is no <article>', () => {
    const html = `<body><nav>${'menu '.repeat(100)}</nav><main>${PARAGRAPHS.join(
      ' ',
    )}</main><p>${'elsewhere '.repeat(100)}</p></body>`;

    expect(articleText(html)?.words).toBe(countWords(PARAGRAPHS.join(' ')));
  });

  it('takes the <article> with the most text when there are several', () => {
    const html = `<main>
      <article class="post">${PARAGRAPHS.map((p) => `<p>${p}</p>`).join('')}</article>
      <section class="comments">${'<article class="comment"><p>Great post, thanks!</p></article>'.repeat(5)}</section>
    </main>`;

    expect(articleText(html)?.words).toBe(countWords(PARAGRAPHS.join(' ')));
  });

  it('keeps words apart across blocks and together across inline tags', () => {
    const words = 'word '.repeat(MIN_ARTICLE_WORDS);
    const html = `<article><p>${words}</p><p>one</p><p>two</p><p>un<em>believ</em>able</p><ul><li>a</li><li>b</li></ul></article>`;

    expect(articleText(html)?.words).toBe(MIN_ARTICLE_WORDS + 5);
  });

  it('finds no article on a login page', () => {
    const { html } = listingFixture('login-page');

    expect(articleText(html)).toBeUndefined();
  });

  it.each([
    ['a "not found" page', '<main><h1>Page not found</h1><p><a href="/">Home</a></p></main>'],
    ['an empty page', ''],
    ['a page of scripts', `<body><script>${'x = 1; '.repeat(1000)}</script></body>`],
  ])('finds no article on %s', (_what, html) => {
    expect(articleText(html)).toBeUndefined();
  });

  it('counts a Hugo article page without its related posts and tag list', () => {
    const { html } = listingFixture('article-page');

    const result = articleText(html);

    expect(result!.words).toBeGreaterThan(MIN_ARTICLE_WORDS);
    expect(result!.words).toBeLessThan(countWords(html));
  });

  it('stops reading a huge page at its text limit', () => {
    const html = `<article><p>${'word '.repeat(MAX_ARTICLE_TEXT / 2)}</p></article>`;

    const result = articleText(html);

    expect(result!.words).toBeGreaterThan(MIN_ARTICLE_WORDS);
    expect(result!.words).toBeLessThanOrEqual(MAX_ARTICLE_TEXT / 5 + 1);
  });
});
