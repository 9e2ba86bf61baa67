import type { RequestListener } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  FEED_ACCEPT,
  fetchFeed,
  parseMaxAge,
  parseRetryAfter,
  type FetchResult,
} from '@/utils/http/fetch-feed';
import {
  endless,
  startTestServer,
  trickle,
  unusedPort,
  type TestServer,
} from '@/tests/helpers/http-server';

const KIB = 1024;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: RequestListener): Promise<string> {
  server = await startTestServer(handler);
  return server.baseUrl;
}

function requestsSeen(): NonNullable<typeof server>['requests'] {
  if (!server) throw new Error('no server started');
  return server.requests;
}

function errorOf(result: FetchResult) {
  if (result.kind !== 'error') throw new Error(`expected an error, got ${result.kind}`);
  return result.error;
}

describe('fetchFeed', () => {
  describe('success', () => {
    it('returns the body, content type, validators and freshness of a 200', async () => {
      const base = await serve((_request, response) => {
        response.writeHead(200, {
          'Content-Type': 'application/rss+xml; charset=utf-8',
          ETag: '"v1"',
          'Last-Modified': 'Tue, 10 Mar 2026 08:00:00 GMT',
          'Cache-Control': 'public, max-age=300',
          Age: '100',
        });
        response.end(RSS);
      });

      const result = await fetchFeed(`${base}/feed.xml`);

      expect(result).toEqual({
        kind: 'ok',
        status: 200,
        url: `${base}/feed.xml`,
        redirected: false,
        body: new TextEncoder().encode(RSS),
        contentType: 'application/rss+xml; charset=utf-8',
        validators: { etag: '"v1"', lastModified: 'Tue, 10 Mar 2026 08:00:00 GMT' },
        maxAgeMs: 200_000,
      });
    });

    it('sends the feed Accept header and no validators or cookies when it has none', async () => {
      const base = await serve((_request, response) => response.end(RSS));

      await fetchFeed(`${base}/feed.xml`);

      const [request] = requestsSeen();
      expect(request?.headers.accept).toBe(FEED_ACCEPT);
      expect(request?.headers).not.toHaveProperty('if-none-match');
      expect(request?.headers).not.toHaveProperty('if-modified-since');
      expect(request?.headers).not.toHaveProperty('cookie');
    });

    it('passes on the Link header, where a page may name its feed', async () => {
      const link = '</feed.xml>; rel="alternate"; type="application/rss+xml"';
      const base = await serve((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/html', Link: link });
        response.end('<!doctype html><title>Blog</title>');
      });

      const result = await fetchFeed(`${base}/`);

      expect(result).toMatchObject({ kind: 'ok', link });
    });

    it('returns an empty body for a 204', async () => {
      const base = await serve((_request, response) => {
        response.writeHead(204);
        response.end();
      });

      const result = await fetchFeed(`${base}/feed.xml`);

      expect(result).toMatchObject({ kind: 'ok', status: 204, body: new Uint8Array() });
    });

    it('asks fetch to omit credentials, follow redirects and bypass the HTTP cache', async () => {
      const spy = vi.fn<typeof fetch>(async () => new Response(RSS));

      await fetchFeed('https://blog.example/feed.xml', { fetch: spy });

      expect(spy).toHaveBeenCalledTimes(1);
      const [input, init] = spy.mock.calls[0] ?? [];
      expect(input).toBe('https://blog.example/feed.xml');
      expect(init).toMatchObject({
        method: 'GET',
        credentials: 'omit',
        redirect: 'follow',
        cache: 'no-store',
      });
      expect(new Headers(init?.headers).get('accept')).toBe(FEED_ACCEPT);
    });

    it('falls back to the requested URL when the response has none', async () => {
      const result = await fetchFeed('https://blog.example/feed.xml', {
        fetch: async () => new Response(RSS),
      });

      expect(result).toMatchObject({ kind: 'ok', url: 'https://blog.example/feed.xml' });
    });
  });

  describe('conditional GET', () => {
    const lastModified = 'Tue, 10 Mar 2026 08:00:00 GMT';

    it('sends If-None-Match and If-Modified-Since and reports a 304 as not-modified', async () => {
      const base = await serve((request, response) => {
        if (request.headers['if-none-match'] === '"v1"') {
          response.writeHead(304, { ETag: '"v1"', 'Cache-Control': 'max-age=600' });
          response.end();
          return;
        }
        response.end(RSS);
      });

      const result = await fetchFeed(`${base}/feed.xml`, {
        validators: { etag: '"v1"', lastModified },
      });

      expect(requestsSeen()[0]?.headers).toMatchObject({
        'if-none-match': '"v1"',
        'if-modified-since': lastModified,
      });
      expect(result).toEqual({
        kind: 'not-modified',
        url: `${base}/feed.xml`,
        validators: { etag: '"v1"', lastModified },
        maxAgeMs: 600_000,
      });
    });

    it('skips a stored validator that is not valid header text instead of failing', async () => {
      const base = await serve((_request, response) => response.end(RSS));

      const result = await fetchFeed(`${base}/feed.xml`, {
        validators: { etag: '"v1"\r\nX-Injected: yes', lastModified },
      });

      expect(result.kind).toBe('ok');
      expect(requestsSeen()[0]?.headers).not.toHaveProperty('if-none-match');
      expect(requestsSeen()[0]?.headers).not.toHaveProperty('x-injected');
      expect(requestsSeen()[0]?.headers['if-modified-since']).toBe(lastModified);
    });
  });

  describe('redirects', () => {
    it('follows a 301 and reports the final URL', async () => {
      const base = await serve((request, response) => {
        if (request.url === '/old.xml') {
          response.writeHead(301, { Location: '/new.xml' });
          response.end();
          return;
        }
        response.end(RSS);
      });

      const result = await fetchFeed(`${base}/old.xml`);

      expect(result).toMatchObject({ kind: 'ok', url: `${base}/new.xml`, redirected: true });
    });

    it('reports a redirect loop in words', async () => {
      const base = await serve((_request, response) => {
        response.writeHead(302, { Location: '/loop.xml' });
        response.end();
      });

      const error = errorOf(await fetchFeed(`${base}/loop.xml`));

      // Node's fetch names the cause; browsers only say "Failed to fetch".
      expect(['redirect-loop', 'network']).toContain(error.code);
      expect(error.message).toMatch(/redirect|reach/i);
    });
  });

  describe('HTTP errors', () => {
    it.each([
      { status: 410, code: 'gone', words: /410 Gone/ },
      { status: 404, code: 'http', words: /404 Not Found/ },
      { status: 403, code: 'http', words: /403 Forbidden/ },
      { status: 500, code: 'http', words: /500 Internal Server Error/ },
      { status: 503, code: 'rate-limited', words: /503 Service Unavailable/ },
    ])('classifies $status as $code', async ({ status, code, words }) => {
      const base = await serve((_request, response) => {
        response.writeHead(status);
        response.end('<html>nope</html>');
      });

      const error = errorOf(await fetchFeed(`${base}/feed.xml`));

      expect(error).toMatchObject({ code, status, message: expect.stringMatching(words) });
      expect(error).not.toHaveProperty('retryAfterMs');
    });

    it('reports a 429 with Retry-After in seconds as rate-limited', async () => {
      const base = await serve((_request, response) => {
        response.writeHead(429, { 'Retry-After': '120' });
        response.end();
      });

      const error = errorOf(await fetchFeed(`${base}/feed.xml`));

      expect(error).toEqual({
        code: 'rate-limited',
        status: 429,
        retryAfterMs: 120_000,
        message: 'The server answered 429 Too Many Requests and asked us to wait 2 minutes',
      });
    });

    it('reads a 503 Retry-After given as an HTTP-date against the injected clock', async () => {
      const now = Date.UTC(2026, 2, 10, 8, 0, 0);
      const base = await serve((_request, response) => {
        response.writeHead(503, { 'Retry-After': 'Tue, 10 Mar 2026 08:10:00 GMT' });
        response.end();
      });

      const error = errorOf(await fetchFeed(`${base}/feed.xml`, { now: () => now }));

      expect(error).toMatchObject({ code: 'rate-limited', status: 503, retryAfterMs: 10 * MINUTE });
    });

    it('keeps Retry-After on other errors', async () => {
      const base = await serve((_request, response) => {
        response.writeHead(500, { 'Retry-After': '3600' });
        response.end();
      });

      const error = errorOf(await fetchFeed(`${base}/feed.xml`));

      expect(error).toMatchObject({ code: 'http', status: 500, retryAfterMs: HOUR });
    });
  });

  describe('slow and hung servers', () => {
    it('times out when the body stops trickling in', async () => {
      const base = await serve((_request, response) => trickle(response, 2000));

      const error = errorOf(
        await fetchFeed(`${base}/feed.xml`, { idleTimeoutMs: 300, timeoutMs: 1000 }),
      );

      expect(error).toEqual({
        code: 'timeout',
        message: 'The server stopped sending for 0.3 seconds',
      });
    });

    it('times out at the deadline even while bytes keep arriving', async () => {
      const base = await serve((_request, response) => trickle(response, 20));

      const error = errorOf(
        // The idle limit is longer than the deadline, so only the deadline can fire.
        await fetchFeed(`${base}/feed.xml`, { idleTimeoutMs: 1000, timeoutMs: 500 }),
      );

      expect(error).toEqual({ code: 'timeout', message: 'No answer within 0.5 seconds' });
    });

    it('times out when the headers never come', async () => {
      const base = await serve(() => {});

      const error = errorOf(await fetchFeed(`${base}/feed.xml`, { timeoutMs: 300 }));

      expect(error.code).toBe('timeout');
    });

    it('times out even when the injected fetch ignores its signal', async () => {
      const error = errorOf(
        await fetchFeed('https://blog.example/feed.xml', {
          fetch: () => new Promise<Response>(() => {}),
          timeoutMs: 50,
        }),
      );

      expect(error.code).toBe('timeout');
    });
  });

  describe('size cap', () => {
    it.each([
      { size: 64 * KIB, kind: 'ok' },
      { size: 64 * KIB + 1, kind: 'error' },
    ])('returns $kind for a body of $size bytes under a 64 KiB cap', async ({ size, kind }) => {
      const base = await serve((_request, response) => response.end(Buffer.alloc(size, 'a')));

      const result = await fetchFeed(`${base}/feed.xml`, { maxBytes: 64 * KIB });

      expect(result.kind).toBe(kind);
    });

    it('stops an endless body at the cap', async () => {
      const base = await serve((_request, response) => endless(response));

      const error = errorOf(await fetchFeed(`${base}/feed.xml`, { maxBytes: 64 * KIB }));

      expect(error).toEqual({ code: 'too-large', message: 'The feed is larger than 64 KB' });
    });
  });

  describe('network failures', () => {
    it('reports a refused connection as network', async () => {
      const port = await unusedPort();

      const error = errorOf(await fetchFeed(`http://127.0.0.1:${port}/feed.xml`));

      expect(error.code).toBe('network');
      expect(error.message).toMatch(/^Could not reach the server/);
    });

    it('reports a connection cut mid-body as network', async () => {
      const base = await serve((_request, response) => {
        response.writeHead(200, { 'Content-Length': '1000' });
        response.write('<rss>', () => response.destroy());
      });

      const error = errorOf(await fetchFeed(`${base}/feed.xml`));

      expect(error.code).toBe('network');
      expect(error.message).toMatch(/^The connection broke/);
    });

    it('reports a cancellation by the caller as network', async () => {
      const base = await serve(() => {});
      const controller = new AbortController();

      const pending = fetchFeed(`${base}/feed.xml`, { signal: controller.signal });
      controller.abort();

      expect(errorOf(await pending)).toEqual({
        code: 'network',
        message: 'The request was cancelled',
      });
    });

    it('reports a caller timeout signal as timeout', async () => {
      const base = await serve(() => {});

      const error = errorOf(
        await fetchFeed(`${base}/feed.xml`, { signal: AbortSignal.timeout(50) }),
      );

      expect(error.code).toBe('timeout');
    });

    it('does not start when the caller has already aborted', async () => {
      const spy = vi.fn<typeof fetch>(async () => new Response(RSS));

      const result = await fetchFeed('https://blog.example/feed.xml', {
        fetch: spy,
        signal: AbortSignal.abort(),
      });

      expect(errorOf(result).code).toBe('network');
      expect(spy).not.toHaveBeenCalled();
    });
  });

  describe('bad URLs', () => {
    it.each([
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:application/rss+xml,<rss/>',
      'chrome://settings',
      'ftp://blog.example/feed.xml',
      'blog.example/feed.xml',
      '',
      'https://user:secret@blog.example/feed.xml',
    ])('refuses %j without fetching', async (url) => {
      const spy = vi.fn<typeof fetch>(async () => new Response(RSS));

      const error = errorOf(await fetchFeed(url, { fetch: spy }));

      expect(error.code).toBe('bad-url');
      expect(error.message).not.toBe('');
      expect(spy).not.toHaveBeenCalled();
    });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 2, 10, 8, 0, 0);

  it.each([
    { value: '120', expected: 2 * MINUTE },
    { value: ' 600 ', expected: 10 * MINUTE },
    { value: '0', expected: MINUTE },
    { value: '5', expected: MINUTE },
    { value: '999999999999', expected: DAY },
    { value: 'Tue, 10 Mar 2026 08:10:00 GMT', expected: 10 * MINUTE },
    { value: 'Tuesday, 10-Mar-26 09:00:00 GMT', expected: HOUR },
    { value: 'Tue Mar 10 10:00:00 2026', expected: 2 * HOUR },
    { value: 'Tue Mar  3 08:00:00 2026', expected: MINUTE },
    { value: 'Mon, 09 Mar 2026 08:00:00 GMT', expected: MINUTE },
    { value: 'Fri, 10 Mar 2028 08:00:00 GMT', expected: DAY },
    { value: 'Wednesday, 11-Mar-26 08:00:00 GMT', expected: DAY },
    { value: 'Sunday, 06-Nov-94 08:49:37 GMT', expected: MINUTE },
  ])('reads $value as $expected ms (clamped to 1 min–24 h)', ({ value, expected }) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    '',
    'soon',
    '-5',
    '1.5',
    '2026-03-10T08:10:00Z',
    'Tue, 31 Feb 2026 08:10:00 GMT',
    'Tue, 10 Mar 2026 25:10:00 GMT',
    'Tue, 10 Mar 2026 08:10:00 PST',
    '10 Mar 2026 08:10:00 GMT',
    'Tue, 10 Mar 2026 24:00:00 GMT',
    'Tue, 10 mar 2026 08:10:00 GMT',
    'Tue, 10 Foo 2026 08:10:00 GMT',
    'Tue, 10-Mar-26 08:10:00 GMT',
    'Xyz, 10 Mar 2026 08:10:00 GMT',
  ])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('parseMaxAge', () => {
  it.each([
    { value: 'max-age=300', expected: 300_000 },
    { value: 'public, max-age=60, must-revalidate', expected: 60_000 },
    { value: 'MAX-AGE=5', expected: 5_000 },
    { value: 'max-age="30"', expected: 30_000 },
    { value: 'max-age=0', expected: 0 },
    { value: 'max-age=10, max-age=20', expected: 10_000 },
  ])('reads $value as $expected ms', ({ value, expected }) => {
    expect(parseMaxAge(value)).toBe(expected);
  });

  it.each([null, undefined, '', 'no-cache', 's-maxage=100', 'max-age=abc', 'max-age=', 'max-age'])(
    'ignores %j',
    (value) => {
      expect(parseMaxAge(value)).toBeUndefined();
    },
  );
});
