import { describe, expect, it } from 'vitest';
import type { Feed } from '@/utils/db/types';
import { describeHealth, formatSpan, needsAttention, popupAlert } from '@/utils/health';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 2, 20, 12);
const TODAY = Math.floor(NOW / DAY);

/** A healthy blog checked 5 minutes ago, next due in 25 minutes. */
function aFeed(changes: Partial<Feed> = {}): Feed {
  return {
    id: 1,
    url: 'https://edge.example/feed.xml',
    aliases: [],
    title: 'Edge Notes',
    addedAt: NOW - 30 * DAY,
    lastCheckedAt: NOW - 5 * MINUTE,
    lastNewPostAt: NOW - 3 * DAY,
    nextPollAt: NOW + 25 * MINUTE,
    failures: 0,
    status: 'active',
    ...changes,
  };
}

/** A blog followed through its listing page whose layout changed `ago` ms before NOW. */
function drifting(ago: number): Partial<Feed> {
  return {
    url: 'https://edge.example/',
    listing: {
      extractor: { version: 1, cards: 'main > article.card', fields: [], count: 9 },
      lastCount: 9,
      drift: {
        reason: 'No posts were found on the listing page: the page layout may have changed.',
        since: NOW - ago,
        found: 0,
      },
    },
  };
}

/** A blog failing since `since` with `failures` failed checks, the last one now. */
function failing(since: number, failures: number, code: string, message: string): Partial<Feed> {
  return { failures, failingSince: since, lastError: { code, message, at: NOW - MINUTE } };
}

describe('describeHealth', () => {
  it('describes a healthy blog line by line', () => {
    const feed = aFeed({
      recentPostDates: [NOW - 3 * DAY, NOW - 5 * DAY, NOW - 7 * DAY],
      requestDays: [
        { day: TODAY, requests: 4, notModified: 3 },
        { day: TODAY - 1, requests: 8, notModified: 7 },
      ],
    });

    expect(describeHealth(feed, NOW)).toEqual({
      lastChecked: 'Checked 5 min ago',
      lastNewPost: 'Last new post 3 days ago',
      nextCheck: 'Next check in 25 min',
      requests: '12 requests in the last 7 days, 10 answered 304 (not modified)',
    });
  });

  it('describes a blog just added', () => {
    const feed = aFeed({ lastCheckedAt: 0, lastNewPostAt: 0, nextPollAt: NOW });

    expect(describeHealth(feed, NOW)).toEqual({
      lastChecked: 'Not checked yet',
      lastNewPost: 'No new post yet',
      nextCheck: 'Next check: due now',
      requests: 'No requests in the last 7 days',
    });
  });

  it('dates the last new post by the blog’s own dates, not by when Dispatch first saw it', () => {
    const feed = aFeed({ lastNewPostAt: NOW - HOUR, recentPostDates: [NOW - 40 * DAY] });

    expect(describeHealth(feed, NOW).lastNewPost).toBe('Last new post 40 days ago');
  });

  it('falls back to when a poll found a new post for a feed without dates', () => {
    expect(describeHealth(aFeed({ lastNewPostAt: NOW - 2 * HOUR }), NOW).lastNewPost).toBe(
      'Last new post 2 h ago',
    );
  });

  it.each([
    [NOW - 1, 'Next check: due now'],
    [NOW + 3 * HOUR, 'Next check in 3 h'],
    [NOW + 30 * 1000, 'Next check in 1 min'],
    [NOW + 2 * DAY, 'Next check in 2 days'],
  ])('says when the next check is (due at %d)', (nextPollAt, expected) => {
    expect(describeHealth(aFeed({ nextPollAt }), NOW).nextCheck).toBe(expected);
  });

  it.each([
    [[{ day: TODAY, requests: 1, notModified: 0 }], '1 request in the last 7 days'],
    [
      [{ day: TODAY, requests: 1, notModified: 1 }],
      '1 request in the last 7 days, 1 answered 304 (not modified)',
    ],
    [[{ day: TODAY, requests: 3, notModified: 0 }], '3 requests in the last 7 days'],
    [[{ day: TODAY - 7, requests: 9, notModified: 9 }], 'No requests in the last 7 days'],
    [
      [
        { day: TODAY, requests: 2, notModified: 1 },
        { day: TODAY - 6, requests: 5, notModified: 1 },
        { day: TODAY - 7, requests: 100, notModified: 0 },
      ],
      '7 requests in the last 7 days, 2 answered 304 (not modified)',
    ],
    [undefined, 'No requests in the last 7 days'],
  ])('counts the requests of today and the 6 days before (%j)', (requestDays, expected) => {
    expect(describeHealth(aFeed({ requestDays }), NOW).requests).toBe(expected);
  });

  describe('the problem line', () => {
    it('says since when, how many checks failed, what happened and why', () => {
      const feed = aFeed(
        failing(NOW - 30 * HOUR, 4, 'rate-limited', 'The server answered 503 Service Unavailable'),
      );

      expect(describeHealth(feed, NOW).problem).toBe(
        'Failing since yesterday (4 failed checks): The server answered 503 Service Unavailable; the server is busy or limiting requests, so Dispatch asks less often',
      );
    });

    it.each([
      [
        'http',
        'The server answered 500 Internal Server Error',
        'The server answered 500 Internal Server Error; a problem on the blog’s server',
      ],
      [
        'http',
        'The server answered 404 Not Found',
        'The server answered 404 Not Found; the feed is no longer at this address',
      ],
      [
        'http',
        'The server answered 403 Forbidden',
        'The server answered 403 Forbidden; the blog does not let Dispatch read its feed',
      ],
      ['http', 'The server answered 418 I’m a teapot', 'The server answered 418 I’m a teapot'],
      [
        'timeout',
        'No answer within 25 s',
        'No answer within 25 s; the server may be down or overloaded',
      ],
      [
        'network',
        'Could not reach the server (ENOTFOUND)',
        'Could not reach the server (ENOTFOUND); the site may be down, or this computer offline',
      ],
      [
        'too-large',
        'The feed is larger than 5 MiB',
        'The feed is larger than 5 MiB; Dispatch does not read feeds that large',
      ],
      [
        'not-a-feed',
        'The address returned a web page, not a feed',
        'The address returned a web page, not a feed; the blog may have moved its feed; add it again from its site',
      ],
      [
        'invalid-json',
        'The feed is not valid JSON.',
        'The feed is not valid JSON; the blog’s feed is broken',
      ],
      [
        'redirect-loop',
        'The address redirects in a loop or too many times (20 hops)',
        'The address redirects in a loop or too many times (20 hops)',
      ],
      [
        'no-access',
        'Dispatch has no access to edge.example. Use “Check now” to allow it.',
        'Dispatch has no access to edge.example. Use “Check now” to allow it.',
      ],
      [
        'storage-full',
        'Storage is full: Dispatch could not save the new posts.',
        'Storage is full: Dispatch could not save the new posts.',
      ],
      ['constructor', 'Something odd', 'Something odd'],
    ])('words a %s problem with its cause when the message lacks it', (code, message, expected) => {
      const feed = aFeed(failing(NOW - 2 * HOUR, 1, code, message));

      expect(describeHealth(feed, NOW).problem).toBe(
        `Failing for 2 h (1 failed check): ${expected}`,
      );
    });

    it('counts a long run of failures in days', () => {
      const feed = aFeed(failing(NOW - 5 * DAY, 9, 'timeout', 'No answer within 25 s'));

      expect(describeHealth(feed, NOW).problem).toMatch(
        /^Failing for 5 days \(9 failed checks\): /,
      );
    });

    it('says a gone feed is gone and no longer checked', () => {
      const message = 'The blog says this feed is gone (HTTP 410). Check it again to resume.';
      const feed = aFeed({
        status: 'gone',
        ...failing(NOW - 3 * DAY, 1, 'gone', message),
        lastError: { code: 'gone', message, at: NOW - 3 * DAY },
      });

      const health = describeHealth(feed, NOW);

      expect(health.nextCheck).toBe('Not checked any more: the feed is gone');
      expect(health.problem).toBe(`Gone for 3 days: ${message}`);
    });

    it('shows a host hold as it is, without calling it a failure', () => {
      const message = 'edge.example asked Dispatch to wait (HTTP 429); next request in 2 h';
      const feed = aFeed({ lastError: { code: 'host-held', message, at: NOW - MINUTE } });

      expect(describeHealth(feed, NOW).problem).toBe(message);
    });

    it('has none while the blog is fine', () => {
      expect(describeHealth(aFeed(), NOW).problem).toBeUndefined();
    });
  });

  describe('the quiet line', () => {
    it('says how long a blog has been quiet against its own rhythm', () => {
      const dates = Array.from({ length: 10 }, (_, index) => NOW - 21 * DAY - index * 5 * DAY);

      expect(describeHealth(aFeed({ recentPostDates: dates }), NOW).quiet).toBe(
        'Quiet for 3 weeks; usually posts every 5 days',
      );
    });

    it.each([
      [
        'a daily blog quiet for 2 weeks',
        14 * DAY,
        DAY,
        'Quiet for 2 weeks; usually posts every day',
      ],
      [
        'a weekly blog quiet for 5 months',
        150 * DAY,
        7 * DAY,
        'Quiet for 5 months; usually posts every week',
      ],
      [
        'an hourly blog quiet for 2 years',
        730 * DAY,
        HOUR,
        'Quiet for 2 years; usually posts every hour',
      ],
      [
        'a fortnightly blog quiet for 2 months',
        61 * DAY,
        14 * DAY,
        'Quiet for 2 months; usually posts every 2 weeks',
      ],
    ])('words %s', (_, silence, gap, expected) => {
      const dates = Array.from({ length: 10 }, (__, index) => NOW - silence - index * gap);

      expect(describeHealth(aFeed({ recentPostDates: dates }), NOW).quiet).toBe(expected);
    });

    it('says nothing while a listing page drifts: nothing new is stored then', () => {
      const dates = Array.from({ length: 8 }, (_, index) => NOW - (30 + index * 5) * DAY);

      expect(describeHealth(aFeed({ recentPostDates: dates }), NOW).quiet).toBeDefined();
      expect(
        describeHealth(aFeed({ recentPostDates: dates, ...drifting(HOUR) }), NOW).quiet,
      ).toBeUndefined();
    });

    it('says nothing of a blog posting on its rhythm, nor of one with too few posts', () => {
      const regular = Array.from({ length: 10 }, (_, index) => NOW - 2 * DAY - index * 5 * DAY);

      expect(describeHealth(aFeed({ recentPostDates: regular }), NOW).quiet).toBeUndefined();
      expect(
        describeHealth(aFeed({ recentPostDates: [NOW - 300 * DAY] }), NOW).quiet,
      ).toBeUndefined();
    });
  });
});

describe('popupAlert', () => {
  it('says nothing while every blog is fine, or failing for less than a day', () => {
    const brief = aFeed(failing(NOW - 23 * HOUR, 3, 'timeout', 'No answer within 25 s'));

    expect(popupAlert([], NOW)).toBe('');
    expect(popupAlert([aFeed(), brief], NOW)).toBe('');
  });

  it('names the one blog failing for a day or more', () => {
    const feed = aFeed(failing(NOW - 30 * HOUR, 5, 'timeout', 'No answer within 25 s'));

    expect(popupAlert([aFeed({ id: 2 }), feed], NOW)).toBe(
      'Edge Notes has been failing since yesterday',
    );
    expect(popupAlert([{ ...feed, failingSince: NOW - 4 * DAY }], NOW)).toBe(
      'Edge Notes has been failing for 4 days',
    );
  });

  it('names the one blog that is gone', () => {
    expect(popupAlert([aFeed({ status: 'gone' })], NOW)).toBe('Edge Notes is gone (HTTP 410)');
  });

  it('names an untitled blog by its host', () => {
    expect(popupAlert([aFeed({ title: ' ', status: 'gone' })], NOW)).toBe(
      'edge.example is gone (HTTP 410)',
    );
  });

  it('names a blog whose listing page changed its layout at once, not after a day', () => {
    expect(popupAlert([aFeed({ id: 2 }), aFeed(drifting(MINUTE))], NOW)).toBe(
      'Edge Notes: the page layout changed — re-learn?',
    );
  });

  it('says nothing of a listing blog whose page still fits', () => {
    const { listing } = drifting(0);
    const fine = aFeed({ listing: { extractor: listing!.extractor, lastCount: 9 } });

    expect(popupAlert([fine], NOW)).toBe('');
  });

  it('counts a drifting blog with the others', () => {
    const feeds = [
      aFeed({ id: 1, ...drifting(MINUTE) }),
      aFeed({ id: 2, ...failing(NOW - 2 * DAY, 5, 'http', 'The server answered 500') }),
    ];

    expect(popupAlert(feeds, NOW)).toBe('2 blogs need attention');
  });

  it('counts several', () => {
    const feeds = [
      aFeed({ id: 1, status: 'gone' }),
      aFeed({ id: 2, ...failing(NOW - 2 * DAY, 5, 'http', 'The server answered 500') }),
      aFeed({ id: 3, ...failing(NOW - DAY, 5, 'network', 'Could not reach the server') }),
      aFeed({ id: 4, ...failing(NOW - HOUR, 1, 'network', 'Could not reach the server') }),
    ];

    expect(popupAlert(feeds, NOW)).toBe('3 blogs need attention');
  });
});

describe('needsAttention', () => {
  it('flags a blog at exactly a day of failing, not a minute before', () => {
    expect(needsAttention(aFeed({ failingSince: NOW - DAY }), NOW)).toBe(true);
    expect(needsAttention(aFeed({ failingSince: NOW - DAY + MINUTE }), NOW)).toBe(false);
  });

  it('flags a listing blog the moment its layout changed', () => {
    expect(needsAttention(aFeed(drifting(0)), NOW)).toBe(true);
  });
});

describe('formatSpan', () => {
  it.each([
    [10 * 1000, '1 min'],
    [25 * MINUTE, '25 min'],
    [3 * HOUR, '3 h'],
    [DAY, '1 day'],
    [13 * DAY, '13 days'],
    [21 * DAY, '3 weeks'],
    [120 * DAY, '4 months'],
    [800 * DAY, '2 years'],
  ])('words %d ms as %s', (ms, expected) => {
    expect(formatSpan(ms)).toBe(expected);
  });
});
