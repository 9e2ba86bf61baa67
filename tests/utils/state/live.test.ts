import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DispatchDb } from '@/utils/db/db';
import { clockSignal, liveSignal, type LiveSignal } from '@/utils/state/live';
import { aFeed, freshDb } from '../../helpers/db';

describe('liveSignal', () => {
  let live: LiveSignal<unknown> | undefined;

  afterEach(() => live?.dispose());

  it('holds the initial value, then the query result, then follows writes', async () => {
    const db: DispatchDb = freshDb();
    const feeds = liveSignal(() => db.feeds.count(), -1);
    live = feeds;
    expect(feeds.value.value).toBe(-1);
    expect(feeds.loaded.value).toBe(false);

    await vi.waitFor(() => expect(feeds.value.value).toBe(0));
    expect(feeds.loaded.value).toBe(true);

    await aFeed(db);
    await vi.waitFor(() => expect(feeds.value.value).toBe(1));
  });

  it('reports a failing query instead of swallowing it', async () => {
    const reported: unknown[] = [];
    const failing = liveSignal(
      () => Promise.reject(new Error('broken')),
      'kept',
      (error) => reported.push(error),
    );
    live = failing;

    await vi.waitFor(() => expect(reported).toHaveLength(1));
    expect((reported[0] as Error).message).toBe('broken');
    expect(failing.error.value).toBe(reported[0]);
    expect(failing.value.value).toBe('kept');
  });

  it('reports a query that throws before returning a promise', async () => {
    const reported: unknown[] = [];
    live = liveSignal(
      () => {
        throw new Error('thrown at once');
      },
      0,
      (error) => reported.push(error),
    );

    await vi.waitFor(() => expect(reported).toHaveLength(1));
    expect((reported[0] as Error).message).toBe('thrown at once');
  });

  it('stops following the database once disposed', async () => {
    const db = freshDb();
    const feeds = liveSignal(() => db.feeds.count(), -1);
    await vi.waitFor(() => expect(feeds.value.value).toBe(0));

    feeds.dispose();
    await aFeed(db);
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(feeds.value.value).toBe(0);
  });
});

describe('clockSignal', () => {
  it('reads the time now, on tick and every interval', () => {
    vi.useFakeTimers();
    let time = 1000;
    const clock = clockSignal(() => time, 30_000);
    expect(clock.value.value).toBe(1000);

    time = 2000;
    clock.tick();
    expect(clock.value.value).toBe(2000);

    time = 3000;
    vi.advanceTimersByTime(30_000);
    expect(clock.value.value).toBe(3000);

    clock.dispose();
    vi.useRealTimers();
  });
});
