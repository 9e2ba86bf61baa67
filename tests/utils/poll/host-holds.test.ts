import { describe, expect, it } from 'vitest';
import type { FetchErrorInfo } from '@/utils/http/fetch-feed';
import { heldMessage, holdFor, holdKey } from '@/utils/poll/host-holds';

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 2, 20, 12);
const timing = { now: NOW, baseIntervalMs: 30 * MINUTE };

function error(overrides: Partial<FetchErrorInfo>): FetchErrorInfo {
  return { code: 'rate-limited', message: 'The server answered', ...overrides };
}

describe('holdFor', () => {
  it.each([
    ['a 429 with Retry-After', error({ status: 429, retryAfterMs: 5 * MINUTE }), 5 * MINUTE],
    ['a 503 with Retry-After', error({ status: 503, retryAfterMs: 2 * MINUTE }), 2 * MINUTE],
    ['a 429 without Retry-After', error({ status: 429 }), 30 * MINUTE],
  ])('holds the host for %s', (_, failure, waitMs) => {
    expect(holdFor('https://WWW.Reddit.com:8443/r/a/.rss', failure, timing)).toEqual({
      host: 'www.reddit.com',
      until: NOW + waitMs,
      reason: `www.reddit.com asked Dispatch to wait (HTTP ${failure.status})`,
    });
  });

  it.each([
    ['a 503 without Retry-After', error({ status: 503 })],
    ['a 500 with Retry-After', error({ code: 'http', status: 500, retryAfterMs: MINUTE })],
    ['a timeout', error({ code: 'timeout', status: undefined })],
    ['a held host (no status: no new answer)', error({ status: undefined, retryAfterMs: MINUTE })],
  ])('asks no hold for %s', (_, failure) => {
    expect(holdFor('https://blog.example/feed', failure, timing)).toBeUndefined();
  });

  it('asks no hold for an address without a host', () => {
    expect(holdFor('not a url', error({ status: 429 }), timing)).toBeUndefined();
  });
});

describe('heldMessage', () => {
  it('says who asked and how long is left', () => {
    const hold = {
      host: 'blog.example',
      until: NOW + 90 * MINUTE,
      reason: 'blog.example asked Dispatch to wait (HTTP 429)',
    };

    expect(heldMessage(hold, NOW)).toBe(
      'blog.example asked Dispatch to wait (HTTP 429); next request in 90 minutes',
    );
  });
});

describe('holdKey', () => {
  it.each([
    ['https://Blog.Example:8080/feed', 'blog.example'],
    ['http://127.0.0.1:3000/', '127.0.0.1'],
    ['not a url', undefined],
  ])('keys %s as %s', (url, key) => {
    expect(holdKey(url)).toBe(key);
  });
});
