import { describe, expect, it } from 'vitest';
import type { Post } from '@/utils/db/types';
import {
  describeNotification,
  isAnnounced,
  isQuietTime,
  MESSAGE_MAX_CHARS,
  triageNotices,
  type NewPostNotice,
  type NotifyPolicy,
} from '@/utils/notify-policy';
import type { CategoryModes, QuietHours } from '@/utils/settings';

let nextId = 0;

/** A stored post of blog 1 ("Edge Notes"), published a minute after the one before. */
function notice(overrides: Partial<Post> = {}, feedTitle = 'Edge Notes'): NewPostNotice {
  nextId += 1;
  const post: Post = {
    id: nextId,
    feedId: 1,
    guid: `g${nextId}`,
    title: `Post ${nextId}`,
    categories: ['Transformer'],
    publishedAt: nextId * 60_000,
    firstSeenAt: 0,
    words: 460,
    minutes: 2,
    minutesFromSummary: false,
    readAt: 0,
    sectionKeys: [],
    terms: [],
    ...overrides,
  };
  return { post, feedTitle };
}

function policy(overrides: Partial<NotifyPolicy> = {}): NotifyPolicy {
  return {
    enabled: true,
    modes: {},
    quietHours: { enabled: false, start: '22:00', end: '07:00' },
    silentFeeds: new Set(),
    ...overrides,
  };
}

/** A local time today. */
const at = (hours: number, minutes = 0) => new Date(2026, 2, 20, hours, minutes);

const quiet = (start: string, end: string): QuietHours => ({ enabled: true, start, end });

describe('isQuietTime', () => {
  it.each([
    ['22:00', '07:00', at(23, 30), true],
    ['22:00', '07:00', at(2), true],
    ['22:00', '07:00', at(22), true],
    ['22:00', '07:00', at(7), false],
    ['22:00', '07:00', at(12), false],
    ['13:00', '14:30', at(14, 29), true],
    ['13:00', '14:30', at(14, 30), false],
    ['13:00', '14:30', at(12, 59), false],
    ['09:00', '09:00', at(9), false],
    ['09:00', '09:00', at(3), false],
  ])('from %s to %s, %s is quiet: %s', (start, end, now, expected) => {
    expect(isQuietTime(quiet(start, end), now)).toBe(expected);
  });

  it('is never quiet when quiet hours are off', () => {
    expect(isQuietTime({ enabled: false, start: '00:00', end: '23:59' }, at(12))).toBe(false);
  });
});

describe('isAnnounced', () => {
  const modes: CategoryModes = {
    'state space model': 'notify',
    transformer: 'list',
    'crypto news': 'mute',
  };

  it.each([
    [['State Space Model'], true],
    [['Transformer'], false],
    [['Crypto News'], false],
    [['Transformer', 'Crypto News'], false],
    [['Transformer', 'state space MODEL'], true],
    [['Robotics'], true],
    [[], true],
  ])('announces a post in %j: %s', (categories, expected) => {
    expect(isAnnounced(notice({ categories }), policy({ modes }))).toBe(expected);
  });

  it('announces nothing when notifications are off, nor from a blog whose are off', () => {
    expect(isAnnounced(notice(), policy({ enabled: false }))).toBe(false);
    expect(isAnnounced(notice({ feedId: 7 }), policy({ silentFeeds: new Set([7]) }))).toBe(false);
    expect(isAnnounced(notice({ feedId: 8 }), policy({ silentFeeds: new Set([7]) }))).toBe(true);
  });
});

describe('triageNotices', () => {
  const notices = [
    notice({ categories: ['State Space Model'] }),
    notice({ categories: ['Transformer'] }),
    notice({ categories: ['Muted'] }),
  ];
  const modes: CategoryModes = { transformer: 'list', muted: 'mute' };

  it('announces the notifying posts now outside quiet hours, and drops the others', () => {
    expect(triageNotices(notices, policy({ modes }), at(12))).toEqual({
      now: [notices[0]],
      deferred: [],
    });
  });

  it('defers them to the digest in quiet hours', () => {
    const quietNight = policy({ modes, quietHours: quiet('22:00', '07:00') });
    expect(triageNotices(notices, quietNight, at(23))).toEqual({
      now: [],
      deferred: [notices[0]],
    });
  });

  it('neither shows nor defers anything when notifications are off', () => {
    expect(
      triageNotices(
        notices,
        policy({ enabled: false, quietHours: quiet('22:00', '07:00') }),
        at(23),
      ),
    ).toEqual({ now: [], deferred: [] });
  });
});

describe('describeNotification', () => {
  it('counts the posts and their minutes, and lists the titles by category, newest first', () => {
    const clip = notice({ title: 'CLIP', minutes: 3 });
    const rwkv = notice({ title: 'RWKV', categories: ['State Space Model'], minutes: 2 });
    const xlstm = notice({ title: 'xLSTM', categories: ['State Space Model'], minutes: 4 });

    expect(describeNotification([clip, rwkv, xlstm], {})).toEqual({
      title: '3 new posts · 9 min',
      message: 'State Space Model: xLSTM, RWKV; Transformer: CLIP',
    });
  });

  it('says "1 new post", and puts a digest\'s words before the count', () => {
    expect(describeNotification([notice({ title: 'CLIP', minutes: 1 })], {})).toEqual({
      title: '1 new post · 1 min',
      message: 'Transformer: CLIP',
    });
    expect(describeNotification([notice()], {}, 'While quiet: ').title).toBe(
      'While quiet: 1 new post · 2 min',
    );
  });

  it('names each blog when the posts come from several', () => {
    const edge = notice({ title: 'xLSTM', categories: ['State Space Model'] });
    const other = notice({ feedId: 2, title: 'Diffusion at scale', categories: ['Vision'] }, 'Lab');
    const edgeAgain = notice({ title: 'CLIP' });

    expect(describeNotification([edge, other, edgeAgain], {}).message).toBe(
      'Edge Notes — Transformer: CLIP; State Space Model: xLSTM\nLab — Vision: Diffusion at scale',
    );
  });

  it('files a post in several categories under the first that notifies', () => {
    const post = notice({ title: 'Hybrid', categories: ['Transformer', 'State Space Model'] });
    expect(describeNotification([post], { transformer: 'list' }).message).toBe(
      'State Space Model: Hybrid',
    );
  });

  it('names three titles of a category and counts the rest', () => {
    const posts = Array.from({ length: 5 }, (_, index) => notice({ title: `T${index + 1}` }));
    expect(describeNotification(posts, {}).message).toBe('Transformer: T5, T4, T3 +2 more');
  });

  it('shortens long titles and stays within the length Chrome shows, counting what is left out', () => {
    const long = 'A rather long title about state space models and their many variants';
    const posts = Array.from({ length: 40 }, (_, index) =>
      notice({ title: `${long} ${index}`, categories: [`Category ${index % 20}`] }),
    );

    const { title, message } = describeNotification(posts, {});

    expect(title).toBe('40 new posts · 80 min');
    expect(message.length).toBeLessThanOrEqual(MESSAGE_MAX_CHARS + 12);
    expect(message).toMatch(/…/);
    expect(message).toMatch(/; \+\d+ more$/);
    const named = message.split('; ').filter((group) => group.includes(':')).length;
    const left = Number(/\+(\d+) more$/.exec(message)?.[1]);
    expect(named * 2 + left).toBe(40);
  });

  it('never cuts a title in the middle of an emoji', () => {
    const title = `${'x'.repeat(46)}👩‍👩‍👧 family`;
    const { message } = describeNotification([notice({ title })], {});
    expect(message).toBe(`Transformer: ${'x'.repeat(46)}…`);
  });
});
