import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { describeRestore, parseBackup, restoreBackup, type ParsedBackup } from '@/utils/backup';
import type { DispatchDb } from '@/utils/db/db';
import { listFeeds } from '@/utils/db/feeds';
import { readSettings } from '@/utils/settings';
import { freshDb } from '../helpers/db';

const NOW = Date.UTC(2026, 10, 29, 12);
const DAY = 24 * 60 * 60 * 1000;

/** A valid backup file of one blog and one post, as JSON data to damage. */
const valid = (): Record<string, any> => ({
  format: 'dispatch-backup',
  version: 1,
  exportedAt: '2026-11-29T12:00:00.000Z',
  app: 'Dispatch',
  feeds: [{ url: 'https://a.example/feed', aliases: [], title: 'A', addedAt: 1, status: 'active' }],
  posts: [
    {
      feedUrl: 'https://a.example/feed',
      guid: 'g1',
      title: 'Hello',
      categories: [],
      publishedAt: NOW - DAY,
      firstSeenAt: NOW - DAY,
      words: 10,
      minutes: 1,
      minutesFromSummary: true,
      readAt: 0,
    },
  ],
  readingList: [],
  settings: {},
});

const parse = (file: Record<string, any>): ParsedBackup => parseBackup(JSON.stringify(file), NOW);

/** The message a file changed by `change` is refused with ('' when it is accepted). */
function refusal(change: (file: Record<string, any>) => void): string {
  const file = valid();
  change(file);
  const parsed = parse(file);
  return parsed.ok ? '' : parsed.message;
}

describe('parseBackup, of an untrusted file', () => {
  it('accepts the valid file', () => {
    expect(refusal(() => {})).toBe('');
  });

  it.each([
    [
      'a blog address with a user name and password',
      (file: Record<string, any>) => {
        file.feeds[0].url = 'https://user:secret@a.example/feed';
        file.posts[0].feedUrl = file.feeds[0].url;
      },
      'Blog 1 of this backup is damaged: its "url" holds a user name or password, which Dispatch does not store.',
    ],
    [
      'an old address with a password',
      (file: Record<string, any>) => (file.feeds[0].aliases = ['http://:pw@a.example/feed']),
      'Blog 1 of this backup is damaged: its "aliases" hold a user name or password, which Dispatch does not store.',
    ],
    [
      'a site address with a user name',
      (file: Record<string, any>) => (file.feeds[0].siteUrl = 'https://me@a.example/'),
      'Blog 1 of this backup is damaged: its "siteUrl" holds a user name or password, which Dispatch does not store.',
    ],
    [
      'a blog address without a scheme',
      (file: Record<string, any>) => {
        file.feeds[0].url = 'a.example/feed';
        file.posts[0].feedUrl = file.feeds[0].url;
      },
      'Blog 1 of this backup is damaged: its "url" is not a web (http or https) address.',
    ],
    [
      'a post published years ahead',
      (file: Record<string, any>) => (file.posts[0].publishedAt = NOW + 3650 * DAY),
      'Post 1 of this backup is damaged: its "publishedAt" is not a plausible date.',
    ],
    [
      'a post published at 0',
      (file: Record<string, any>) => (file.posts[0].publishedAt = 0),
      'Post 1 of this backup is damaged: its "publishedAt" is not a plausible date.',
    ],
    [
      'a post first seen in the future',
      (file: Record<string, any>) => (file.posts[0].firstSeenAt = NOW + 2 * DAY),
      'Post 1 of this backup is damaged: its "firstSeenAt" is not a plausible date.',
    ],
    [
      'a post updated in the future',
      (file: Record<string, any>) => (file.posts[0].updatedAt = NOW + 2 * DAY),
      'Post 1 of this backup is damaged: its "updatedAt" is not a plausible date.',
    ],
    [
      'a post read in the future',
      (file: Record<string, any>) => (file.posts[0].readAt = NOW + 2 * DAY),
      'Post 1 of this backup is damaged: its "readAt" is not a plausible date.',
    ],
    [
      'a reading time of 0 minutes',
      (file: Record<string, any>) => (file.posts[0].minutes = 0),
      'Post 1 of this backup is damaged: its "minutes" is not a valid number.',
    ],
    [
      'a reading time of part of a minute',
      (file: Record<string, any>) => (file.posts[0].minutes = 2.5),
      'Post 1 of this backup is damaged: its "minutes" is not a valid number.',
    ],
    [
      'a reading time of a year',
      (file: Record<string, any>) => (file.posts[0].minutes = 525_600),
      'Post 1 of this backup is damaged: its "minutes" is not a valid number.',
    ],
    [
      'a negative word count',
      (file: Record<string, any>) => (file.posts[0].words = -1),
      'Post 1 of this backup is damaged: its "words" is not a valid number.',
    ],
    [
      'a fractional word count',
      (file: Record<string, any>) => (file.posts[0].words = 1.5),
      'Post 1 of this backup is damaged: its "words" is not a valid number.',
    ],
  ])('refuses %s, saying which field', (_kind, change, message) => {
    expect(refusal(change)).toBe(message);
  });

  it.each([
    ['unread (readAt 0)', (file: Record<string, any>) => (file.posts[0].readAt = 0)],
    ['read just now', (file: Record<string, any>) => (file.posts[0].readAt = NOW)],
    [
      'dated a few hours ahead (a feed clock running fast)',
      (file: Record<string, any>) => (file.posts[0].publishedAt = NOW + 3 * 60 * 60 * 1000),
    ],
    ['updated once', (file: Record<string, any>) => (file.posts[0].updatedAt = NOW - 60_000)],
    ['of 10,000 minutes', (file: Record<string, any>) => (file.posts[0].minutes = 10_000)],
    ['of no words', (file: Record<string, any>) => (file.posts[0].words = 0)],
  ])('accepts a post %s', (_kind, change) => {
    expect(refusal(change)).toBe('');
  });
});

describe('a backup with keys such as __proto__ and constructor', () => {
  let db: DispatchDb;

  beforeEach(() => {
    fakeBrowser.reset();
    db = freshDb();
  });

  const hostile = () =>
    JSON.stringify(valid()).replace(
      '"settings":{}',
      '"settings":{"__proto__":{"badgeMode":"off","polluted":true},"constructor":{"x":1},"categoryModes":{"constructor":"mute","ai":"list"}}',
    );

  it('keeps only the settings Dispatch knows, and pollutes nothing', () => {
    const parsed = parseBackup(hostile(), NOW);

    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(Object.keys(parsed.backup.settings)).toEqual(['categoryModes']);
    expect(Object.getPrototypeOf(parsed.backup.settings)).toBe(Object.prototype);
    expect((parsed.backup.settings as Record<string, unknown>).badgeMode).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect({}.constructor).toBe(Object);
  });

  it('restores the category modes as written, and no setting hidden in __proto__', async () => {
    const parsed = parseBackup(hostile(), NOW);
    if (!parsed.ok) throw new Error(parsed.message);

    const summary = await restoreBackup(db, parsed.backup, NOW);

    expect(summary.message).toBe('Restored 1 blog, 1 post and your settings.');
    const settings = await readSettings();
    expect(settings.badgeMode).toBe('posts');
    expect(settings.categoryModes).toEqual({ constructor: 'mute', ai: 'list' });
    expect(Object.hasOwn(settings.categoryModes, 'constructor')).toBe(true);
    expect((await listFeeds(db)).map((feed) => feed.url)).toEqual(['https://a.example/feed']);
    expect({}.constructor).toBe(Object);
  });
});

describe('describeRestore', () => {
  it('counts in words, one or many', () => {
    expect(
      describeRestore({ feeds: 1, posts: 2, readingList: 1, markedRead: 1 }, 0, ['badgeMode']),
    ).toBe(
      "Restored 1 blog, 2 posts and 1 reading-list item. 1 post read in the backup is now marked read here. Not restored, as the file's values are not valid: badgeMode.",
    );
  });
});
