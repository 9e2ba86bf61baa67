import { describe, expect, it } from 'vitest';
import { MAX_POLL_DELAY_MS, nextPollDelay } from '@/utils/http/backoff';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `random` values giving the lowest, middle and (almost) highest jitter. */
const LOW = () => 0;
const MID = () => 0.5;
const HIGH = () => 0.999_999;

describe('nextPollDelay', () => {
  describe('after a success', () => {
    it.each([
      { input: {}, expected: HOUR },
      { input: { maxAgeMs: 10 * MINUTE }, expected: HOUR },
      { input: { maxAgeMs: 3 * HOUR }, expected: 3 * HOUR },
      { input: { retryAfterMs: 2 * HOUR }, expected: 2 * HOUR },
      { input: { maxAgeMs: 365 * DAY }, expected: DAY },
    ])('waits $expected ms given $input and an hourly interval', ({ input, expected }) => {
      expect(nextPollDelay({ failures: 0, baseIntervalMs: HOUR, random: HIGH, ...input })).toBe(
        expected,
      );
    });

    it('keeps an interval longer than a day', () => {
      expect(nextPollDelay({ failures: 0, baseIntervalMs: 2 * DAY })).toBe(2 * DAY);
    });
  });

  describe('after failures', () => {
    it.each([
      { failures: 1, expected: HOUR },
      { failures: 2, expected: 2 * HOUR },
      { failures: 3, expected: 4 * HOUR },
      { failures: 4, expected: 8 * HOUR },
      { failures: 5, expected: 16 * HOUR },
      { failures: 6, expected: DAY },
      { failures: 1000, expected: DAY },
    ])('doubles per consecutive failure: $failures → $expected ms', ({ failures, expected }) => {
      expect(nextPollDelay({ failures, baseIntervalMs: HOUR, random: MID })).toBe(expected);
    });

    it.each([
      { random: LOW, expected: 0.8 * 4 * HOUR },
      { random: MID, expected: 4 * HOUR },
      { random: HIGH, expected: Math.round(4 * HOUR * (0.8 + 0.4 * 0.999_999)) },
    ])('jitters by ±20 %', ({ random, expected }) => {
      expect(nextPollDelay({ failures: 3, baseIntervalMs: HOUR, random })).toBe(expected);
    });

    it('never exceeds the cap, even with the highest jitter', () => {
      expect(nextPollDelay({ failures: 30, baseIntervalMs: HOUR, random: HIGH })).toBe(
        MAX_POLL_DELAY_MS,
      );
    });

    it('spreads delays at the cap below it', () => {
      expect(nextPollDelay({ failures: 30, baseIntervalMs: HOUR, random: LOW })).toBe(0.8 * DAY);
    });

    it.each([
      { retryAfterMs: 6 * HOUR, expected: 6 * HOUR },
      { retryAfterMs: MINUTE, expected: 0.8 * HOUR },
      { retryAfterMs: 3 * DAY, expected: DAY },
    ])('treats Retry-After $retryAfterMs as a floor', ({ retryAfterMs, expected }) => {
      expect(nextPollDelay({ failures: 1, baseIntervalMs: HOUR, retryAfterMs, random: LOW })).toBe(
        expected,
      );
    });

    it('treats max-age as a floor', () => {
      expect(
        nextPollDelay({ failures: 1, baseIntervalMs: HOUR, maxAgeMs: 5 * HOUR, random: LOW }),
      ).toBe(5 * HOUR);
    });

    it('uses Math.random when no random is given', () => {
      const delay = nextPollDelay({ failures: 2, baseIntervalMs: HOUR });

      expect(delay).toBeGreaterThanOrEqual(0.8 * 2 * HOUR);
      expect(delay).toBeLessThanOrEqual(1.2 * 2 * HOUR);
    });
  });

  describe('programmer errors', () => {
    it.each([
      { failures: -1, baseIntervalMs: HOUR },
      { failures: 1.5, baseIntervalMs: HOUR },
      { failures: Number.NaN, baseIntervalMs: HOUR },
      { failures: 0, baseIntervalMs: 0 },
      { failures: 0, baseIntervalMs: Number.POSITIVE_INFINITY },
    ])('throws a RangeError for $failures failures at $baseIntervalMs ms', (input) => {
      expect(() => nextPollDelay(input)).toThrow(RangeError);
    });
  });
});
