/**
 * The demo blog (scripts/demo-blog/server.mjs) as a reader meets it: a blog with or without a
 * feed, whose listing page Dispatch can learn, that a redesign breaks and learning again
 * mends, paged with "Older posts" links, and polled with conditional GET.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { COMMON_FEED_PATHS } from '@/utils/feed/discover';
import { checkDrift, extractPosts } from '@/utils/listing/extract';
import { learnExtractor } from '@/utils/listing/learn';
import { nextPageUrl } from '@/utils/listing/paginate';
import {
  parseServerArgs,
  startBlogServer,
  type BlogServer,
  type BlogServerOptions,
} from '../../scripts/demo-blog/server.mjs';

let blogs: BlogServer[] = [];

afterEach(async () => {
  await Promise.all(blogs.map((blog) => blog.close()));
  blogs = [];
});

async function start(options?: BlogServerOptions): Promise<BlogServer> {
  const blog = await startBlogServer(options);
  blogs.push(blog);
  return blog;
}

/** GET `path` on `blog` without following redirects. */
const get = (blog: BlogServer, path: string, headers: Record<string, string> = {}) =>
  fetch(new URL(path, blog.url), { headers, redirect: 'manual' });

const html = async (blog: BlogServer, path = '/') => (await get(blog, path)).text();

/** Learns the listing at `path` and fails the test when nothing was learned. */
async function learn(blog: BlogServer, path = '/') {
  const pageUrl = new URL(path, blog.url).href;
  const learned = learnExtractor(await html(blog, path), pageUrl);
  if (!learned.ok) throw new Error(`learned nothing on ${pageUrl}: ${learned.reason}`);
  return learned;
}

/** What a reader takes from a card, comparable with the blog's own posts. */
const asCard = (post: { url: string; title: string; category?: string }) => ({
  url: post.url,
  title: post.title,
  category: post.category,
});

describe('a blog without a feed (feed: false)', () => {
  it('answers 404 at the feed path and at every address a reader guesses', async () => {
    const blog = await start({ feed: false });

    const statuses = await Promise.all(
      ['/feed.xml', ...COMMON_FEED_PATHS].map(async (path) => [
        path,
        (await get(blog, path)).status,
      ]),
    );

    expect(statuses.every(([, status]) => status === 404)).toBe(true);
  });

  it('advertises no feed on its listing or its articles', async () => {
    const blog = await start({ feed: false });
    const article = new URL(blog.posts[0]!.url).pathname;

    for (const page of [await html(blog), await html(blog, article)]) {
      expect(page).not.toMatch(/rel="alternate"/);
      expect(page).not.toMatch(/rss|atom/i);
    }
  });

  it('is followed through its listing page', async () => {
    const blog = await start({ feed: false });

    expect(blog.feedUrl).toBe(blog.url);
  });

  it('still has a feed, advertised, by default', async () => {
    const blog = await start();

    const feed = await get(blog, '/feed.xml');

    expect(feed.status).toBe(200);
    expect(await html(blog)).toMatch(/<link rel="alternate" type="application\/rss\+xml"/);
  });

  it('makes its listing page fail in the chosen mode, the address a reader follows', async () => {
    const blog = await start({ feed: false });

    blog.setMode('error-500');

    expect((await get(blog, '/')).status).toBe(500);
    blog.setMode('ok');
    expect((await get(blog, '/')).status).toBe(200);
  });
});

describe('the listing page', () => {
  it('lists the 9 posts so that Dispatch learns them: 2 categories, 2 min each', async () => {
    const blog = await start({ feed: false });

    const { posts } = await learn(blog);

    expect(posts.map(asCard)).toEqual(blog.posts.map(asCard));
    expect(new Set(posts.map((post) => post.category))).toEqual(
      new Set(['State Space Model', 'Transformer']),
    );
    expect(posts.every((post) => post.readingMinutes === 2)).toBe(true);
  });

  it('labels every card with the minutes given as listedMinutes, its article unchanged', async () => {
    const blog = await start({ feed: false, listedMinutes: 5 });

    const { posts } = await learn(blog);

    expect(posts.map((post) => post.readingMinutes)).toEqual(blog.posts.map(() => 5));
    expect(await html(blog, new URL(blog.posts[0]!.url).pathname)).toMatch(/· 2 min read/);
  });

  it('shows a newly published post first', async () => {
    const blog = await start({ feed: false });
    const { extractor } = await learn(blog);

    const published = blog.publish();

    const { posts } = extractPosts(await html(blog), blog.url, extractor);
    expect(posts).toHaveLength(10);
    expect(posts[0]).toMatchObject({ url: published.url, title: published.title });
  });

  it('after a redesign, gives the learned extractor no posts: drift', async () => {
    const blog = await start({ feed: false });
    const { extractor, posts } = await learn(blog);

    blog.setLayout('redesign');

    const result = extractPosts(await html(blog), blog.url, extractor);
    expect(result.posts).toEqual([]);
    expect(checkDrift(posts.length, result)).toEqual({
      reason: expect.stringMatching(/layout may have changed/),
    });
    expect(blog.layout).toBe('redesign');
  });

  it('after a redesign, is learned again with the same posts, categories and minutes', async () => {
    const blog = await start({ feed: false });
    const before = await learn(blog);

    blog.setLayout('redesign');
    const after = await learn(blog);

    expect(after.extractor.cards).not.toBe(before.extractor.cards);
    expect(after.posts).toEqual(before.posts);
  });

  it('refuses a layout it does not know', async () => {
    const blog = await start();

    expect(() => blog.setLayout('grid' as 'cards')).toThrow(/Unknown layout "grid"/);
  });
});

describe('pages of older posts (pageSize)', () => {
  it('puts the 5 newest on the first page, linked to the older ones with rel="next"', async () => {
    const blog = await start({ feed: false, pageSize: 5 });

    const first = await html(blog);

    expect(first).toMatch(/<link rel="next" href="\/page\/2\/">/);
    expect(first).toMatch(/<a rel="next" href="\/page\/2\/">Older posts →<\/a>/);
    const { posts } = await learn(blog);
    expect(posts.map(asCard)).toEqual(blog.posts.slice(0, 5).map(asCard));
  });

  it('serves the other 4 on /page/2/, read with the extractor of the first page', async () => {
    const blog = await start({ feed: false, pageSize: 5 });
    const { extractor } = await learn(blog);

    const second = await html(blog, '/page/2/');

    expect(second).not.toMatch(/rel="next"/);
    expect(second).toMatch(/<a rel="prev" href="\/">← Newer posts<\/a>/);
    const { posts } = extractPosts(second, new URL('/page/2/', blog.url).href, extractor);
    expect(posts.map(asCard)).toEqual(blog.posts.slice(5).map(asCard));
  });

  it.each([
    ['/page/2', 301, '/page/2/'],
    ['/page/1/', 301, '/'],
    ['/page/3/', 404, null],
  ])('answers %s with %i', async (path, status, location) => {
    const blog = await start({ pageSize: 5 });

    const answer = await get(blog, path);

    expect([answer.status, answer.headers.get('location')]).toEqual([status, location]);
  });

  it.each(['cards', 'redesign'] as const)(
    'leads a reader from page to page in the %s layout, and stops at the last',
    async (layout) => {
      const blog = await start({ feed: false, pageSize: 4, layout });

      const second = nextPageUrl(await html(blog), blog.url);
      const third = second && nextPageUrl(await html(blog, second), second);
      const after = third && nextPageUrl(await html(blog, third), third);

      expect([second, third, after]).toEqual([
        new URL('/page/2/', blog.url).href,
        new URL('/page/3/', blog.url).href,
        undefined,
      ]);
    },
  );

  it('keeps one page, with no pagination, by default', async () => {
    const blog = await start({ feed: false });

    expect(await html(blog)).not.toMatch(/rel="next"|\/page\/2\//);
    expect((await get(blog, '/page/2/')).status).toBe(404);
  });

  it('refuses a page size that is not a whole number above 0', async () => {
    await expect(startBlogServer({ pageSize: 0 })).rejects.toThrow(/pageSize must be/);
  });
});

describe('the feed of a blog whose feed holds only the newest posts (feedSize)', () => {
  it('holds the newest 3 while the listing shows all 9', async () => {
    const blog = await start({ feedSize: 3 });

    const feed = await html(blog, '/feed.xml');

    expect(feed.match(/<item>/g)).toHaveLength(3);
    expect(feed).toContain(blog.posts[0]!.url);
    expect(feed).not.toContain(blog.posts[3]!.url);
    expect((await learn(blog)).posts).toHaveLength(9);
  });
});

describe('conditional GET of the listing page', () => {
  it('answers 304 to its own ETag, and 200 with a new one once a post is published', async () => {
    const blog = await start({ feed: false });
    const etag = (await get(blog, '/')).headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);

    const unchanged = await get(blog, '/', { 'If-None-Match': etag! });
    blog.publish();
    const changed = await get(blog, '/', { 'If-None-Match': etag! });

    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('answers 200 to the old ETag after a redesign', async () => {
    const blog = await start({ feed: false });
    const etag = (await get(blog, '/')).headers.get('etag')!;

    blog.setLayout('redesign');

    expect((await get(blog, '/', { 'If-None-Match': etag })).status).toBe(200);
  });
});

describe('parseServerArgs (the command line)', () => {
  it.each([
    [[], {}],
    [['--no-feed'], { feed: false }],
    [
      ['--port', '8080', '--page-size', '4', '--layout', 'redesign'],
      { port: 8080, pageSize: 4, layout: 'redesign' },
    ],
  ])('reads %j', (args, options) => {
    expect(parseServerArgs(args)).toEqual(options);
  });

  it.each([[['--port']], [['--page-size', '0']], [['--layout', 'grid']], [['--feed']]])(
    'refuses %j',
    (args) => {
      expect(parseServerArgs(args)).toBeUndefined();
    },
  );
});
