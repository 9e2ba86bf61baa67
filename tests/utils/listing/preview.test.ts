import { describe, expect, it } from 'vitest';
import { withFieldRole, type ListingExtractor, type ListingPost } from '@/utils/listing/extract';
import { describeExtractor, learnExtractor } from '@/utils/listing/learn';
import {
  buildPreview,
  cardParts,
  MAX_CARD_PARTS,
  pageTitle,
  PREVIEW_POSTS,
  previewSummary,
} from '@/utils/listing/preview';
import { parsePath } from '@/utils/listing/select';
import { listingFixture, NEGATIVE_FIXTURES, POSITIVE_FIXTURES } from './fixtures';
import { readSeedListing, renderSeedListing } from './seed';

const SEED_PAGE = 'https://chaos.example/blog';

const posts = (...categories: (string | undefined)[]): ListingPost[] =>
  categories.map((category, n) => ({
    url: `https://a.example/${n}`,
    guid: `https://a.example/${n}`,
    title: `Post ${n}`,
    ...(category === undefined ? {} : { category }),
  }));

/** The preview, failing the test when there is none. */
function preview(html: string, pageUrl: string, extractor?: ListingExtractor) {
  const result = buildPreview(html, pageUrl, extractor);
  if (!result.ok) throw new Error(`no preview: ${result.message}`);
  return result;
}

describe('previewSummary', () => {
  it.each([
    [['SSM', 'SSM', 'Transformer'], '3 posts in 2 categories: SSM, Transformer'],
    [['X'], '1 post in 1 category: X'],
    [[undefined, undefined, undefined, undefined], '4 posts, without categories'],
    [['Rust', 'rust', 'RUST', undefined], '4 posts in 1 category: Rust'],
    [['B', 'A', 'C', 'D'], '4 posts in 4 categories: B, A, C, D'],
    [['A', 'B', 'C', 'D', 'E', 'F', 'G', 'a'], '8 posts in 7 categories: A, B, C, D and 3 more'],
  ])('sums up %j as "%s"', (categories, expected) => {
    expect(previewSummary(posts(...categories))).toBe(expected);
  });
});

describe('pageTitle', () => {
  it.each([
    ['<title>Blog — Edge of Chaos</title>', 'Blog — Edge of Chaos'],
    [
      '<head><title>\n  Research &amp; Writing\n  &middot; Blog </title></head>',
      'Research & Writing · Blog',
    ],
    ['<title>First</title><title>Second</title>', 'First'],
    ['<body><svg><title>Logo</title></svg></body>', undefined],
    ['<title>   </title>', undefined],
    ['<p>No title</p>', undefined],
  ])('reads %j as %j', (html, expected) => {
    expect(pageTitle(html)).toBe(expected);
  });

  it('caps a title that holds a whole article', () => {
    expect(pageTitle(`<title>${'word '.repeat(10_000)}</title>`)!.length).toBeLessThanOrEqual(1000);
  });
});

describe('buildPreview', () => {
  it('previews the seed listing: 9 posts in 2 categories, 2 minutes each', () => {
    const { posts: seed } = readSeedListing();

    const { preview: shown, posts: read } = preview(renderSeedListing(), SEED_PAGE);

    expect(shown.summary).toBe('9 posts in 2 categories: State Space Model, Transformer');
    expect(shown.count).toBe(9);
    expect(read).toHaveLength(9);
    expect(shown.posts.map((post) => post.title)).toEqual(seed.map((post) => post.title));
    expect(shown.posts.every((post) => post.readingMinutes === 2)).toBe(true);
    expect(shown).toMatchObject({ url: SEED_PAGE, title: 'Blog' });
    expect(shown.extractor.count).toBe(9);
    expect(shown.description).toBe(describeExtractor(shown.extractor));
  });

  it('shows the parts of the first card with the role each plays', () => {
    const { preview: shown } = preview(renderSeedListing(), SEED_PAGE);

    expect(shown.parts).toEqual([
      { path: 'div > span', text: 'State Space Model', role: 'category' },
      { path: 'h2', text: 'xLSTM: Architecture & How It Works', role: 'title' },
      {
        path: 'p',
        text: expect.stringMatching(/^xLSTM \(Extended Long Short-Term Memory\) modernizes .+…$/),
        role: 'summary',
      },
      { path: expect.any(String), text: '2 min read', role: 'readingTime' },
    ]);
    expect(shown.parts.every((part) => [...part.text].length <= 80)).toBe(true);
  });

  it('re-reads the page with the extractor the user corrected', () => {
    const learned = preview(renderSeedListing(), SEED_PAGE).preview;
    const category = learned.parts.find((part) => part.role === 'category')!;

    const edited = withFieldRole(learned.extractor, category.path, 'none');
    const { preview: shown } = preview(renderSeedListing(), SEED_PAGE, edited);

    expect(shown.summary).toBe('9 posts, without categories');
    expect(shown.parts.find((part) => part.path === category.path)).toEqual({
      path: category.path,
      text: 'State Space Model',
    });
    expect(shown.extractor.count).toBe(9);
  });

  it('counts the posts the given extractor reads now', () => {
    const { extractor } = preview(renderSeedListing(), SEED_PAGE).preview;

    const { preview: shown } = preview(renderSeedListing({ count: 4 }), SEED_PAGE, extractor);

    expect(shown.count).toBe(4);
    expect(shown.extractor).toEqual({ ...extractor, count: 4 });
  });

  it('lists at most PREVIEW_POSTS posts and counts them all', () => {
    const { posts: seed } = readSeedListing();
    const extra = seed.map((post) => ({ ...post, title: `${post.title} (part 2)` }));

    const { preview: shown } = preview(renderSeedListing({ extraPosts: extra }), SEED_PAGE);

    expect(shown.count).toBe(18);
    expect(shown.posts).toHaveLength(PREVIEW_POSTS);
  });

  it('names the page by its host when it has no title', () => {
    const html = renderSeedListing().replace('<title>Blog</title>', '');

    expect(preview(html, 'https://www.chaos.example/blog').preview.title).toBe('www.chaos.example');
  });

  it('refuses, in words, an extractor that reads no post on the page', () => {
    const { extractor } = preview(renderSeedListing(), SEED_PAGE).preview;

    const result = buildPreview(
      renderSeedListing({ cardClass: 'card', gridClass: 'posts' }),
      SEED_PAGE,
      { ...extractor, cards: 'main > section.cards > article' },
    );

    expect(result).toEqual({
      ok: false,
      message:
        'With these choices no post is found on the page: No cards matched "main > section.cards > article".',
    });
  });

  it('says why when cards lack a title with the user’s choices', () => {
    const { extractor } = preview(renderSeedListing(), SEED_PAGE).preview;
    const title = extractor.fields.find((field) => field.role === 'title')!;

    const result = buildPreview(renderSeedListing(), SEED_PAGE, {
      ...extractor,
      fields: [
        ...extractor.fields.filter((field) => field.role !== 'title'),
        { ...title, path: 'h5' },
      ],
    });

    expect(result).toEqual({
      ok: false,
      message: 'With these choices no post is found on the page: 9 cards had no title.',
    });
  });

  it.each(NEGATIVE_FIXTURES)('gives the reason learning failed on %s', (name) => {
    const { html, pageUrl } = listingFixture(name);
    const learned = learnExtractor(html, pageUrl);

    expect(buildPreview(html, pageUrl)).toEqual({
      ok: false,
      message: learned.ok ? 'learned' : learned.reason,
    });
  });

  it.each(POSITIVE_FIXTURES)('previews the expected posts of %s, with the title part', (name) => {
    const { html, pageUrl, posts: expected } = listingFixture(name);

    const { preview: shown } = preview(html, pageUrl);

    expect(shown.count).toBe(expected.length);
    expect(shown.posts.map((post) => post.url)).toEqual(
      expected.slice(0, PREVIEW_POSTS).map((post) => post.url),
    );
    expect(shown.parts).toContainEqual(expect.objectContaining({ role: 'title' }));
    expect(shown.parts.length).toBeLessThanOrEqual(MAX_CARD_PARTS);
  });
});

describe('cardParts', () => {
  it('gives every part a path that selects it, and each role the path of its field', () => {
    for (const name of POSITIVE_FIXTURES) {
      const { html, pageUrl } = listingFixture(name);
      const learned = learnExtractor(html, pageUrl);
      if (!learned.ok) throw new Error(learned.reason);

      const parts = cardParts(html, pageUrl, learned.extractor);

      for (const part of parts) expect(parsePath(part.path), `${name}: ${part.path}`).toBeDefined();
      for (const part of parts.filter((p) => p.role)) {
        const field = learned.extractor.fields.find((f) => f.role === part.role);
        expect(part.path, name).toBe(field!.path);
      }
    }
  });

  it('shows a part with only a link by its address on the site', () => {
    const { html, pageUrl } = listingFixture('ghost-casper');
    const learned = learnExtractor(html, pageUrl);
    if (!learned.ok) throw new Error(learned.reason);

    const parts = cardParts(html, pageUrl, learned.extractor);

    expect(parts[0]).toEqual({ path: 'a.post-card-image-link', text: '/lifetimes-without-tears/' });
  });

  it('lists the card itself first when it has text of its own', () => {
    const html = `<main>${[1, 2, 3]
      .map((n) => `<li class="post">Note ${n}: <a href="/notes/${n}">Title ${n}</a></li>`)
      .join('')}</main>`;
    const extractor: ListingExtractor = {
      version: 1,
      cards: 'main > li.post',
      fields: [
        { role: 'link', path: 'a' },
        { role: 'title', path: 'a' },
      ],
      count: 3,
    };

    expect(cardParts(html, 'https://site.example/notes', extractor)).toEqual([
      { path: '', text: 'Note 1: Title 1' },
      { path: 'a', text: 'Title 1', role: 'title' },
    ]);
  });

  it('gives at most MAX_CARD_PARTS parts, and none when no card matches', () => {
    const spans = Array.from({ length: 40 }, (_, n) => `<span>part ${n}</span>`).join('');
    const html = `<main>${[1, 2, 3]
      .map((n) => `<div class="card"><a href="/p/${n}">Post ${n}</a>${spans}</div>`)
      .join('')}</main>`;
    const extractor: ListingExtractor = {
      version: 1,
      cards: 'div.card',
      fields: [
        { role: 'link', path: 'a' },
        { role: 'title', path: 'a' },
      ],
      count: 3,
    };

    expect(cardParts(html, 'https://site.example/', extractor)).toHaveLength(MAX_CARD_PARTS);
    expect(cardParts(html, 'https://site.example/', { ...extractor, cards: 'article' })).toEqual(
      [],
    );
  });
});
