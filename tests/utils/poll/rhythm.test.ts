import { describe, expect, it } from 'vitest';
import {
  CHECKS_PER_GAP,
  nextInterval,
  QUIET_MIN_MS,
  quietness,
  usualGap,
} from '@/utils/poll/rhythm';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 2, 20, 12);

/** `count` post dates `gapMs` apart, the newest at `newest`, newest first. */
function every(gapMs: number, count: number, newest = NOW - HOUR): number[] {
  return Array.from({ length: count }, (_, index) => newest - index * gapMs);
}

/** A bursty blog: three posts within an afternoon every other week, for two months. */
const BURSTY = [0, 14, 28, 42, 56].flatMap((daysAgo) => {
  const day = NOW - daysAgo * DAY - 2 * DAY;
  return [day, day - HOUR, day - 3 * HOUR];
});

describe('usualGap', () => {
  it.each([
    ['no posts', []],
    ['one post', [NOW]],
    ['two posts', [NOW, NOW - DAY]],
    ['three posts at the same moment', [NOW, NOW, NOW]],
  ])('knows no rhythm from %s', (_, dates) => {
    expect(usualGap(dates)).toBeUndefined();
  });

  it.each([
    ['a daily blog', every(DAY, 10), DAY],
    ['a weekly blog', every(7 * DAY, 8), 7 * DAY],
    ['three posts a day apart', every(DAY, 3), DAY],
  ])('is the gap of %s', (_, dates, expected) => {
    expect(usualGap(dates)).toBe(expected);
  });

  it('takes the median, so one long holiday does not decide it', () => {
    const dates = [...every(2 * DAY, 6), NOW - 120 * DAY];

    expect(usualGap(dates)).toBe(2 * DAY);
  });

  it('averages the two middle gaps of an even count', () => {
    expect(usualGap([NOW, NOW - DAY, NOW - 3 * DAY, NOW - 6 * DAY, NOW - 10 * DAY])).toBe(
      2.5 * DAY,
    );
  });

  it('reads dates in any order, each once', () => {
    expect(usualGap([NOW - 2 * DAY, NOW, NOW - DAY, NOW, NOW - 3 * DAY])).toBe(DAY);
  });

  it('sees the short gaps of a bursty blog', () => {
    expect(usualGap(BURSTY)).toBeLessThan(DAY);
  });
});

describe('quietness', () => {
  it('says how long a blog that posts every 5 days has been quiet after 3 weeks', () => {
    const dates = every(5 * DAY, 10, NOW - 21 * DAY);

    expect(quietness(dates, NOW)).toEqual({ silenceMs: 21 * DAY, usualGapMs: 5 * DAY });
  });

  it('is not quiet within three of its usual gaps', () => {
    const dates = every(7 * DAY, 10, NOW - 20 * DAY);

    expect(quietness(dates, NOW)).toBeUndefined();
  });

  it('is not quiet before two weeks, however regular the blog', () => {
    const dates = every(DAY, 10, NOW - 13 * DAY);

    expect(quietness(dates, NOW)).toBeUndefined();
    expect(quietness(dates, NOW - 13 * DAY + QUIET_MIN_MS)).toBeDefined();
  });

  it('is quiet for a dead blog: two years without a post', () => {
    const dates = every(3 * DAY, 30, NOW - 730 * DAY);

    expect(quietness(dates, NOW)).toEqual({ silenceMs: 730 * DAY, usualGapMs: 3 * DAY });
  });

  it('says nothing of a new blog with one post', () => {
    expect(quietness([NOW - 60 * DAY], NOW)).toBeUndefined();
  });
});

describe('nextInterval', () => {
  const limits = { baseMs: 30 * MINUTE, maxMs: DAY, now: NOW };

  it.each([
    ['an hourly news blog stays at the base', every(HOUR, 30), 30 * MINUTE],
    ['a blog posting 3 times a day is checked every 2 h', every(8 * HOUR, 30), 2 * HOUR],
    ['a daily blog is checked every 6 h', every(DAY, 30), DAY / CHECKS_PER_GAP],
    ['a weekly blog is checked once a day (the maximum)', every(7 * DAY, 30), DAY],
    ['a dead blog is checked at the maximum', every(3 * DAY, 30, NOW - 730 * DAY), DAY],
    ['a new blog with one post stays at the base', [NOW - 400 * DAY], 30 * MINUTE],
    ['a feed without dates stays at the base', [], 30 * MINUTE],
  ])('%s', (_, dates, expected) => {
    expect(nextInterval({ ...limits, dates })).toBe(expected);
  });

  it('checks a bursty blog often during a burst, and backs off between bursts', () => {
    const burstStarted = BURSTY[2]!;
    const duringBurst = nextInterval({ ...limits, now: burstStarted + 30 * MINUTE, dates: BURSTY });
    const twoDaysLater = nextInterval({ ...limits, dates: BURSTY });

    expect(duringBurst).toBe(30 * MINUTE);
    expect(twoDaysLater).toBe(12 * HOUR);
  });

  it('backs off further while a blog is quieter than usual', () => {
    const daily = (newest: number) => every(DAY, 30, newest);

    const onTime = nextInterval({ ...limits, dates: daily(NOW - HOUR) });
    const twoDaysLate = nextInterval({ ...limits, dates: daily(NOW - 3 * DAY) });

    expect(onTime).toBe(6 * HOUR);
    expect(twoDaysLate).toBe(18 * HOUR);
  });

  it('comes back to the pace of a quiet blog as soon as it posts again', () => {
    const dates = [NOW - HOUR, ...every(DAY, 29, NOW - 20 * DAY)];

    expect(nextInterval({ ...limits, dates })).toBe(6 * HOUR);
  });

  it.each([
    ['Cache-Control: max-age', { maxAgeMs: 3 * HOUR }, 3 * HOUR],
    ['ttl or sy:updatePeriod', { publisherIntervalMs: 2 * HOUR }, 2 * HOUR],
    ['the longer of both', { maxAgeMs: 3 * HOUR, publisherIntervalMs: 5 * HOUR }, 5 * HOUR],
  ])('waits at least what %s asks', (_, hints, expected) => {
    expect(nextInterval({ ...limits, ...hints, dates: every(HOUR, 30) })).toBe(expected);
  });

  it('never goes past the user’s maximum, whatever the hints', () => {
    expect(
      nextInterval({
        ...limits,
        maxMs: 4 * HOUR,
        maxAgeMs: 2 * DAY,
        publisherIntervalMs: 7 * DAY,
        dates: every(7 * DAY, 30),
      }),
    ).toBe(4 * HOUR);
  });

  it('never goes below the base, even when a hint asks for less', () => {
    expect(
      nextInterval({
        ...limits,
        baseMs: 2 * HOUR,
        maxAgeMs: MINUTE,
        publisherIntervalMs: 10 * MINUTE,
        dates: every(MINUTE, 30),
      }),
    ).toBe(2 * HOUR);
  });

  it('keeps a base longer than the maximum (the blog’s own interval wins)', () => {
    expect(nextInterval({ ...limits, baseMs: 2 * DAY, dates: every(HOUR, 30) })).toBe(2 * DAY);
  });

  it('learns nothing when the maximum is the base', () => {
    expect(nextInterval({ ...limits, maxMs: 30 * MINUTE, dates: every(7 * DAY, 30) })).toBe(
      30 * MINUTE,
    );
  });
});
