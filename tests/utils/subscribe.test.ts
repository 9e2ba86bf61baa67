import { describe, expect, it, vi } from 'vitest';
import type { DispatchDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import { unreadTotal } from '@/utils/db/unread-counts';
import { listingWorkDone } from '@/utils/listing/poll';
import { normaliseInput, PRIVATE_SKIPPED, subscribe, type SubscribeDeps } from '@/utils/subscribe';
import { htmlPage, rss, someItems, type FeedServer } from '../helpers/feeds';
import { unusedPort } from '../helpers/http-server';
import { INTERVAL, T0 as NOW, testPollDeps, useFeedTestBed } from '../helpers/poll';
import { readSeedListing, renderSeedListing, seedSlug } from './listing/seed';

const HTML = { 'content-type': 'text/html; charset=utf-8' };

let db: DispatchDb;
let server: FeedServer;

useFeedTestBed((bed) => ({ db, server } = bed));

function deps(extra: Partial<SubscribeDeps> = {}): SubscribeDeps {
  return { ...testPollDeps(db, () => NOW), hasOrigin: async () => true, ...extra };
}

/** A `fetch` that answers from a table of absolute URLs (404 otherwise) and records calls. */
function fakeFetch(pages: Record<string, { body: string; headers?: Record<string, string> }>) {
  return vi.fn(async (input: RequestInfo | URL) => {
    const url = String(input instanceof Request ? input.url : input);
    const page = pages[url];
    return page
      ? new Response(page.body, {
          status: 200,
          headers: page.headers ?? { 'content-type': 'application/rss+xml' },
        })
      : new Response('Not found', { status: 404 });
  });
}

describe('subscribe', () => {
  it('follows the feed a site links to, storing the posts of that one response', async () => {
    server.route('/', { body: htmlPage([{ href: '/posts/index.xml' }]), headers: HTML });
    server.route('/posts/index.xml', {
      body: rss({ title: 'Edge Notes', link: `${server.baseUrl}/`, items: someItems(3) }),
      headers: { etag: '"v1"' },
    });

    const result = await subscribe(`${server.baseUrl}/`, deps());

    expect(result).toEqual({ ok: true, feedId: expect.any(Number), title: 'Edge Notes', added: 3 });
    expect(server.requests.map((request) => request.url)).toEqual(['/', '/posts/index.xml']);
    const feed = await db.feeds.get(result.ok ? result.feedId : -1);
    expect(feed).toMatchObject({
      url: `${server.baseUrl}/posts/index.xml`,
      title: 'Edge Notes',
      siteUrl: `${server.baseUrl}/`,
      kind: 'rss',
      etag: '"v1"',
      lastUnconditionalAt: NOW,
      lastCheckedAt: NOW,
      nextPollAt: NOW + INTERVAL,
      failures: 0,
      status: 'active',
    });
    expect(await unreadTotal(db)).toBe(3);
  });

  it('follows a feed URL directly with a single GET', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(2) }) });

    const result = await subscribe(`${server.baseUrl}/feed.xml`, deps());

    expect(result).toMatchObject({ ok: true, added: 2, title: 'Edge Notes' });
    expect(server.requests).toHaveLength(1);
    // The feed names no site of its own on this server: its channel link is used.
    expect((await db.feeds.toArray())[0]?.siteUrl).toBe('https://blog.example/');
  });

  it("counts its one request and starts the blog's rhythm from the feed's dates", async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(3) }) });

    await subscribe(`${server.baseUrl}/feed.xml`, deps());

    const [feed] = await db.feeds.toArray();
    expect(feed?.requestDays).toEqual([
      { day: Math.floor(NOW / 86_400_000), requests: 1, notModified: 0 },
    ]);
    expect(feed?.recentPostDates).toEqual([3, 2, 1].map((day) => Date.UTC(2026, 2, day, 9)));
  });

  it('uses the page pasted as the site when the feed names none', async () => {
    server.route('/', { body: htmlPage([{ href: '/feed.xml' }]), headers: HTML });
    server.route('/feed.xml', {
      body: '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>',
    });

    await subscribe(`${server.baseUrl}/`, deps());

    expect((await db.feeds.toArray())[0]?.siteUrl).toBe(`${server.baseUrl}/`);
  });

  it('tries the common feed paths when the page links to none', async () => {
    server.route('/', { body: htmlPage(), headers: HTML });
    server.route('/rss.xml', { body: rss({ items: someItems(1) }) });

    const result = await subscribe(server.baseUrl, deps());

    expect(result).toMatchObject({ ok: true, added: 1 });
    expect(server.requests.map((request) => request.url)).toEqual(['/', '/feed.xml', '/rss.xml']);
    expect((await db.feeds.toArray())[0]?.url).toBe(`${server.baseUrl}/rss.xml`);
  });

  it("then tries them in the page's directory", async () => {
    server.route('/blog/', { body: htmlPage(), headers: HTML });
    server.route('/blog/atom.xml', { body: rss({ items: someItems(1) }) });

    const result = await subscribe(`${server.baseUrl}/blog/`, deps());

    expect(result).toMatchObject({ ok: true });
    expect((await db.feeds.toArray())[0]?.url).toBe(`${server.baseUrl}/blog/atom.xml`);
  });

  it('offers every linked feed; a broken pick says so and follows nothing', async () => {
    server.route('/', {
      body: htmlPage([{ href: '/broken.xml' }, { href: '/page.html' }, { href: '/good.xml' }]),
      headers: HTML,
    });
    server.route('/page.html', { body: htmlPage(), headers: HTML });
    server.route('/good.xml', { body: rss({ items: someItems(1) }) });

    const offered = await subscribe(server.baseUrl, deps());
    expect(offered.ok ? [] : offered.choices?.map((choice) => choice.url)).toEqual(
      ['/broken.xml', '/page.html', '/good.xml'].map((path) => `${server.baseUrl}${path}`),
    );

    expect(await subscribe(`${server.baseUrl}/broken.xml`, deps())).toMatchObject({ ok: false });
    expect(await subscribe(`${server.baseUrl}/page.html`, deps())).toMatchObject({ ok: false });
    expect(await db.feeds.count()).toBe(0);
    expect(await subscribe(`${server.baseUrl}/good.xml`, deps())).toMatchObject({ ok: true });
  });

  it('says in words what it tried when it finds no feed, and never fetches a URL twice', async () => {
    server.route('/', { body: htmlPage([{ href: '/feed.xml' }]), headers: HTML });

    const result = await subscribe(`${server.baseUrl}/`, deps());

    expect(result).toEqual({
      ok: false,
      code: 'not-found',
      message: `No feed found at ${server.baseUrl}/: the page links to 1 feed; /feed.xml, /rss.xml, /atom.xml and 4 more answered 404.`,
    });
    const paths = server.requests.map((request) => request.url);
    expect(paths).toHaveLength(new Set(paths).size);
    expect(await db.feeds.count()).toBe(0);
  });

  it('says when the address is neither a feed nor a page', async () => {
    server.route('/data.txt', { body: 'just text', headers: { 'content-type': 'text/plain' } });

    const result = await subscribe(`${server.baseUrl}/data.txt`, deps());

    expect(result).toMatchObject({ ok: false, code: 'not-found' });
    expect(result.ok ? '' : result.message).toMatch(
      /^No feed found at .*\/data\.txt: it is not a feed \(/,
    );
  });

  it.each([
    ['http vs https', 'https://blog.example/feed.xml', 'http://blog.example/feed.xml'],
    ['a trailing slash', 'https://blog.example/feed/', 'https://blog.example/feed'],
    ['www.', 'https://www.blog.example/feed.xml', 'https://blog.example/feed.xml'],
    ['host case', 'https://Blog.Example/feed.xml', 'https://blog.example/feed.xml'],
  ])(
    'recognises a feed already followed under another spelling (%s)',
    async (_, followed, pasted) => {
      const feed = await addFeed(db, { url: followed, title: 'Edge Notes' }, NOW);
      const fetch = vi.fn();

      const result = await subscribe(pasted, deps({ fetch }));

      expect(result).toMatchObject({ ok: false, code: 'already-followed', feedId: feed.id });
      expect(result.ok ? '' : result.message).toContain('Edge Notes');
      expect(fetch).not.toHaveBeenCalled();
    },
  );

  it('recognises a followed feed behind the site it links from', async () => {
    server.route('/', { body: htmlPage([{ href: '/feed.xml' }]), headers: HTML });
    const feed = await addFeed(db, { url: `${server.baseUrl}/feed.xml`, title: 'Edge Notes' }, NOW);

    const result = await subscribe(`${server.baseUrl}/`, deps());

    expect(result).toMatchObject({ ok: false, code: 'already-followed', feedId: feed.id });
    expect(server.requestsTo('/feed.xml')).toHaveLength(0);
  });

  it.each([
    ['', /Paste the address/],
    ['not a url at all', /is not a web address/],
    ['javascript:alert(1)', /Only http and https/],
    ['ftp://blog.example/feed', /Only http and https/],
    ['file:///etc/passwd', /Only http and https/],
    ['https://user:secret@blog.example/feed', /user name or password/],
  ])('refuses %j', async (input, message) => {
    const fetch = vi.fn();

    const result = await subscribe(input, deps({ fetch }));

    expect(result).toMatchObject({
      ok: false,
      code: 'invalid-url',
      message: expect.stringMatching(message),
    });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('asks for access to another origin a page links to, before fetching it', async () => {
    const fetch = fakeFetch({
      'https://blog.example/': {
        body: htmlPage([{ href: 'https://feeds.example/blog' }]),
        headers: HTML,
      },
    });

    const result = await subscribe(
      'https://blog.example/',
      deps({
        fetch,
        hasOrigin: async (url) => new URL(url).hostname === 'blog.example',
      }),
    );

    expect(result).toMatchObject({
      ok: false,
      code: 'needs-permission',
      origin: 'https://feeds.example/*',
    });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('asks for access to the pasted site itself when it is missing', async () => {
    const result = await subscribe('https://blog.example/', deps({ hasOrigin: async () => false }));

    expect(result).toMatchObject({
      ok: false,
      code: 'needs-permission',
      origin: 'https://blog.example/*',
    });
  });

  it('does not let a public page lead it to a private-network address', async () => {
    const fetch = fakeFetch({
      'https://blog.example/': {
        body: htmlPage([{ href: 'http://192.168.1.1/feed.xml' }]),
        headers: HTML,
      },
    });

    const result = await subscribe('https://blog.example/', deps({ fetch }));

    expect(result).toMatchObject({ ok: false, code: 'not-found' });
    expect(result.ok ? '' : result.message).toContain(
      `http://192.168.1.1/feed.xml ${PRIVATE_SKIPPED}`,
    );
    expect(fetch.mock.calls.map(([url]) => String(url))).not.toContain(
      'http://192.168.1.1/feed.xml',
    );
  });

  it('does not follow a linked feed that redirects to a private-network address', async () => {
    const fetch = vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      if (url === 'https://blog.example/') {
        return new Response(htmlPage([{ href: '/feed.xml' }]), { headers: HTML });
      }
      if (url !== 'https://blog.example/feed.xml') return new Response('', { status: 404 });
      const response = new Response(rss({ items: someItems(1) }));
      Object.defineProperty(response, 'url', { value: 'http://10.0.0.1/feed.xml' });
      return response;
    });

    const result = await subscribe('https://blog.example/', deps({ fetch }));

    expect(result).toMatchObject({ ok: false, code: 'not-found' });
    expect(result.ok ? '' : result.message).toContain(
      `http://10.0.0.1/feed.xml ${PRIVATE_SKIPPED}`,
    );
    expect(await db.feeds.count()).toBe(0);
  });

  it('finds a feed named only in the Link header of a response that is no page', async () => {
    server.route('/', {
      body: 'Welcome.',
      headers: { 'content-type': 'text/plain', link: '</feed.xml>; rel="feed"' },
    });
    server.route('/feed.xml', { body: rss({ items: someItems(1) }) });

    const result = await subscribe(`${server.baseUrl}/`, deps());

    expect(result).toMatchObject({ ok: true, added: 1 });
    expect(server.requests.map((request) => request.url)).toEqual(['/', '/feed.xml']);
  });

  it('reports an address it cannot reach in words', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}/feed.xml`;

    const result = await subscribe(url, deps());

    expect(result).toMatchObject({ ok: false, code: 'fetch-failed' });
    expect(result.ok ? '' : result.message).toMatch(
      new RegExp(`^Could not fetch ${url.replace(/\./g, '\\.')}: .+\\.$`),
    );
  });

  it('keeps one feed when the same blog is subscribed twice at once', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(2) }) });

    const results = await Promise.all([
      subscribe(`${server.baseUrl}/feed.xml`, deps()),
      subscribe(`${server.baseUrl}/feed.xml`, deps()),
    ]);

    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toMatchObject({ code: 'already-followed' });
    expect(await db.feeds.count()).toBe(1);
    expect(await db.posts.count()).toBe(2);
  });
});

describe('subscribe to a site without a feed (issue 6)', () => {
  it('offers to follow the page when it lists posts', async () => {
    server.route('/blog', { body: renderSeedListing(), headers: HTML });
    const url = `${server.baseUrl}/blog`;

    const result = await subscribe(url, deps());

    expect(result).toEqual({
      ok: false,
      code: 'listing',
      message: `No feed found at ${url}, but the page lists posts: Dispatch can follow the page itself.`,
      listing: expect.objectContaining({
        url,
        title: 'Blog',
        count: 9,
        summary: '9 posts in 2 categories: State Space Model, Transformer',
      }),
    });
    expect(await db.feeds.count()).toBe(0);
  });

  it('still says no feed was found when the page lists nothing', async () => {
    server.route('/', { body: htmlPage(), headers: HTML });

    expect(await subscribe(server.baseUrl, deps())).toMatchObject({ code: 'not-found' });
  });

  it('fills in, read, the posts a site page lists that the feed no longer carries', async () => {
    const seed = readSeedListing().posts;
    const linkOf = (title: string) => `${server.baseUrl}/blog/${seedSlug(title)}`;
    server.route('/blog', {
      body: renderSeedListing().replace(
        '<title>Blog</title>',
        '<title>Blog</title><link rel="alternate" type="application/rss+xml" href="/blog/feed.xml">',
      ),
      headers: HTML,
    });
    // The feed carries the 3 latest posts, under guids of its own.
    server.route('/blog/feed.xml', {
      body: rss({
        items: seed.slice(0, 3).map((post, index) => ({
          title: post.title,
          link: linkOf(post.title),
          guid: `feed-${index}`,
          description: post.summary,
        })),
      }),
    });

    const result = await subscribe(`${server.baseUrl}/blog`, deps());
    await listingWorkDone();

    expect(result).toMatchObject({ ok: true, added: 3 });
    const posts = await db.posts.toArray();
    expect(posts).toHaveLength(9);
    expect(posts.filter((post) => post.readAt === 0).map((post) => post.guid)).toEqual([
      'feed-0',
      'feed-1',
      'feed-2',
    ]);
    expect(posts.filter((post) => post.readAt > 0).map((post) => post.url)).toEqual(
      seed.slice(3).map((post) => linkOf(post.title)),
    );
    expect(await unreadTotal(db)).toBe(3);
  });

  it('fills in nothing from a site page whose cards list something else than the posts', async () => {
    const seed = readSeedListing().posts;
    // The home page links the feed and shows a grid of projects, with a page of more projects.
    server.route('/', {
      body: renderSeedListing()
        .replace(/href="\/blog\//g, 'href="/projects/')
        .replace(
          '<title>Blog</title>',
          '<title>Blog</title><link rel="alternate" type="application/rss+xml" href="/blog/feed.xml">',
        )
        .replace('</main>', '<a rel="next" href="/projects/page/2">More projects</a></main>'),
      headers: HTML,
    });
    server.route('/projects/page/2', { body: renderSeedListing({ count: 3 }), headers: HTML });
    server.route('/blog/feed.xml', {
      body: rss({
        items: seed.slice(0, 3).map((post, index) => ({
          title: post.title,
          link: `${server.baseUrl}/blog/${seedSlug(post.title)}`,
          guid: `feed-${index}`,
          description: post.summary,
        })),
      }),
    });

    const result = await subscribe(`${server.baseUrl}/`, deps());
    await listingWorkDone();

    expect(result).toMatchObject({ ok: true, added: 3 });
    expect((await db.posts.toArray()).map((post) => post.guid)).toEqual([
      'feed-0',
      'feed-1',
      'feed-2',
    ]);
    expect(server.requests.map((request) => request.url)).toEqual(['/', '/blog/feed.xml']);
  });
});

describe('normaliseInput', () => {
  it.each([
    ['  https://blog.example/feed#top ', 'https://blog.example/feed'],
    ['blog.example/feed.xml', 'https://blog.example/feed.xml'],
    ['localhost:8080/feed', 'https://localhost:8080/feed'],
    ['feed://blog.example/rss', 'https://blog.example/rss'],
    ['feed:https://blog.example/rss', 'https://blog.example/rss'],
    ['HTTP://Blog.Example/Feed', 'http://blog.example/Feed'],
  ])('reads %j as %s', (input, expected) => {
    expect(String(normaliseInput(input))).toBe(expected);
  });
});
