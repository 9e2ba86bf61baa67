import { describe, expect, it } from 'vitest';
import { nextPageUrl } from '@/utils/listing/paginate';
import { listingFixture } from './fixtures';

/** A page with `body` in its `<body>` (and `head` in its `<head>`). */
const page = (body: string, head = '') =>
  `<!doctype html><html><head><title>Blog</title>${head}</head><body><main><h1>Posts</h1>${body}</main></body></html>`;

describe('nextPageUrl', () => {
  it.each([
    ['wordpress-archive', 'https://wp.example/2024/04/page/2/'],
    ['hugo-list', 'https://hugo.example/posts/page/2/'],
    ['nested-wrappers', 'https://nested.example/journal?page=2'],
  ])('finds the older posts of the %s fixture', (name, expected) => {
    const { html, pageUrl } = listingFixture(name);

    expect(nextPageUrl(html, pageUrl)).toBe(expected);
  });

  it.each(['nextjs-cards', 'substack-archive', 'login-page'])(
    'finds none on %s, which has no pagination',
    (name) => {
      const { html, pageUrl } = listingFixture(name);

      expect(nextPageUrl(html, pageUrl)).toBeUndefined();
    },
  );

  it('takes no "Next » <title>" link between articles for older posts', () => {
    const { html, pageUrl } = listingFixture('article-page');

    expect(nextPageUrl(html, pageUrl)).toBeUndefined();
  });

  it('reads Ghost’s <link rel="next"> first', () => {
    const { html, pageUrl } = listingFixture('ghost-casper');
    const paged = html.replace(
      '</head>',
      '<link rel="next" href="https://ghost.example/page/2/"></head>',
    );

    expect(nextPageUrl(paged, pageUrl)).toBe('https://ghost.example/page/2/');
  });

  it('follows an <a rel="next"> before a link named "Next"', () => {
    const html = page('<a href="/elsewhere">Next</a> <a rel="prefetch next" href="/page/2/">2</a>');

    expect(nextPageUrl(html, 'https://blog.example/')).toBe('https://blog.example/page/2/');
  });

  it('prefers a named link inside the pagination to one elsewhere', () => {
    const html = page(
      '<div class="slides"><a href="/slide-2">Next</a></div>' +
        '<nav class="pagination"><a href="/page/2/">Next page</a></nav>',
    );

    expect(nextPageUrl(html, 'https://blog.example/')).toBe('https://blog.example/page/2/');
  });

  it.each([
    ['« Older Entries', '/page/2/'],
    ['Older posts →', '/page/2/'],
    ['Older', '/page/2/'],
    ['Previous Posts', '/page/2/'],
    ['More posts', '/page/2/'],
    ['»', '/page/2/'],
    ['›', '/page/2/'],
  ])('reads a link named "%s" as older posts', (name, href) => {
    const html = page(`<div class="nav-previous"><a href="${href}">${name}</a></div>`);

    expect(nextPageUrl(html, 'https://wp.example/')).toBe('https://wp.example/page/2/');
  });

  it('reads an aria-label when the link shows an icon only', () => {
    const html = page('<a href="/page/2/" aria-label="Older posts"><svg></svg></a>');

    expect(nextPageUrl(html, 'https://blog.example/')).toBe('https://blog.example/page/2/');
  });

  it.each(['Newer posts', 'Previous page', '« Prev', '«', 'Read more'])(
    'takes no link named "%s" for older posts',
    (name) => {
      const html = page(`<nav class="pagination"><a href="/page/2/">${name}</a></nav>`);

      expect(nextPageUrl(html, 'https://blog.example/')).toBeUndefined();
    },
  );

  it('takes the number after the current one in Jekyll’s /pageN/ pagination', () => {
    const html = page(
      '<div class="pagination"><a href="/">1</a> <span>2</span> <a href="/page3/">3</a> <a href="/page4/">4</a></div>',
    );

    expect(nextPageUrl(html, 'https://jekyll.example/page2/')).toBe(
      'https://jekyll.example/page3/',
    );
  });

  it('takes the number after the one marked current, Substack-like ?page=2', () => {
    const html = page(
      '<nav aria-label="Pagination"><a href="?page=1" aria-current="page">1</a><a href="?page=2">2</a><a href="?page=3">3</a></nav>',
    );

    expect(nextPageUrl(html, 'https://letters.example/archive')).toBe(
      'https://letters.example/archive?page=2',
    );
  });

  it('takes no number outside a pagination container', () => {
    const html = page('<ol><li><a href="/page/2/">2</a></li></ol>');

    expect(nextPageUrl(html, 'https://blog.example/')).toBeUndefined();
  });

  it('refuses a "next" page on another site, and takes the next candidate', () => {
    const away = page('<a rel="next" href="https://elsewhere.example/page/2/">Next</a>');
    const both = page(
      '<a rel="next" href="https://elsewhere.example/page/2/">Next</a><a href="/page/2/">Older posts</a>',
      '<link rel="next" href="http://blog.example/page/2/">',
    );

    expect(nextPageUrl(away, 'https://blog.example/')).toBeUndefined();
    expect(nextPageUrl(both, 'https://blog.example/')).toBe('https://blog.example/page/2/');
  });

  it.each(['javascript:loadMore()', 'data:text/html,<p>2</p>', 'mailto:me@blog.example', ''])(
    'refuses the link "%s"',
    (href) => {
      const html = page(`<a rel="next" href="${href}">Older posts</a>`);

      expect(nextPageUrl(html, 'https://blog.example/')).toBeUndefined();
    },
  );

  it('never gives the page itself, with or without a fragment', () => {
    const html = page(
      '<a href="#more">Next</a> <a href="/blog">Older posts</a>',
      '<link rel="next" href="https://blog.example/blog#page2">',
    );

    expect(nextPageUrl(html, 'https://blog.example/blog#top')).toBeUndefined();
  });

  it('resolves against <base href> and drops the fragment', () => {
    const html = page(
      '<a href="page/2/#content">Older posts</a>',
      '<base href="https://blog.example/archive/">',
    );

    expect(nextPageUrl(html, 'https://blog.example/')).toBe('https://blog.example/archive/page/2/');
  });

  it('is undefined for a page address that is not http(s)', () => {
    expect(nextPageUrl(page('<a href="/page/2/">Next</a>'), 'file:///blog.html')).toBeUndefined();
  });
});
