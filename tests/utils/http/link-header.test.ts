import { describe, expect, it } from 'vitest';
import { feedLinksFromHeader } from '@/utils/http/link-header';

const PAGE = 'https://blog.example/posts/';

describe('feedLinksFromHeader', () => {
  it.each([
    ['</feed.xml>; rel="alternate"; type="application/rss+xml"', ['https://blog.example/feed.xml']],
    [
      '<atom.xml>; rel=alternate; type=application/atom+xml',
      ['https://blog.example/posts/atom.xml'],
    ],
    ['<https://feeds.example/b>; rel="feed"', ['https://feeds.example/b']],
    [
      '</f.json>; type="application/feed+json"; rel="Alternate Home"',
      ['https://blog.example/f.json'],
    ],
    [
      '</wp-json/>; rel="https://api.w.org/", </feed/>; rel="alternate"; type="application/rss+xml"; title="A, B"',
      ['https://blog.example/feed/'],
    ],
    ['</a.xml>; rel="feed", </a.xml>; rel="feed"', ['https://blog.example/a.xml']],
  ])('reads %j', (header, expected) => {
    expect(feedLinksFromHeader(header, PAGE)).toEqual(expected);
  });

  it.each([
    [null],
    [''],
    ['</style.css>; rel="stylesheet"'],
    ['</page>; rel="alternate"; type="text/html"'],
    ['<javascript:alert(1)>; rel="feed"'],
    ['</feed.xml>; rel'],
    ['garbage without brackets'],
    ['</feed.xml'],
  ])('finds no feed in %j', (header) => {
    expect(feedLinksFromHeader(header, PAGE)).toEqual([]);
  });

  it('keeps the first of a repeated parameter', () => {
    expect(feedLinksFromHeader('</f.xml>; rel="feed"; rel="stylesheet"', PAGE)).toEqual([
      'https://blog.example/f.xml',
    ]);
  });
});
