import { describe, expect, it } from 'vitest';
import {
  checkDrift,
  extractPosts,
  readDate,
  readMinutes,
  withFieldRole,
  type ExtractResult,
  type ListingExtractor,
} from '@/utils/listing/extract';
import { learnExtractor } from '@/utils/listing/learn';
import { asExpected, listingFixture } from './fixtures';
import { renderSeedListing, type SeedPost } from './seed';

const PAGE = 'https://chaos.example/blog';
const NEW_POST: SeedPost = {
  category: 'Transformer',
  title: 'Mixture of Experts: Architecture & How It Works',
  summary: 'Mixture-of-Experts models route each token to a few expert networks out of many.',
  readingTime: '3 min read',
};

function learned(html: string, pageUrl = PAGE): ListingExtractor {
  const result = learnExtractor(html, pageUrl);
  if (!result.ok) throw new Error(result.reason);
  return result.extractor;
}

const result = (posts: number, cards = posts, incomplete = 0): ExtractResult => ({
  posts: Array.from({ length: posts }, (_, n) => ({
    url: `https://a.example/${n}`,
    title: `${n}`,
    guid: `https://a.example/${n}`,
  })),
  cards,
  incomplete,
  problems: [],
});

describe('extractPosts', () => {
  it('reads a new post on the page it learned from, and reports no drift', () => {
    const extractor = learned(renderSeedListing());

    const next = extractPosts(renderSeedListing({ extraPosts: [NEW_POST] }), PAGE, extractor);

    expect(next.posts).toHaveLength(10);
    expect(next.posts[0]).toEqual({
      url: 'https://chaos.example/blog/mixture-of-experts-architecture-and-how-it-works',
      guid: 'https://chaos.example/blog/mixture-of-experts-architecture-and-how-it-works',
      title: NEW_POST.title,
      category: 'Transformer',
      summary: NEW_POST.summary,
      readingMinutes: 3,
    });
    expect(next.problems).toEqual([]);
    expect(checkDrift(extractor.count, next)).toBeUndefined();
  });

  it('reads a new post on a theme fixture too', () => {
    const { html, pageUrl, posts } = listingFixture('wordpress-archive');
    const extractor = learned(html, pageUrl);
    const first = html.indexOf('<article');
    const copy = html
      .slice(first, html.indexOf('</article>', first) + 10)
      .replaceAll('why-we-rewrote-our-parser-in-rust', 'a-newer-post')
      .replaceAll('Why We Rewrote Our Parser in Rust', 'A Newer Post');

    const next = extractPosts(html.slice(0, first) + copy + html.slice(first), pageUrl, extractor);

    expect(next.posts.map(asExpected)).toEqual([
      { ...posts[0]!, title: 'A Newer Post', url: 'https://wp.example/2024/05/a-newer-post/' },
      ...posts,
    ]);
  });

  it('flags drift when the class names change completely', () => {
    const { html, pageUrl } = listingFixture('nextjs-cards');
    const extractor = learned(html, pageUrl);
    const redesigned = html.replace(/class="[^"]*"/g, (match) =>
      match.replace(/[A-Z]\w*_\w+__\w+/g, (name) => `Redesign${name.length}_x__Ab12c`),
    );

    const next = extractPosts(redesigned, pageUrl, extractor);

    expect(next.posts).toEqual([]);
    expect(next.problems).toEqual([`No cards matched "${extractor.cards}".`]);
    expect(checkDrift(extractor.count, next)?.reason).toBe(
      'No posts were found on the listing page: the page layout may have changed.',
    );
  });

  it('flags drift when most cards are removed', () => {
    const extractor = learned(renderSeedListing());

    const next = extractPosts(renderSeedListing({ count: 3 }), PAGE, extractor);

    expect(next.posts).toHaveLength(3);
    expect(checkDrift(extractor.count, next)?.reason).toBe(
      'Only 3 posts were found on the listing page, where there were 9: the page layout may have changed.',
    );
  });

  it('flags drift when cards lose their titles', () => {
    const extractor = learned(renderSeedListing());
    const html = renderSeedListing().replace(/<h2[^>]*>.*?<\/h2>/g, (match, offset: number) =>
      offset % 3 === 0 ? match : '<div></div>',
    );

    const next = extractPosts(html, PAGE, extractor);

    expect(next.incomplete).toBeGreaterThan(3);
    expect(next.problems).toContainEqual(expect.stringMatching(/^\d cards had no title\.$/));
    expect(checkDrift(extractor.count, next)?.reason).toMatch(
      /^\d of 9 cards on the listing page have no title or link/,
    );
  });

  it('reports a card path it cannot read', () => {
    const next = extractPosts('<main></main>', PAGE, {
      version: 1,
      cards: 'div!',
      fields: [],
      count: 3,
    });

    expect(next).toEqual({
      posts: [],
      cards: 0,
      incomplete: 0,
      problems: ['The card path "div!" cannot be read.'],
    });
  });

  it('keeps only http(s) links on the same site, without fragments or tracking', () => {
    const extractor: ListingExtractor = {
      version: 1,
      cards: 'ul > li',
      count: 6,
      fields: [
        { role: 'link', path: 'a' },
        { role: 'title', path: 'a' },
      ],
    };
    const hrefs = [
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'https://evil.example/blog/a',
      '//evil.example/b',
      'JaVaScRiPt:alert(2)',
      '/blog/ok?utm_source=x&id=2#comments',
      'https://www.chaos.example/blog/www-is-same-site',
    ];
    const html = `<ul>${hrefs.map((href, n) => `<li><a href="${href}">Post ${n}</a></li>`).join('')}</ul>`;

    const { posts, incomplete, problems } = extractPosts(html, PAGE, extractor);

    expect(posts.map((post) => post.url)).toEqual([
      'https://chaos.example/blog/ok?id=2',
      'https://www.chaos.example/blog/www-is-same-site',
    ]);
    expect(incomplete).toBe(5);
    expect(problems).toEqual(['5 cards had no link to a post on this site.']);
  });

  it('resolves links against <base href>', () => {
    const extractor: ListingExtractor = {
      version: 1,
      cards: 'li',
      count: 1,
      fields: [
        { role: 'link', path: 'a' },
        { role: 'title', path: 'a' },
      ],
    };
    const html =
      '<head><base href="/blog/posts/"></head><body><ul><li><a href="one">One</a></li></ul>';

    expect(extractPosts(html, PAGE, extractor).posts[0]?.url).toBe(
      'https://chaos.example/blog/posts/one',
    );
  });
});

describe('checkDrift', () => {
  it.each([
    ['no cards', 9, result(0, 0), /^No posts were found/],
    [
      'more than a third without title or link',
      9,
      result(6, 10, 4),
      /^4 of 10 cards .* no title or link/,
    ],
    [
      'fewer than half the posts of before',
      9,
      result(4),
      /^Only 4 posts were found .* there were 9/,
    ],
  ])('flags %s', (_what, previous, current, reason) => {
    expect(checkDrift(previous, current)?.reason).toMatch(reason);
  });

  it.each([
    ['a third without title or link', 9, result(6, 9, 3)],
    ['half the posts of before', 10, result(5)],
    ['more posts than before', 3, result(12)],
  ])('accepts %s', (_what, previous, current) => {
    expect(checkDrift(previous, current)).toBeUndefined();
  });
});

describe('withFieldRole', () => {
  const base: ListingExtractor = {
    version: 1,
    cards: 'main > article.card',
    count: 9,
    fields: [
      { role: 'link', path: 'h2 > a' },
      { role: 'title', path: 'h2 > a', sample: 'A' },
      { role: 'summary', path: 'div.meta > span', sample: 'Transformer' },
      { role: 'date', path: 'time' },
      { role: 'readingTime', path: 'time' },
    ],
  };

  it('makes the part at a path the category ("this is the category")', () => {
    const edited = withFieldRole(base, 'div.meta  >  span', 'category');

    expect(edited.fields).toEqual([
      { role: 'link', path: 'h2 > a' },
      { role: 'title', path: 'h2 > a', sample: 'A' },
      { role: 'date', path: 'time' },
      { role: 'readingTime', path: 'time' },
      { role: 'category', path: 'div.meta > span' },
    ]);
    expect(base.fields).toHaveLength(5);
  });

  it('moves a role to another part, keeping parts that may share an element', () => {
    expect(withFieldRole(base, 'h3', 'title').fields.map((f) => `${f.role}@${f.path}`)).toEqual([
      'link@h2 > a',
      'summary@div.meta > span',
      'date@time',
      'readingTime@time',
      'title@h3',
    ]);
  });

  it("removes every role from a part that is 'none'", () => {
    expect(withFieldRole(base, 'time', 'none').fields.map((f) => f.role)).toEqual([
      'link',
      'title',
      'summary',
    ]);
  });

  it('changes what is read', () => {
    const extractor = learned(renderSeedListing());
    const withoutCategory = withFieldRole(
      extractor,
      extractor.fields.find((f) => f.role === 'category')!.path,
      'none',
    );
    const summaryAsCategory = withFieldRole(extractor, 'p', 'category');

    expect(
      extractPosts(renderSeedListing(), PAGE, withoutCategory).posts[0]?.category,
    ).toBeUndefined();
    expect(extractPosts(renderSeedListing(), PAGE, summaryAsCategory).posts[0]?.category).toMatch(
      /^xLSTM \(Extended/,
    );
  });

  it('refuses a path that is not one', () => {
    expect(() => withFieldRole(base, 'div > [onclick]', 'title')).toThrow(TypeError);
  });
});

describe('readDate and readMinutes', () => {
  it.each([
    ['2024-01-05', '2024-01-05'],
    ['Posted 2024/1/5 by Ann', '2024-01-05'],
    ['Jan 5, 2024', '2024-01-05'],
    ['January 5th 2024 · 4 min read', '2024-01-05'],
    ['5 Sept 2024', '2024-09-05'],
    ['Dec. 31, 1999', '1999-12-31'],
    ['May 14', undefined],
    ['2024-13-05', undefined],
    ['12 min read', undefined],
  ])('reads %j as %s', (text, date) => {
    const time = readDate(text);
    expect(time === undefined ? undefined : new Date(time).toISOString().slice(0, 10)).toBe(date);
  });

  it.each([
    ['2 min read', 2],
    ['5 minute read', 5],
    ['10-minute read', 10],
    ['Jan 5 · 4 mins', 4],
    ['6 min · Ana', 6],
    ['12 minutes ago', undefined],
    ['0 min read', undefined],
    ['admin reading', undefined],
  ])('reads %j as %s minutes', (text, minutes) => {
    expect(readMinutes(text)).toBe(minutes);
  });
});
