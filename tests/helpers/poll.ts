/**
 * Set-up shared by the poll and subscribe tests: a fresh database and a loopback feed server
 * per test (with WXT's fake browser reset), a fixed clock, and the dependencies the poll
 * cycle and subscribe take in production, pinned for tests.
 */
import { afterEach, beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DispatchDb } from '@/utils/db/db';
import type { PollDeps } from '@/utils/poll/poll-feed';
import { freshDb } from './db';
import { startFeedServer, type FeedServer } from './feeds';

export const MINUTE = 60_000;

/** The regular interval between polls in these tests: the setting's default, 30 min. */
export const INTERVAL = 30 * MINUTE;

/** The tests' clock at the start of each test: 20 Mar 2026, 12:00 UTC. */
export const T0 = Date.UTC(2026, 2, 20, 12);

/** Reading speed the tests run with (the extension's default). */
export const WORDS_PER_MINUTE = 230;

/** The poll tests' clock: `clock.now` is {@link T0} when each test starts; tests move it on. */
export const clock = { now: T0 };

export interface FeedTestBed {
  /** A database of its own, closed after the test. */
  db: DispatchDb;
  /** A feed server on 127.0.0.1, closed after the test. */
  server: FeedServer;
}

/**
 * Registers the hooks that give every test of the file (or `describe`) a fresh
 * {@link FeedTestBed} and set the {@link clock} back to {@link T0}; `onReady` receives the bed
 * before each test, so a file can keep `db` and `server` in variables of its own.
 */
export function useFeedTestBed(onReady: (bed: FeedTestBed) => void): void {
  let bed: FeedTestBed | undefined;
  beforeEach(async () => {
    fakeBrowser.reset();
    clock.now = T0;
    bed = { db: freshDb(), server: await startFeedServer() };
    onReady(bed);
  });
  afterEach(async () => {
    await bed?.server.close();
    bed?.db.close();
    bed = undefined;
  });
}

/**
 * The poll dependencies with the test values: the time from `now` (default: the
 * {@link clock}), {@link INTERVAL}, {@link WORDS_PER_MINUTE} and a jitter pinned to the middle
 * (0.5), so backoff delays are exact.
 */
export function testPollDeps(
  db: DispatchDb,
  now: () => number = () => clock.now,
): Required<Omit<PollDeps, 'fetch'>> {
  return {
    db,
    now,
    baseIntervalMs: INTERVAL,
    wordsPerMinute: WORDS_PER_MINUTE,
    random: () => 0.5,
    hasOrigin: () => Promise.resolve(true),
  };
}
