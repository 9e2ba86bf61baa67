import { describe, expect, it } from 'vitest';
import { extractPosts, type ListingExtractor } from '@/utils/listing/extract';
import { describeExtractor, describePath, learnExtractor } from '@/utils/listing/learn';
import { asExpected, listingFixture, NEGATIVE_FIXTURES, POSITIVE_FIXTURES } from './fixtures';
import { readSeedListing, renderSeedListing, seedSlug } from './seed';

/** Learns from `html` and fails the test when nothing was learned. */
function learn(html: string, pageUrl: string) {
  const result = learnExtractor(html, pageUrl);
  if (!result.ok) throw new Error(`learned nothing: ${result.reason}`);
  return result;
}

describe('learnExtractor', () => {
  it.each(POSITIVE_FIXTURES)('finds exactly the posts of %s', (name) => {
    const { html, pageUrl, posts } = listingFixture(name);

    const learned = learn(html, pageUrl);

    expect(learned.posts.map(asExpected)).toEqual(posts);
    expect(learned.extractor.count).toBe(posts.length);
    expect(learned.posts.every((post) => post.guid === post.url)).toBe(true);
  });

  it.each(POSITIVE_FIXTURES)('finds the same posts in %s without its indentation', (name) => {
    const { html, pageUrl, posts } = listingFixture(name);

    const learned = learn(html.replace(/>\s+</g, '><'), pageUrl);

    expect(learned.posts.map(asExpected)).toEqual(posts);
  });

  it.each(NEGATIVE_FIXTURES)('finds no listing on %s, and says why', (name) => {
    const { html, pageUrl } = listingFixture(name);

    const result = learnExtractor(html, pageUrl);

    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/\w+ \w+/) });
  });

  it('says an article with a side list of related posts is an article', () => {
    const { html, pageUrl } = listingFixture('article-page');

    expect(learnExtractor(html, pageUrl)).toMatchObject({ reason: /looks like an article/ });
  });

  it('reads the seed listing: 9 posts, 2 categories, 2 minutes each', () => {
    const { posts: seed } = readSeedListing();

    const { posts } = learn(renderSeedListing(), 'https://chaos.example/blog');

    expect(posts.map((post) => post.title)).toEqual(seed.map((post) => post.title));
    expect(posts.map((post) => post.url)).toEqual(
      seed.map((post) => `https://chaos.example/blog/${seedSlug(post.title)}`),
    );
    const categories = new Map<string | undefined, number>();
    for (const { category } of posts) categories.set(category, (categories.get(category) ?? 0) + 1);
    expect([...categories]).toEqual([
      ['State Space Model', 3],
      ['Transformer', 6],
    ]);
    expect(posts.every((post) => post.readingMinutes === 2)).toBe(true);
    expect(posts[0]!.summary).toMatch(/^xLSTM \(Extended Long Short-Term Memory\) modernizes/);
  });

  it('learns data that survives JSON and reads the same posts back', () => {
    const { html, pageUrl } = listingFixture('ghost-casper');
    const learned = learn(html, pageUrl);

    const stored = JSON.parse(JSON.stringify(learned.extractor)) as ListingExtractor;

    expect(stored).toEqual(learned.extractor);
    expect(extractPosts(html, pageUrl, stored).posts).toEqual(learned.posts);
  });

  it('names cards by structure and stable class names, not hashes or utilities', () => {
    const { html, pageUrl } = listingFixture('nextjs-cards');

    const { extractor } = learn(html, pageUrl);

    expect(extractor.cards).toBe('div.Blog_grid.grid > article.PostCard_card');
    expect(extractor.fields).toContainEqual({
      role: 'readingTime',
      path: 'div.PostCard_footer > span',
      sample: '2 min read',
    });
    expect(JSON.stringify(extractor)).not.toMatch(/x7f3a|rounded|text-/);
  });

  it('leaves out cards that are ads or newsletter boxes of the same shape', () => {
    const { html, pageUrl } = listingFixture('ads-interleaved');

    const { extractor, posts } = learn(html, pageUrl);

    expect(extractor.cards).toBe(
      'section.feed > div.feed-item:not(.feed-item--sponsored):not(.feed-item--newsletter)',
    );
    expect(posts.some((post) => /CloudThing|digest/.test(post.title))).toBe(false);
  });

  it('finds cards inside wrappers and across sections', () => {
    const { html, pageUrl } = listingFixture('nested-wrappers');

    const { extractor } = learn(html, pageUrl);

    expect(extractor.cards).toBe(
      'main > div.container > div.row > div > div.card-wrapper > div.card',
    );
  });

  it.each([
    ['tag, category, author and page links', '/tags/x', '/category/x', '/author/x', '/page/2'],
    ['the listing itself and the home page', '/blog', '/blog/', '/', '/blog?page=2'],
    ['files and other sites', '/a.pdf', '/b.jpg', 'https://other.example/c', 'mailto:a@b.c'],
  ])('takes no %s for posts', (_what, ...hrefs) => {
    const html = `<main><ul>${hrefs
      .map((href) => `<li><h2><a href="${href}">A title for ${href}</a></h2></li>`)
      .join('')}</ul></main>`;

    expect(learnExtractor(html, 'https://site.example/blog').ok).toBe(false);
  });

  it('takes no links inside sentences for a list of posts', () => {
    const prose = [1, 2, 3, 4]
      .map(
        (n) =>
          `<p>As we wrote in <a href="/blog/post-${n}">an earlier post</a>, the approach generalises to many more settings than the one we first considered here.</p>`,
      )
      .join('');

    expect(learnExtractor(`<main>${prose}</main>`, 'https://site.example/blog').ok).toBe(false);
  });
});

describe('describeExtractor', () => {
  it('puts the extractor in words', () => {
    const extractor: ListingExtractor = {
      version: 1,
      cards: 'main > div.grid > article.card',
      count: 9,
      fields: [
        { role: 'link', path: 'h2 > a' },
        { role: 'title', path: 'h2', sample: 'xLSTM' },
        { role: 'category', path: 'span.tag', sample: 'Transformer' },
        { role: 'summary', path: 'p' },
        { role: 'readingTime', path: 'div > span', sample: '2 min read' },
      ],
    };

    expect(describeExtractor(extractor)).toBe(
      "Cards: article.card in main (9 found). Title: the h2. Category: the span.tag ('Transformer'). Summary: the p. Reading time: '2 min read'.",
    );
  });

  it.each([
    ['', 'the card itself'],
    ['h2 > a', 'the a in the h2'],
    ['div.meta > span:nth-of-type(2)', 'the 2nd span in the div.meta'],
    ['div > div > a > h2.title', 'the h2.title in the div'],
  ])('describes the path %j as %j', (path, words) => {
    expect(describePath(path)).toBe(words);
  });

  it('describes what it learned from the seed listing', () => {
    const { extractor } = learn(renderSeedListing(), 'https://chaos.example/blog');

    expect(describeExtractor(extractor)).toBe(
      "Cards: a in div.grid (9 found). Title: the h2. Link: the card itself. Category: the span in the div ('State Space Model'). Summary: the p. Reading time: '2 min read'.",
    );
  });
});
