/**
 * HOSTILE-INPUTS.md, part A (network and HTTP), cases 01–16: each against a real HTTP server on
 * 127.0.0.1 started by the test, through the poll (`pollFeed`, `pollDueFeeds`) or subscribe,
 * with the limits shortened so a hung server costs a fraction of a second. "Keep state" is
 * checked record by record with `expectStateKept`: posts, content, read state, counters, the
 * reading list, and the feed record but for its status and error fields.
 */
import type { RequestListener } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DispatchDb } from '@/utils/db/db';
import { addFeed, listDueFeeds } from '@/utils/db/feeds';
import { activeHostHold, holdHost } from '@/utils/db/hosts';
import { markRead, withIndexFields } from '@/utils/db/posts';
import type { Feed } from '@/utils/db/types';
import { unreadTotal } from '@/utils/db/unread-counts';
import { MAX_POLL_DELAY_MS } from '@/utils/http/backoff';
import { FETCH_DEFAULTS, RETRY_AFTER_MAX_MS, RETRY_AFTER_MIN_MS } from '@/utils/http/fetch-feed';
import { pollDueFeeds, type PollCycleOptions } from '@/utils/poll/poll-all';
import {
  GONE_MESSAGE,
  pollFeed,
  REDIRECT_AGREEMENT,
  REDIRECT_MIN_SPAN_MS,
  UNCONDITIONAL_EVERY_MS,
  type PollDeps,
} from '@/utils/poll/poll-feed';
import { WEB_PAGE_MESSAGE } from '@/utils/poll/read-feed';
import { PRIVATE_SKIPPED, subscribe, type SubscribeDeps } from '@/utils/subscribe';
import { htmlPage, rss, someItems, type FeedServer, type RssItemSpec } from '../helpers/feeds';
import {
  endless,
  GZIP_BOMB_MEMBER,
  gzipBomb,
  startTestServer,
  trickle,
  type TestServer,
} from '../helpers/http-server';
import {
  aFollowedBlog,
  clock,
  expectStateKept,
  INTERVAL,
  interceptWrites,
  MINUTE,
  storedState,
  T0,
  testPollDeps,
  useFeedTestBed,
} from '../helpers/poll';

const KIB = 1024;
const MIB = 1024 * KIB;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Short limits: a hung server costs 0.2–1 s here instead of 10–25 s. */
const LIMITS = { timeoutMs: 1_000, idleTimeoutMs: 200, maxBytes: 64 * KIB };

const HTML = { 'content-type': 'text/html; charset=utf-8' };

let db: DispatchDb;
let server: FeedServer;

useFeedTestBed((bed) => ({ db, server } = bed));

const rawServers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(rawServers.splice(0).map((raw) => raw.close()));
});

/** A server of its own for answers the feed server cannot give (trickles, bombs). */
async function rawServer(handler: RequestListener, host?: string): Promise<TestServer> {
  const raw = await startTestServer(handler, host);
  rawServers.push(raw);
  return raw;
}

function deps(extra: Partial<PollDeps> = {}): PollDeps {
  return { ...testPollDeps(db), fetchLimits: LIMITS, ...extra };
}

function cycle(extra: Partial<PollCycleOptions> = {}): PollCycleOptions {
  return { ...deps(), ...extra };
}

function subscribeDeps(extra: Partial<SubscribeDeps> = {}): SubscribeDeps {
  return { ...testPollDeps(db), hasOrigin: async () => true, ...extra };
}

async function feedOf(id: number): Promise<Feed> {
  const feed = await db.feeds.get(id);
  if (!feed) throw new Error(`feed ${id} is gone`);
  return feed;
}

/** Polls the feed as stored now, as the cycle would. */
async function poll(feedId: number, extra: Partial<PollDeps> = {}) {
  return pollFeed(await feedOf(feedId), deps(extra));
}

/** Moves the clock to the feed's next poll, as the alarm ticks would. */
async function untilDue(feedId: number): Promise<void> {
  clock.now = Math.max(clock.now, (await feedOf(feedId)).nextPollAt);
}

async function postsOf(feedId: number) {
  return (await db.posts.where('feedId').equals(feedId).toArray()).sort((a, b) =>
    a.guid.localeCompare(b.guid),
  );
}

async function notifications(): Promise<unknown[]> {
  return Object.values(await fakeBrowser.notifications.getAll());
}

/** Items whose links are relative, to check what they are resolved against. */
function relativeItems(count: number): RssItemSpec[] {
  return someItems(count).map((item) => ({ ...item, link: `p/${item.guid}.html` }));
}

describe('case 01: slow or endless response (trickle, hung connection)', () => {
  it('gives up on a body that stops coming: "timeout", backoff, state kept', async () => {
    // One byte a second against an idle limit of 0.2 s.
    const slow = await rawServer((_request, response) => trickle(response, 1_000));
    const blog = await aFollowedBlog(db, `${slow.baseUrl}/feed.xml`);
    const before = await storedState(db);

    const outcome = await pollFeed(blog, deps());

    expect(outcome).toMatchObject({
      status: 'failed',
      error: { code: 'timeout', message: 'The server stopped sending for 0.2 seconds' },
    });
    await expectStateKept(db, before);
    expect(await feedOf(blog.id)).toMatchObject({
      failures: 1,
      lastCheckedAt: clock.now,
      nextPollAt: clock.now + INTERVAL,
    });
  });

  it('stops at the deadline even while bytes keep trickling in', async () => {
    const slow = await rawServer((_request, response) => trickle(response, 20));
    const blog = await aFollowedBlog(db, `${slow.baseUrl}/feed.xml`);
    const before = await storedState(db);

    const outcome = await pollFeed(
      blog,
      deps({ fetchLimits: { timeoutMs: 500, idleTimeoutMs: 200 } }),
    );

    expect(outcome.error).toMatchObject({
      code: 'timeout',
      message: 'No answer within 0.5 seconds',
    });
    await expectStateKept(db, before);
  });

  it('stops when the headers never come', async () => {
    const hung = await rawServer(() => {});
    const blog = await aFollowedBlog(db, `${hung.baseUrl}/feed.xml`);

    const outcome = await pollFeed(blog, deps({ fetchLimits: { timeoutMs: 300 } }));

    expect(outcome.error?.code).toBe('timeout');
  });

  it('uses a deadline under the 30 s after which Chrome stops a waiting worker', () => {
    expect(FETCH_DEFAULTS.timeoutMs).toBeLessThan(30_000);
    expect(FETCH_DEFAULTS.idleTimeoutMs).toBeLessThan(FETCH_DEFAULTS.timeoutMs);
  });

  it('does not hold up the other feeds of the cycle', async () => {
    const slow = await rawServer((_request, response) => trickle(response, 20));
    let answeredAt = Number.POSITIVE_INFINITY;
    // Another host (127.0.0.2 is loopback too), so the per-host limit does not apply.
    const healthy = await rawServer((_request, response) => {
      answeredAt = performance.now();
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      response.end(rss({ items: someItems(2) }));
    }, '127.0.0.2');
    await addFeed(db, { url: `${slow.baseUrl}/feed.xml`, title: 'Slow' }, T0);
    const other = await addFeed(db, { url: `${healthy.baseUrl}/feed.xml`, title: 'Healthy' }, T0);
    const startedAt = performance.now();

    const summary = await pollDueFeeds(
      cycle({ fetchLimits: { timeoutMs: 600, idleTimeoutMs: 5_000 } }),
    );

    expect(summary).toEqual({ checked: 2, newPosts: 2, failed: 1 });
    expect(answeredAt - startedAt).toBeLessThan(600);
    expect(await postsOf(other.id)).toHaveLength(2);
  });
});

describe('case 02: huge feed (50 MB, or endless body)', () => {
  it('stops an endless body at the cap, says "too large", hangs up and keeps state', async () => {
    let hungUp: Promise<void> | undefined;
    const huge = await rawServer((_request, response) => {
      hungUp = endless(response).closed;
    });
    const blog = await aFollowedBlog(db, `${huge.baseUrl}/feed.xml`);
    const before = await storedState(db);

    const outcome = await pollFeed(blog, deps());

    expect(outcome.error).toEqual({
      code: 'too-large',
      message: 'The feed is larger than 64 KB',
      at: clock.now,
    });
    await hungUp;
    await expectStateKept(db, before);
    expect(await feedOf(blog.id)).toMatchObject({ failures: 1, nextPollAt: clock.now + INTERVAL });
  });

  it('refuses a real feed that is over the cap rather than storing part of it', async () => {
    const items = Array.from({ length: 200 }, (_, index) => ({
      guid: `big-${index}`,
      title: `Post ${index}`,
      description: 'x'.repeat(1_000),
    }));
    server.route('/feed.xml', { body: rss({ items }) });
    const blog = await aFollowedBlog(db, `${server.baseUrl}/feed.xml`);
    const before = await storedState(db);

    const outcome = await pollFeed(blog, deps());

    expect(outcome.error?.code).toBe('too-large');
    await expectStateKept(db, before);
  });

  it('caps feeds at a few MB by default', () => {
    expect(FETCH_DEFAULTS.maxBytes).toBe(5 * MIB);
  });
});

describe('case 03: compression bomb', () => {
  it('stops a gzip bomb that inflates to 1 GiB at the default cap, counting decoded bytes', async () => {
    // The bomb: 1,024 gzip members of about 1 KB, each inflating to 1 MiB of zeros.
    expect(GZIP_BOMB_MEMBER.byteLength).toBeLessThan(4 * KIB);
    expect(gunzipSync(GZIP_BOMB_MEMBER).byteLength).toBe(MIB);
    let sentBytes = (): number => 0;
    const bomber = await rawServer((_request, response) => {
      ({ sentBytes } = gzipBomb(response, 1024));
    });
    let delivered = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          delivered += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      return new Response(response.body?.pipeThrough(counter), response);
    };
    const blog = await aFollowedBlog(db, `${bomber.baseUrl}/feed.xml`);
    const before = await storedState(db);

    const outcome = await pollFeed(
      blog,
      deps({ fetch: countingFetch, fetchLimits: { timeoutMs: 10_000 } }),
    );

    expect(outcome.error).toMatchObject({
      code: 'too-large',
      message: 'The feed is larger than 5 MB',
    });
    // Stopped just past the cap: not the 1 GiB the server offered.
    expect(delivered).toBeGreaterThan(FETCH_DEFAULTS.maxBytes);
    expect(delivered).toBeLessThan(FETCH_DEFAULTS.maxBytes + MIB);
    expect(sentBytes()).toBeLessThan(2 * MIB);
    await expectStateKept(db, before);
  });
});

describe('case 04: redirect loop or long chain', () => {
  it.each([
    ['a redirect loop', (): void => server.route('/feed.xml', loopTo('/feed.xml'))],
    [
      'a chain of 25 redirects',
      (): void => {
        server.route('/feed.xml', loopTo('/hop/1'));
        for (let hop = 1; hop < 25; hop++) server.route(`/hop/${hop}`, loopTo(`/hop/${hop + 1}`));
        server.route('/hop/25', { body: rss({ items: someItems(1) }) });
      },
    ],
  ])(
    'reports %s as a redirect loop, backs off without retrying, keeps state',
    async (_, arrange) => {
      const blog = await aFollowedBlog(db, `${server.baseUrl}/feed.xml`);
      arrange();
      const before = await storedState(db);

      const outcome = await pollFeed(blog, deps());

      expect(outcome.error).toMatchObject({
        code: 'redirect-loop',
        message: expect.stringMatching(/^The address redirects in a loop or too many times/),
      });
      // One chain of at most 20 redirects (the Fetch limit), and no immediate second try.
      expect(server.requests.length).toBeLessThanOrEqual(21);
      expect(await listDueFeeds(db, clock.now)).toEqual([]);
      expect(await feedOf(blog.id)).toMatchObject({
        failures: 1,
        nextPollAt: clock.now + INTERVAL,
      });
      await expectStateKept(db, before);
    },
  );

  function loopTo(location: string) {
    return { status: 302, headers: { location } };
  }
});

describe('case 05: HTTP 301/308 permanent move', () => {
  it.each([301, 308])(
    `moves the stored URL after ${REDIRECT_AGREEMENT} polls over a day agree on a %i, keeping the old as an alias and every post and read state`,
    async (status) => {
      server.route('/feed.xml', { body: rss({ items: someItems(2) }) });
      const feed = await addFeed(
        db,
        { url: `${server.baseUrl}/feed.xml`, title: 'Edge Notes' },
        T0,
      );
      const first = await poll(feed.id);
      await markRead(db, [first.added.find((post) => post.guid === 'post-1')!.id], clock.now);
      const oldUrl = `${server.baseUrl}/feed.xml`;
      const newUrl = `${server.baseUrl}/new/feed.xml`;
      server.route('/feed.xml', { status, headers: { location: '/new/feed.xml' } });
      server.route('/new/feed.xml', { body: rss({ items: relativeItems(3) }) });

      // Polls spread so that the last agreeing one comes a day after the first.
      const step = REDIRECT_MIN_SPAN_MS / (REDIRECT_AGREEMENT - 1);
      const since = clock.now + INTERVAL;
      for (let count = 1; count < REDIRECT_AGREEMENT; count++) {
        clock.now = since + (count - 1) * step;
        await poll(feed.id);
        expect(await feedOf(feed.id)).toMatchObject({
          url: oldUrl,
          redirectCandidate: newUrl,
          redirectCount: count,
          redirectSince: since,
        });
      }
      clock.now = since + REDIRECT_MIN_SPAN_MS;
      await poll(feed.id);

      const moved = await feedOf(feed.id);
      expect(moved).toMatchObject({ url: newUrl, aliases: [oldUrl] });
      expect(moved).not.toHaveProperty('redirectCandidate');
      expect(moved).not.toHaveProperty('redirectCount');
      expect(moved).not.toHaveProperty('redirectSince');
      const posts = await postsOf(feed.id);
      expect(posts.map((post) => post.guid)).toEqual(['post-1', 'post-2', 'post-3']);
      expect(posts[0]!.readAt).toBeGreaterThan(0);
      // Links are resolved against the URL the feed was fetched from in the end.
      expect(posts[2]!.url).toBe(`${server.baseUrl}/new/p/post-3.html`);

      // The new URL is polled directly; the old one still names the same blog.
      const before = server.requestsTo('/feed.xml').length;
      clock.now += INTERVAL;
      await poll(feed.id);
      expect(server.requestsTo('/feed.xml')).toHaveLength(before);
      expect(await subscribe(oldUrl, subscribeDeps())).toMatchObject({
        ok: false,
        code: 'already-followed',
        feedId: feed.id,
      });
    },
  );

  it('does not move for a redirect that lasts less than a day, however many polls see it', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(1) }) });
    const feed = await addFeed(db, { url: `${server.baseUrl}/feed.xml`, title: 'A' }, T0);
    await poll(feed.id);
    // An evening's maintenance: every poll for six hours ends at the same other URL.
    server.route('/feed.xml', { status: 301, headers: { location: '/maintenance.xml' } });
    server.route('/maintenance.xml', { body: rss({ items: someItems(1) }) });
    for (let hour = 1; hour <= 6; hour++) {
      clock.now = T0 + hour * 60 * MINUTE;
      await poll(feed.id);
    }
    expect(await feedOf(feed.id)).toMatchObject({
      url: `${server.baseUrl}/feed.xml`,
      redirectCount: 6,
    });

    // Then the site is back: the count starts again from nothing.
    server.route('/feed.xml', { body: rss({ items: someItems(1) }) });
    clock.now += INTERVAL;
    await poll(feed.id);
    const back = await feedOf(feed.id);
    expect(back.url).toBe(`${server.baseUrl}/feed.xml`);
    expect(back).not.toHaveProperty('redirectCandidate');
    expect(back).not.toHaveProperty('redirectSince');
  });

  it('does not move onto a URL that another followed feed already has', async () => {
    server.route('/a.xml', { status: 301, headers: { location: '/b.xml' } });
    server.route('/b.xml', { body: rss({ items: someItems(1) }) });
    const a = await addFeed(db, { url: `${server.baseUrl}/a.xml`, title: 'A' }, T0);
    await addFeed(db, { url: `${server.baseUrl}/b.xml`, title: 'B' }, T0);

    for (let poll_ = 0; poll_ <= REDIRECT_AGREEMENT; poll_++) {
      clock.now = T0 + poll_ * REDIRECT_MIN_SPAN_MS;
      await poll(a.id);
    }

    expect((await feedOf(a.id)).url).toBe(`${server.baseUrl}/a.xml`);
  });
});

describe('case 06: 302/303/307 temporary redirect', () => {
  it.each([302, 303, 307])(
    'follows a %i, keeps the stored URL and resolves links against the final URL',
    async (status) => {
      server.route('/feed.xml', { status, headers: { location: '/elsewhere/feed.xml' } });
      server.route('/elsewhere/feed.xml', { body: rss({ items: relativeItems(2) }) });
      const feed = await addFeed(
        db,
        { url: `${server.baseUrl}/feed.xml`, title: 'Edge Notes' },
        T0,
      );

      const outcome = await poll(feed.id);

      expect(outcome.status).toBe('new-posts');
      expect((await feedOf(feed.id)).url).toBe(`${server.baseUrl}/feed.xml`);
      expect((await postsOf(feed.id)).map((post) => post.url)).toEqual([
        `${server.baseUrl}/elsewhere/p/post-1.html`,
        `${server.baseUrl}/elsewhere/p/post-2.html`,
      ]);
    },
  );

  it('forgets the new URL when the redirect ends or changes target before polls agree', async () => {
    server.route('/feed.xml', { status: 302, headers: { location: '/a.xml' } });
    server.route('/a.xml', { body: rss({ items: someItems(1) }) });
    server.route('/b.xml', { body: rss({ items: someItems(1) }) });
    const feed = await addFeed(db, { url: `${server.baseUrl}/feed.xml`, title: 'Edge Notes' }, T0);
    await poll(feed.id);
    await poll(feed.id);
    server.route('/feed.xml', { status: 302, headers: { location: '/b.xml' } });
    await poll(feed.id);
    expect(await feedOf(feed.id)).toMatchObject({
      redirectCandidate: `${server.baseUrl}/b.xml`,
      redirectCount: 1,
    });

    server.route('/feed.xml', { body: rss({ items: someItems(1) }) });
    await poll(feed.id);

    const after = await feedOf(feed.id);
    expect(after.url).toBe(`${server.baseUrl}/feed.xml`);
    expect(after).not.toHaveProperty('redirectCandidate');
    expect(await postsOf(feed.id)).toHaveLength(1);
  });
});

describe('case 07: 410 Gone', () => {
  it('stops polling, says so, keeps every post, and resumes when checked again', async () => {
    const blog = await aFollowedBlog(db, `${server.baseUrl}/feed.xml`);
    server.route('/feed.xml', { status: 410, body: '' });
    const before = await storedState(db);

    const outcome = await pollFeed(blog, deps());

    expect(outcome.status).toBe('failed');
    const after = await expectStateKept(db, before);
    expect(after.feeds[0]).toMatchObject({
      status: 'gone',
      lastError: { code: 'gone', message: GONE_MESSAGE },
    });
    clock.now += 365 * DAY;
    expect(await pollDueFeeds(cycle())).toEqual({ checked: 0, newPosts: 0, failed: 0 });
    expect(server.requests).toHaveLength(1);

    server.route('/feed.xml', { body: rss({ items: someItems(1) }) });
    expect(await pollDueFeeds(cycle({ feedId: blog.id }))).toMatchObject({
      checked: 1,
      failed: 0,
    });
    const resumed = await feedOf(blog.id);
    expect(resumed).toMatchObject({ status: 'active', failures: 0 });
    expect(resumed).not.toHaveProperty('lastError');
  });
});

describe('case 08: 404/403/401 and other 4xx', () => {
  it.each([404, 403, 401, 400])(
    'counts each %i as a failure, backs off up to a day, and never deletes anything',
    async (status) => {
      const blog = await aFollowedBlog(db, `${server.baseUrl}/feed.xml`);
      server.route('/feed.xml', { status, body: '<html>No</html>', headers: HTML });
      const before = await storedState(db);
      const delays: number[] = [];

      for (let failures = 1; failures <= 8; failures++) {
        await untilDue(blog.id);
        const outcome = await poll(blog.id);
        expect(outcome.error).toMatchObject({
          code: 'http',
          message: expect.stringContaining(`answered ${status}`),
        });
        const feed = await feedOf(blog.id);
        expect(feed).toMatchObject({ failures, status: 'active' });
        delays.push(feed.nextPollAt - clock.now);
      }

      // Doubling from the regular interval (jitter pinned to its middle), capped at a day.
      expect(delays).toEqual(
        [1, 2, 4, 8, 16, 32, 64, 128].map((factor) => Math.min(factor * INTERVAL, DAY)),
      );
      await expectStateKept(db, before);
    },
  );
});

describe('case 09: 429 Too Many Requests with Retry-After', () => {
  it('holds the whole host: its other feeds wait without a request, with the reason, until the hold ends', async () => {
    const first = await aFollowedBlog(db, `${server.baseUrl}/a.xml`);
    const second = await aFollowedBlog(db, `${server.baseUrl}/b.xml`);
    server.route('/a.xml', { status: 429, headers: { 'retry-after': '7200' } });
    server.route('/b.xml', { body: rss({ items: someItems(1) }) });
    const before = await storedState(db);

    expect(await pollDueFeeds(cycle())).toEqual({ checked: 2, newPosts: 0, failed: 2 });

    expect(server.requestsTo('/a.xml')).toHaveLength(1);
    expect(server.requestsTo('/b.xml')).toHaveLength(0);
    await expectStateKept(db, before);
    expect(await activeHostHold(db, '127.0.0.1', clock.now)).toEqual({
      host: '127.0.0.1',
      until: clock.now + 2 * HOUR,
      reason: '127.0.0.1 asked Dispatch to wait (HTTP 429)',
    });
    expect(await feedOf(first.id)).toMatchObject({
      failures: 1,
      nextPollAt: clock.now + 2 * HOUR,
      lastError: {
        code: 'rate-limited',
        message: 'The server answered 429 Too Many Requests and asked us to wait 2 hours',
      },
    });
    expect(await feedOf(second.id)).toMatchObject({
      failures: 0,
      lastCheckedAt: before.feeds[1]!.lastCheckedAt,
      nextPollAt: clock.now + 2 * HOUR,
      lastError: {
        code: 'host-held',
        message: '127.0.0.1 asked Dispatch to wait (HTTP 429); next request in 2 hours',
      },
    });

    // Half-way: still held, nothing asked.
    clock.now += HOUR;
    expect(await pollDueFeeds(cycle())).toMatchObject({ checked: 0 });

    clock.now += HOUR;
    server.route('/a.xml', { body: rss({ items: someItems(1) }) });
    expect(await pollDueFeeds(cycle())).toEqual({ checked: 2, newPosts: 2, failed: 0 });
    expect(await db.hosts.count()).toBe(0);
    expect(await feedOf(second.id)).not.toHaveProperty('lastError');
  });

  it.each([
    ['an HTTP-date', 'Fri, 20 Mar 2026 15:00:00 GMT', 3 * HOUR],
    ['an HTTP-date in the past', 'Thu, 19 Mar 2026 12:00:00 GMT', RETRY_AFTER_MIN_MS],
    ['5 seconds', '5', RETRY_AFTER_MIN_MS],
    ['a year in seconds', '31536000', RETRY_AFTER_MAX_MS],
  ])('reads a 503 Retry-After of %s, clamped to 1 min–24 h', async (_, value, wait) => {
    const blog = await aFollowedBlog(db, `${server.baseUrl}/feed.xml`);
    server.route('/feed.xml', { status: 503, headers: { 'retry-after': value } });

    await pollFeed(blog, deps());

    expect((await activeHostHold(db, '127.0.0.1', clock.now))?.until).toBe(clock.now + wait);
    expect((await feedOf(blog.id)).nextPollAt).toBe(clock.now + Math.max(INTERVAL, wait));
  });

  it.each([
    [429, INTERVAL],
    [503, undefined],
  ])('without Retry-After, a %i holds the host for %s ms', async (status, wait) => {
    const blog = await aFollowedBlog(db, `${server.baseUrl}/feed.xml`);
    server.route('/feed.xml', { status });

    await pollFeed(blog, deps());

    const hold = await activeHostHold(db, '127.0.0.1', clock.now);
    expect(hold?.until).toBe(wait === undefined ? undefined : clock.now + wait);
  });

  it('holds the host on every port and for "Check now" too', async () => {
    const blog = await aFollowedBlog(db, `${server.baseUrl}/feed.xml`);
    await holdHost(db, {
      host: '127.0.0.1',
      until: clock.now + 10 * MINUTE,
      reason: '127.0.0.1 asked Dispatch to wait (HTTP 503)',
    });

    const summary = await pollDueFeeds(cycle({ feedId: blog.id }));

    expect(summary).toEqual({ checked: 1, newPosts: 0, failed: 1 });
    expect(server.requests).toEqual([]);
    expect((await feedOf(blog.id)).lastError?.message).toBe(
      '127.0.0.1 asked Dispatch to wait (HTTP 503); next request in 10 minutes',
    );
  });

  it('makes no second request right after subscribing', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(2) }), headers: { etag: '"v1"' } });

    const result = await subscribe(`${server.baseUrl}/feed.xml`, subscribeDeps());
    const summary = await pollDueFeeds(cycle());

    expect(result).toMatchObject({ ok: true, added: 2 });
    expect(summary.checked).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  it('subscribing asks nothing of a held host, and a 429 while subscribing holds it', async () => {
    server.route('/feed.xml', { status: 429, headers: { 'retry-after': '600' } });

    const refused = await subscribe(`${server.baseUrl}/feed.xml`, subscribeDeps());
    const again = await subscribe(`${server.baseUrl}/other.xml`, subscribeDeps());

    expect(refused).toMatchObject({ ok: false, code: 'fetch-failed' });
    expect(again).toEqual({
      ok: false,
      code: 'fetch-failed',
      message: `Could not fetch ${server.baseUrl}/other.xml: 127.0.0.1 asked Dispatch to wait (HTTP 429); next request in 10 minutes.`,
    });
    expect(server.requests).toHaveLength(1);
  });
});

describe('case 10: 5xx / 503 (with or without Retry-After)', () => {
  it.each([500, 502, 503, 504])(
    'backs off from %i with jitter up to a day, keeps polling at the cap, and resets on success',
    async (status) => {
      const blog = await aFollowedBlog(db, `${server.baseUrl}/feed.xml`);
      server.route('/feed.xml', { status, body: '' });
      const before = await storedState(db);
      const jitter = [0, 0.999, 0.5];

      for (let failures = 1; failures <= 12; failures++) {
        await untilDue(blog.id);
        await poll(blog.id, { random: () => jitter[failures % 3]! });
        const feed = await feedOf(blog.id);
        const delay = feed.nextPollAt - clock.now;
        const backoff = Math.min(2 ** (failures - 1) * INTERVAL, DAY);
        expect(feed).toMatchObject({ failures, status: 'active' });
        expect(delay).toBeGreaterThanOrEqual(0.8 * backoff);
        expect(delay).toBeLessThanOrEqual(Math.min(1.2 * backoff, MAX_POLL_DELAY_MS));
      }
      await expectStateKept(db, before);

      // Still polled, once a day at most apart, and a success resets the backoff.
      server.route('/feed.xml', { body: rss({ items: someItems(1) }) });
      await untilDue(blog.id);
      await poll(blog.id);
      const recovered = await feedOf(blog.id);
      expect(recovered).toMatchObject({ failures: 0, nextPollAt: clock.now + INTERVAL });
      expect(recovered).not.toHaveProperty('lastError');
    },
  );
});

describe('case 11: conditional GET and 304', () => {
  /** The server: 304 when the request carries the current ETag, else the feed. */
  function serveWithEtag(items: RssItemSpec[], etag = '"v1"'): void {
    server.route('/feed.xml', (headers) =>
      headers['if-none-match'] === etag
        ? { status: 304, headers: { etag } }
        : { body: rss({ items }), headers: { etag } },
    );
  }

  it('sends the validators and takes a 304 as success: no post written, badge and notifications left alone', async () => {
    const writes = interceptWrites(db);
    const blog = await aFollowedBlog(db, `${server.baseUrl}/feed.xml`);
    serveWithEtag(someItems(5));
    const setBadgeText = vi.spyOn(fakeBrowser.action, 'setBadgeText');
    const before = await storedState(db);
    const mark = writes.writes.length;

    const summary = await pollDueFeeds(cycle());

    expect(summary).toEqual({ checked: 1, newPosts: 0, failed: 0 });
    expect(server.requests[0]?.headers).toMatchObject({
      'if-none-match': '"v1"',
      'if-modified-since': blog.lastModified,
    });
    expect(writes.writes.slice(mark).every((write) => write.startsWith('feeds:'))).toBe(true);
    expect(setBadgeText).not.toHaveBeenCalled();
    expect(await notifications()).toEqual([]);
    const after = await expectStateKept(db, before);
    expect(after.feeds[0]).toMatchObject({
      failures: 0,
      lastCheckedAt: clock.now,
      nextPollAt: clock.now + INTERVAL,
    });
  });

  it('takes a 200 whose items are all stored and unchanged the same way', async () => {
    const writes = interceptWrites(db);
    server.route('/feed.xml', { body: rss({ items: someItems(3) }) });
    const feed = await addFeed(db, { url: `${server.baseUrl}/feed.xml`, title: 'Edge Notes' }, T0);
    await pollDueFeeds(cycle());
    const setBadgeText = vi.spyOn(fakeBrowser.action, 'setBadgeText');
    const before = await storedState(db);
    const mark = writes.writes.length;
    clock.now += INTERVAL;

    const summary = await pollDueFeeds(cycle());

    expect(summary).toEqual({ checked: 1, newPosts: 0, failed: 0 });
    expect(writes.writes.slice(mark).every((write) => write.startsWith('feeds:'))).toBe(true);
    expect(setBadgeText).not.toHaveBeenCalled();
    expect(await notifications()).toEqual([]);
    await expectStateKept(db, before);
    expect((await feedOf(feed.id)).lastCheckedAt).toBe(clock.now);
  });

  it('updates a post whose text changed in place, keeping its read state, with no notification', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(3) }) });
    const feed = await addFeed(db, { url: `${server.baseUrl}/feed.xml`, title: 'Edge Notes' }, T0);
    await pollDueFeeds(cycle());
    const original = (await postsOf(feed.id)).find((post) => post.guid === 'post-2')!;
    await markRead(db, [original.id], clock.now);
    const edited = someItems(3).map((item) =>
      item.guid === 'post-2' ? { ...item, description: 'Corrected summary.' } : item,
    );
    server.route('/feed.xml', { body: rss({ items: edited }) });
    clock.now += INTERVAL;

    const outcome = await poll(feed.id);

    expect(outcome).toMatchObject({ status: 'no-change', added: [], updated: 1 });
    const posts = await postsOf(feed.id);
    expect(posts).toHaveLength(3);
    expect(posts.find((post) => post.guid === 'post-2')).toEqual(
      withIndexFields({
        ...original,
        summary: 'Corrected summary.',
        words: 2,
        readAt: clock.now - INTERVAL,
      }),
    );
    expect(await unreadTotal(db)).toBe(2);
    expect(await notifications()).toEqual([]);
  });

  it('sends no validators once a day, so a server whose 304s lie cannot hide new posts for good', async () => {
    const blog = await aFollowedBlog(db, `${server.baseUrl}/feed.xml`);
    // A bogus server: any validator gets a 304, whatever changed.
    server.route('/feed.xml', (headers) =>
      headers['if-none-match'] || headers['if-modified-since']
        ? { status: 304, headers: { etag: '"v1"' } }
        : { body: rss({ items: someItems(1, 40) }), headers: { etag: '"v1"' } },
    );
    const outcomes: string[] = [];

    while (clock.now - blog.lastUnconditionalAt! < UNCONDITIONAL_EVERY_MS) {
      await untilDue(blog.id);
      outcomes.push((await poll(blog.id)).status);
      clock.now += 1;
    }

    // Every 30 minutes for a day: conditional 304s, then one unconditional GET.
    expect(outcomes.at(-1)).toBe('new-posts');
    expect(outcomes.slice(0, -1).every((status) => status === 'not-modified')).toBe(true);
    expect(outcomes.length).toBe(UNCONDITIONAL_EVERY_MS / INTERVAL);
    const unconditional = server.requests.filter((request) => !request.headers['if-none-match']);
    expect(unconditional).toHaveLength(1);
    expect(unconditional[0]?.headers).not.toHaveProperty('if-modified-since');
    const feed = await feedOf(blog.id);
    expect(feed.lastUnconditionalAt).toBe(feed.lastCheckedAt);

    // And conditional again on the next poll.
    await untilDue(blog.id);
    expect((await poll(blog.id)).status).toBe('not-modified');
  });
});

describe('case 12: wrong Content-Type', () => {
  const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Edge Notes</title><id>urn:edge</id>
<entry><id>urn:edge:1</id><title>Atom post</title><updated>2026-03-01T09:00:00Z</updated></entry></feed>`;
  const jsonFeed = JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Edge Notes',
    items: [{ id: 'j1', title: 'JSON post', content_text: 'Hello.' }],
  });
  const rssBody = rss({ items: [{ guid: 'r1', title: 'RSS post', description: 'Hello.' }] });

  it.each([
    ['RSS served as text/html', rssBody, 'text/html; charset=utf-8', 'RSS post'],
    ['RSS served as text/plain', rssBody, 'text/plain', 'RSS post'],
    ['Atom served as application/octet-stream', atom, 'application/octet-stream', 'Atom post'],
    ['JSON Feed served as application/json', jsonFeed, 'application/json', 'JSON post'],
    ['JSON Feed served as text/plain', jsonFeed, 'text/plain; charset=utf-8', 'JSON post'],
  ])('reads %s from its body', async (_, body, contentType, title) => {
    server.route('/feed.xml', { body, headers: { 'content-type': contentType } });
    const feed = await addFeed(db, { url: `${server.baseUrl}/feed.xml`, title: 'Edge Notes' }, T0);

    const outcome = await poll(feed.id);

    expect(outcome.status).toBe('new-posts');
    expect(outcome.added.map((post) => post.title)).toEqual([title]);
  });
});

describe('case 13: HTML page instead of a feed (the user pastes the home page)', () => {
  const feedTypes = {
    rss: 'application/rss+xml',
    atom: 'application/atom+xml',
    json: 'application/feed+json',
    rdf: 'application/rdf+xml',
  };

  it.each([
    ['an RSS alternate link', htmlPage([{ href: 'posts.xml', type: feedTypes.rss }]), {}],
    ['an Atom alternate link', htmlPage([{ href: 'posts.xml', type: feedTypes.atom }]), {}],
    ['a JSON Feed alternate link', htmlPage([{ href: 'posts.xml', type: feedTypes.json }]), {}],
    ['an RDF alternate link', htmlPage([{ href: 'posts.xml', type: feedTypes.rdf }]), {}],
    [
      'a rel="feed" link',
      '<!doctype html><html><head><link rel="feed" href="posts.xml"></head><body></body></html>',
      {},
    ],
    [
      'the Link header',
      htmlPage(),
      { link: '<posts.xml>; rel="alternate"; type="application/rss+xml"' },
    ],
  ])('follows the feed it names with %s, resolved against the page', async (_, page, headers) => {
    server.route('/blog/', { body: page, headers: { ...HTML, ...headers } });
    server.route('/blog/posts.xml', { body: rss({ items: someItems(2) }) });

    const result = await subscribe(`${server.baseUrl}/blog/`, subscribeDeps());

    expect(result).toMatchObject({ ok: true, added: 2 });
    expect(server.requests.map((request) => request.url)).toEqual(['/blog/', '/blog/posts.xml']);
    const [feed] = await db.feeds.toArray();
    expect(feed).toMatchObject({
      url: `${server.baseUrl}/blog/posts.xml`,
      siteUrl: 'https://blog.example/',
    });
  });

  it('lets the user choose when the page names several feeds, fetching none of them', async () => {
    server.route('/', {
      body: htmlPage([
        { href: '/posts.xml', title: 'Posts' },
        { href: '/comments.xml', title: 'Comments', type: 'application/atom+xml' },
        { href: '/posts.xml', title: 'Posts again' },
      ]),
      headers: { ...HTML, link: '<feed.json>; rel="alternate"; type="application/feed+json"' },
    });

    const result = await subscribe(`${server.baseUrl}/`, subscribeDeps());

    expect(result).toMatchObject({
      ok: false,
      code: 'choose',
      message: `${new URL(server.baseUrl).host} offers 3 feeds: choose the one to follow.`,
      choices: [
        { url: `${server.baseUrl}/posts.xml`, title: 'Posts', type: 'rss' },
        { url: `${server.baseUrl}/comments.xml`, title: 'Comments', type: 'atom' },
        { url: `${server.baseUrl}/feed.json`, type: 'unknown' },
      ],
    });
    expect(server.requests.map((request) => request.url)).toEqual(['/']);
    expect(await db.feeds.count()).toBe(0);
  });

  it('follows the chosen one; with a single link there is nothing to choose', async () => {
    server.route('/', { body: htmlPage([{ href: '/gone.xml' }]), headers: HTML });
    server.route('/feed.xml', { body: rss({ title: 'Posts', items: someItems(2) }) });
    server.route('/comments.xml', { body: rss({ title: 'Comments', items: someItems(1) }) });

    // The one link is gone: the common addresses are tried after it.
    const onlyOne = await subscribe(`${server.baseUrl}/`, subscribeDeps());
    expect(onlyOne).toMatchObject({ ok: true, title: 'Posts' });

    const chosen = await subscribe(`${server.baseUrl}/comments.xml`, subscribeDeps());
    expect(chosen).toMatchObject({ ok: true, title: 'Comments' });
  });

  it('says in words that a page without feed links has no feed, and stores nothing', async () => {
    server.route('/', { body: htmlPage(), headers: HTML });

    const result = await subscribe(`${server.baseUrl}/`, subscribeDeps());

    expect(result).toMatchObject({ ok: false, code: 'not-found' });
    expect(result.ok ? '' : result.message).toMatch(/the page links to no feed/);
    expect(await db.feeds.count()).toBe(0);
  });
});

describe('case 14: a working feed starts returning HTML', () => {
  it.each([
    ['a login wall (200, text/html)', { body: htmlPage(), headers: HTML }, 'not-a-feed'],
    [
      'a page served as XML',
      { body: htmlPage(), headers: { 'content-type': 'application/xml' } },
      'not-a-feed',
    ],
    [
      'a parked domain served as text/plain',
      {
        body: '<html><body>This domain is for sale.</body></html>',
        headers: { 'content-type': 'text/plain' },
      },
      'not-a-feed',
    ],
    ['a challenge page (403, text/html)', { status: 403, body: htmlPage(), headers: HTML }, 'http'],
  ])(
    'treats %s as an error, never as a feed with no posts; keeps state',
    async (_, reply, code) => {
      const blog = await aFollowedBlog(db, `${server.baseUrl}/feed.xml`);
      server.route('/feed.xml', reply);
      const before = await storedState(db);

      const outcome = await pollFeed(blog, deps());

      expect(outcome).toMatchObject({ status: 'failed', added: [], error: { code } });
      if (code === 'not-a-feed') expect(outcome.error?.message).toBe(WEB_PAGE_MESSAGE);
      await expectStateKept(db, before);
      expect(await feedOf(blog.id)).toMatchObject({
        failures: 1,
        nextPollAt: clock.now + INTERVAL,
      });
    },
  );

  it('treats an empty 200 as an error too', async () => {
    const blog = await aFollowedBlog(db, `${server.baseUrl}/feed.xml`);
    server.route('/feed.xml', { body: '' });
    const before = await storedState(db);

    const outcome = await pollFeed(blog, deps());

    expect(outcome.status).toBe('failed');
    await expectStateKept(db, before);
  });
});

describe('case 15: cookies and credentials', () => {
  /**
   * `fetch` as a browser holding a session cookie for every site: it sends the cookie unless
   * the request omits credentials. (Node's fetch has no cookie jar, so without this the test
   * could not fail.)
   */
  function browserWithSessionCookie(calls: (RequestInit | undefined)[]): typeof fetch {
    return (input, init) => {
      calls.push(init);
      const headers = new Headers(init?.headers);
      if (init?.credentials !== 'omit') headers.set('cookie', 'session=secret');
      return fetch(input, { ...init, headers });
    };
  }

  it('the stand-in browser would send the cookie if credentials were not omitted', async () => {
    server.route('/feed.xml', { body: rss({ items: [] }) });

    await browserWithSessionCookie([])(`${server.baseUrl}/feed.xml`, { credentials: 'include' });

    expect(server.requests[0]?.headers.cookie).toBe('session=secret');
  });

  it('polls with credentials omitted: no Cookie reaches the server', async () => {
    server.route('/feed.xml', {
      body: rss({ items: someItems(1) }),
      headers: { 'set-cookie': 'session=secret; Path=/' },
    });
    const calls: (RequestInit | undefined)[] = [];
    const feed = await addFeed(db, { url: `${server.baseUrl}/feed.xml`, title: 'Edge Notes' }, T0);

    await poll(feed.id, { fetch: browserWithSessionCookie(calls) });
    await poll(feed.id, { fetch: browserWithSessionCookie(calls) });

    expect(calls).toHaveLength(2);
    expect(calls.every((init) => init?.credentials === 'omit')).toBe(true);
    expect(server.requests.map((request) => request.headers.cookie)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('subscribes with credentials omitted too, page and feed alike', async () => {
    server.route('/', { body: htmlPage([{ href: '/feed.xml' }]), headers: HTML });
    server.route('/feed.xml', { body: rss({ items: someItems(1) }) });
    const calls: (RequestInit | undefined)[] = [];

    const result = await subscribe(
      `${server.baseUrl}/`,
      subscribeDeps({ fetch: browserWithSessionCookie(calls) }),
    );

    expect(result).toMatchObject({ ok: true });
    expect(calls.map((init) => init?.credentials)).toEqual(['omit', 'omit']);
    expect(server.requests.every((request) => request.headers.cookie === undefined)).toBe(true);
  });
});

describe('case 16: dangerous or private feed URLs', () => {
  /** A `fetch` for made-up public sites; `url` is where the response says it ended. */
  function publicWeb(pages: Record<string, { body: string; url?: string; type?: string }>) {
    return vi.fn(async (input: RequestInfo | URL): Promise<Response> => {
      const page = pages[String(input)];
      if (!page) return new Response('Not found', { status: 404 });
      const response = new Response(page.body, {
        headers: { 'content-type': page.type ?? 'application/rss+xml' },
      });
      if (page.url) {
        Object.defineProperty(response, 'url', { value: page.url });
        Object.defineProperty(response, 'redirected', { value: true });
      }
      return response;
    });
  }

  it.each([
    'file:///etc/passwd',
    'chrome://settings',
    'javascript:alert(1)',
    'data:application/rss+xml,<rss/>',
    'ftp://blog.example/feed.xml',
  ])('never fetches a stored feed URL like %s, says why and keeps state', async (url) => {
    const blog = await aFollowedBlog(db, url);
    const fetch = vi.fn<typeof globalThis.fetch>();
    const before = await storedState(db);

    const outcome = await pollFeed(blog, deps({ fetch }));

    expect(fetch).not.toHaveBeenCalled();
    expect(outcome.error).toMatchObject({ code: 'bad-url', message: expect.any(String) });
    await expectStateKept(db, before);
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi', 'chrome://flags'])(
    'refuses to subscribe to %s',
    async (input) => {
      const fetch = vi.fn<typeof globalThis.fetch>();

      const result = await subscribe(input, subscribeDeps({ fetch }));

      expect(result).toMatchObject({ ok: false, code: 'invalid-url' });
      expect(fetch).not.toHaveBeenCalled();
    },
  );

  it('follows a private address the user typed (a LAN blog, the demo on 127.0.0.1)', async () => {
    server.route('/', { body: htmlPage([{ href: '/feed.xml' }]), headers: HTML });
    server.route('/feed.xml', { body: rss({ items: someItems(2) }) });

    expect(await subscribe(`${server.baseUrl}/`, subscribeDeps())).toMatchObject({ ok: true });
  });

  it.each([
    'http://192.168.1.1/feed.xml',
    'http://localhost:8080/feed',
    'http://[::1]/feed',
    'http://10.0.0.5/rss',
  ])('names, but does not follow, %s linked from a public page', async (privateFeed) => {
    const fetch = publicWeb({
      'https://blog.example/': { body: htmlPage([{ href: privateFeed }]), type: 'text/html' },
      [privateFeed]: { body: rss({ items: someItems(1) }) },
    });

    const result = await subscribe('https://blog.example/', subscribeDeps({ fetch }));

    expect(result).toMatchObject({ ok: false, code: 'not-found' });
    expect(result.ok ? '' : result.message).toContain(
      `${new URL(privateFeed).href} ${PRIVATE_SKIPPED}`,
    );
    expect(fetch.mock.calls.map(([url]) => String(url))).not.toContain(privateFeed);
    expect(await db.feeds.count()).toBe(0);
  });

  it('does not follow a public address that redirects to a private one', async () => {
    const fetch = publicWeb({
      'https://blog.example/feed.xml': {
        body: rss({ items: someItems(1) }),
        url: 'http://192.168.1.1/feed.xml',
      },
    });

    const result = await subscribe('https://blog.example/feed.xml', subscribeDeps({ fetch }));

    expect(result).toEqual({
      ok: false,
      code: 'not-found',
      message: `https://blog.example/feed.xml redirected to http://192.168.1.1/feed.xml, which ${PRIVATE_SKIPPED}.`,
    });
    expect(await db.feeds.count()).toBe(0);
  });

  it('never moves a followed public feed onto a private address, however often it redirects there', async () => {
    const fetch = publicWeb({
      'https://blog.example/feed.xml': {
        body: rss({ items: someItems(1) }),
        url: 'http://10.0.0.1/feed.xml',
      },
    });
    const feed = await addFeed(db, { url: 'https://blog.example/feed.xml', title: 'Edge' }, T0);

    for (let count = 0; count <= REDIRECT_AGREEMENT; count++) {
      clock.now = T0 + count * REDIRECT_MIN_SPAN_MS;
      await poll(feed.id, { fetch });
    }

    const after = await feedOf(feed.id);
    expect(after.url).toBe('https://blog.example/feed.xml');
    expect(after).not.toHaveProperty('redirectCandidate');
  });
});
