import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMON_FEED_PATHS, discoverFeedLinks, looksLikeFeed } from '@/utils/feed/discover';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url), 'utf8');

const page = (head: string): string =>
  `<!doctype html><html><head>${head}</head><body></body></html>`;

describe('discoverFeedLinks', () => {
  it('finds the advertised feeds of a real-looking page, in document order', () => {
    const feeds = discoverFeedLinks(fixture('html-page.html'), 'https://research.example/about');

    expect(feeds).toEqual([
      { url: 'https://research.example/blog/feed.xml', title: 'All posts', type: 'rss' },
      { url: 'https://research.example/blog/atom.xml', type: 'atom' },
      { url: 'https://research.example/blog/feed.json', title: 'JSON', type: 'json' },
      { url: 'https://research.example/firehose', type: 'unknown' },
      { url: 'https://cdn.research.example/index.rdf', title: 'RDF', type: 'rdf' },
    ]);
  });

  it.each([
    ['application/rss+xml', 'rss'],
    ['application/atom+xml', 'atom'],
    ['application/rdf+xml', 'rdf'],
    ['application/feed+json', 'json'],
    ['application/json', 'json'],
    ['Application/RSS+XML; charset=UTF-8', 'rss'],
  ])('reads type %s as %s', (type, kind) => {
    const html = page(`<link rel="alternate" type="${type}" href="/feed">`);

    expect(discoverFeedLinks(html, 'https://site.example/')).toEqual([
      { url: 'https://site.example/feed', type: kind },
    ]);
  });

  it.each([
    ['rel="alternate" without a feed type', '<link rel="alternate" type="text/html" href="/de/">'],
    ['rel="alternate" without a type', '<link rel="alternate" href="/de/">'],
    ['a stylesheet', '<link rel="stylesheet" type="application/rss+xml" href="/x.css">'],
    ['a link without href', '<link rel="alternate" type="application/rss+xml">'],
    [
      'a javascript: href',
      '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">',
    ],
    [
      'a data: href',
      '<link rel="alternate" type="application/rss+xml" href="data:text/xml,<rss/>">',
    ],
    ['a type named like a prototype key', '<link rel="alternate" type="constructor" href="/x">'],
    [
      'the WordPress REST API',
      '<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/1">',
    ],
  ])('ignores %s', (_name, head) => {
    expect(discoverFeedLinks(page(head), 'https://site.example/')).toEqual([]);
  });

  it('treats rel as a case-insensitive token list', () => {
    const html = page('<link rel="  Home ALTERNATE " type="application/atom+xml" href="a.xml">');

    expect(discoverFeedLinks(html, 'https://site.example/blog/')).toEqual([
      { url: 'https://site.example/blog/a.xml', type: 'atom' },
    ]);
  });

  it('resolves against the first <base href>, itself relative to the page', () => {
    const html = page(
      '<base href="../static/"><base href="https://ignored.example/">' +
        '<link rel="alternate" type="application/rss+xml" href="rss.xml">',
    );

    expect(discoverFeedLinks(html, 'https://site.example/blog/post/')).toEqual([
      { url: 'https://site.example/blog/static/rss.xml', type: 'rss' },
    ]);
  });

  it('de-duplicates feeds that resolve to the same URL, keeping the first', () => {
    const html = page(
      '<link rel="alternate" type="application/rss+xml" title="First" href="/feed.xml">' +
        '<link rel="alternate" type="application/rss+xml" title="Second" href="https://site.example/feed.xml">',
    );

    expect(discoverFeedLinks(html, 'https://site.example/')).toEqual([
      { url: 'https://site.example/feed.xml', title: 'First', type: 'rss' },
    ]);
  });

  it('decodes entities in href and title', () => {
    const html = page(
      '<link rel="alternate" type="application/rss+xml" title="Q&amp;A" href="/feed?a=1&amp;b=2">',
    );

    expect(discoverFeedLinks(html, 'https://site.example/')).toEqual([
      { url: 'https://site.example/feed?a=1&b=2', title: 'Q&A', type: 'rss' },
    ]);
  });

  it('returns nothing for a page without feed links', () => {
    expect(
      discoverFeedLinks('<html><body><p>Hi</p></body></html>', 'https://site.example/'),
    ).toEqual([]);
  });
});

describe('COMMON_FEED_PATHS', () => {
  it('lists the usual feed locations, most likely first', () => {
    expect(COMMON_FEED_PATHS).toEqual([
      '/feed.xml',
      '/rss.xml',
      '/atom.xml',
      '/index.xml',
      '/feed',
      '/rss',
      '/feed.json',
    ]);
  });
});

describe('looksLikeFeed', () => {
  it.each([
    ['RSS', fixture('research-blog.rss.xml')],
    ['Atom', fixture('atom-xhtml-base.atom.xml')],
    ['RDF', fixture('rdf.xml')],
    ['JSON Feed', fixture('json-feed.json')],
    [
      'RSS behind a BOM, comments and a DOCTYPE',
      '\uFEFF <!-- hi --><!DOCTYPE rss [<!ENTITY x "y">]>\n<rss version="2.0"/>',
    ],
    ['Atom with a prefix', '<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"/>'],
  ])('says yes to %s', (_name, text) => {
    expect(looksLikeFeed(text)).toBe(true);
  });

  it.each([
    ['an HTML page', fixture('html-page.html')],
    ['XHTML', '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>'],
    ['a sitemap', '<?xml version="1.0"?><urlset/>'],
    ['plain text', 'Not Found'],
    ['other JSON', '{"error": "not found"}'],
    ['an empty body', ''],
  ])('says no to %s', (_name, text) => {
    expect(looksLikeFeed(text)).toBe(false);
  });
});
