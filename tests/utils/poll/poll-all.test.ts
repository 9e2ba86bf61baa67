import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DispatchDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import type { Feed } from '@/utils/db/types';
import { POLL_CONCURRENCY, pollDueFeeds, type PollCycleOptions } from '@/utils/poll/poll-all';
import { categoryModes, notificationsEnabled } from '@/utils/settings';
import { rss, someItems, type FeedServer } from '../../helpers/feeds';
import { clock, INTERVAL, MINUTE, T0, testPollDeps, useFeedTestBed } from '../../helpers/poll';

let db: DispatchDb;
let server: FeedServer;

useFeedTestBed((bed) => ({ db, server } = bed));

// Notifications are off until the user turns them on; these tests are about what they show.
beforeEach(() => notificationsEnabled.setValue(true));

function options(extra: Partial<PollCycleOptions> = {}): PollCycleOptions {
  return { ...testPollDeps(db), ...extra };
}

async function follow(path: string, title: string): Promise<Feed> {
  return addFeed(db, { url: `${server.baseUrl}${path}`, title }, T0);
}

async function notifications() {
  return Object.values(await fakeBrowser.notifications.getAll()) as {
    title: string;
    message: string;
  }[];
}

/** Lets every feed come due again, as the alarm ticks would. */
function later(): void {
  clock.now += INTERVAL + MINUTE;
}

describe('pollDueFeeds', () => {
  it("announces nothing on feeds' first poll, then one notification for the whole cycle", async () => {
    server.route('/a.xml', { body: rss({ items: someItems(2) }) });
    server.route('/b.xml', { body: rss({ title: 'Other', items: someItems(1) }) });
    await follow('/a.xml', 'Edge Notes');
    await follow('/b.xml', 'Other Blog');

    expect(await pollDueFeeds(options())).toEqual({ checked: 2, newPosts: 3, failed: 0 });
    expect(await notifications()).toEqual([]);

    server.route('/a.xml', { body: rss({ items: someItems(4) }) });
    server.route('/b.xml', { body: rss({ items: someItems(2) }) });
    later();
    expect(await pollDueFeeds(options())).toEqual({ checked: 2, newPosts: 3, failed: 0 });

    const shown = await notifications();
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      type: 'basic',
      title: '3 new posts · 3 min',
      message: 'Edge Notes — Transformer: Post 4, Post 3\nOther Blog — Transformer: Post 2',
      iconUrl: fakeBrowser.runtime.getURL('/icon/128.png'),
    });
  });

  it('lists the posts by category without naming the blog when all come from one', async () => {
    server.route('/a.xml', { body: rss({ items: someItems(1) }) });
    await follow('/a.xml', 'Edge Notes');
    await pollDueFeeds(options());
    server.route('/a.xml', { body: rss({ items: someItems(3) }) });
    later();

    await pollDueFeeds(options());

    expect(await notifications()).toMatchObject([
      { title: '2 new posts · 2 min', message: 'Transformer: Post 3, Post 2' },
    ]);
  });

  it('updates the badge once the cycle has stored the posts', async () => {
    server.route('/a.xml', { body: rss({ items: someItems(5) }) });
    await follow('/a.xml', 'Edge Notes');

    await pollDueFeeds(options());

    expect(await fakeBrowser.action.getBadgeText({})).toBe('5');
  });

  it('polls only the feeds that are due unless forced', async () => {
    server.route('/a.xml', { body: rss({ items: someItems(1) }) });
    server.route('/b.xml', { body: rss({ items: someItems(1) }) });
    await follow('/a.xml', 'A');
    const b = await follow('/b.xml', 'B');
    await db.feeds.update(b.id, { nextPollAt: T0 + 10 * INTERVAL });

    expect(await pollDueFeeds(options())).toMatchObject({ checked: 1 });
    expect(server.requestsTo('/b.xml')).toHaveLength(0);

    expect(await pollDueFeeds(options({ force: true }))).toMatchObject({ checked: 2 });
    expect(await pollDueFeeds(options({ feedId: b.id }))).toMatchObject({ checked: 1 });
    expect(server.requestsTo('/b.xml')).toHaveLength(2);
  });

  it('counts failed feeds and keeps polling the others', async () => {
    server.route('/a.xml', { body: rss({ items: someItems(2) }) });
    server.route('/b.xml', { status: 500, body: '' });
    await follow('/a.xml', 'A');
    await follow('/b.xml', 'B');

    expect(await pollDueFeeds(options())).toEqual({ checked: 2, newPosts: 2, failed: 1 });
  });

  it('never runs two cycles at once: the second sees the feeds already polled', async () => {
    server.route('/a.xml', { body: rss({ items: someItems(2) }) });
    server.route('/b.xml', { body: rss({ items: someItems(2) }) });
    await follow('/a.xml', 'A');
    await follow('/b.xml', 'B');

    const [first, second] = await Promise.all([pollDueFeeds(options()), pollDueFeeds(options())]);

    expect(first.checked).toBe(2);
    expect(second.checked).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  it(`polls at most ${POLL_CONCURRENCY} feeds at once, and one at a time per host`, async () => {
    const hosts = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const host of hosts) {
      for (const path of ['/one.xml', '/two.xml']) {
        await addFeed(db, { url: `https://${host}.example${path}`, title: host }, T0);
      }
    }
    const inFlight = new Map<string, number>();
    let total = 0;
    let mostAtOnce = 0;
    let mostOnOneHost = 0;
    const slowWeb: typeof fetch = async (input) => {
      const host = new URL(String(input)).hostname;
      inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
      total += 1;
      mostAtOnce = Math.max(mostAtOnce, total);
      mostOnOneHost = Math.max(mostOnOneHost, inFlight.get(host)!);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight.set(host, inFlight.get(host)! - 1);
      total -= 1;
      return new Response(rss({ items: someItems(1) }), {
        headers: { 'content-type': 'application/rss+xml' },
      });
    };

    const summary = await pollDueFeeds(options({ fetch: slowWeb }));

    expect(summary).toEqual({ checked: 12, newPosts: 12, failed: 0 });
    expect(mostAtOnce).toBe(POLL_CONCURRENCY);
    expect(mostOnOneHost).toBe(1);
  });

  it('leaves the badge alone after a cycle that added nothing', async () => {
    server.route('/a.xml', { body: rss({ items: someItems(1) }) });
    await follow('/a.xml', 'A');
    await pollDueFeeds(options());
    await fakeBrowser.action.setBadgeText({ text: 'kept' });
    later();

    expect(await pollDueFeeds(options())).toMatchObject({ checked: 1, newPosts: 0 });

    expect(await fakeBrowser.action.getBadgeText({})).toBe('kept');
  });

  it('shows no notification when the user turned them off', async () => {
    await notificationsEnabled.setValue(false);
    server.route('/a.xml', { body: rss({ items: someItems(1) }) });
    await follow('/a.xml', 'A');
    await pollDueFeeds(options());
    server.route('/a.xml', { body: rss({ items: someItems(2) }) });
    later();

    expect(await pollDueFeeds(options())).toMatchObject({ newPosts: 1 });
    expect(await notifications()).toEqual([]);
  });

  it('announces only the posts of notifying categories, and counts only unmuted ones', async () => {
    server.route('/a.xml', { body: rss({ items: someItems(1) }) });
    await follow('/a.xml', 'Edge Notes');
    await pollDueFeeds(options());
    await categoryModes.setValue({ transformer: 'mute', 'state space model': 'list' });
    const items = [
      { ...someItems(1, 4)[0]!, categories: ['State Space Model'] },
      { ...someItems(1, 3)[0]!, categories: ['Transformer'] },
      { ...someItems(1, 2)[0]!, categories: ['Robotics'] },
      ...someItems(1),
    ];
    server.route('/a.xml', { body: rss({ items }) });
    later();

    expect(await pollDueFeeds(options())).toMatchObject({ newPosts: 3 });

    expect(await notifications()).toMatchObject([
      { title: '1 new post · 1 min', message: 'Robotics: Post 2' },
    ]);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('2');
  });
});
