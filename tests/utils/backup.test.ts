import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  backupFileName,
  createBackup,
  parseBackup,
  restoreBackup,
  serializeBackup,
  type Backup,
} from '@/utils/backup';
import type { DispatchDb } from '@/utils/db/db';
import { addFeed, listFeeds } from '@/utils/db/feeds';
import { markRead, savePollResult } from '@/utils/db/posts';
import {
  finishReadingItem,
  listReadingList,
  moveReadingItemTo,
  saveToReadingList,
  setReadingNote,
} from '@/utils/db/reading-list';
import { unreadTotal } from '@/utils/db/unread-counts';
import { deleteEverything } from '@/utils/db/wipe';
import { toJson } from '@/utils/export/reading-list';
import { serializeOpml } from '@/utils/opml';
import { badgeMode, pollIntervalMinutes, quietHours, readSettings } from '@/utils/settings';
import {
  aPost,
  dumpDb,
  expectCountersToAgree,
  expectIndexFieldsToAgree,
  freshDb,
  probeStorage,
} from '../helpers/db';

const NOW = Date.UTC(2026, 10, 29, 12);

let db: DispatchDb;

beforeEach(() => {
  fakeBrowser.reset();
  db = freshDb();
});

/**
 * A database as weeks of use leave it: two blogs (one moved, one with its own settings and
 * folders, both with poll state), posts read and unread, a reading list with a post, a note, a
 * move and a finished item, and changed settings.
 */
async function aUsedDatabase(target: DispatchDb) {
  const edge = await addFeed(
    target,
    { url: 'https://edge.example/feed.xml', title: 'Edge Notes', kind: 'atom' },
    100,
  );
  await target.feeds.update(edge.id, {
    aliases: ['http://old.edge.example/rss'],
    siteUrl: 'https://edge.example/',
    notify: false,
    intervalMinutes: 120,
    tags: ['Research', 'AI'],
    etag: '"v7"',
    lastModified: 'Sat, 28 Nov 2026 10:00:00 GMT',
    lastCheckedAt: 5_000,
    failures: 2,
    lastError: { code: 'http', message: 'The server answered 500.', at: 4_000 },
    requestDays: [{ day: 20_000, requests: 3, notModified: 2 }],
  });
  const quiet = await addFeed(target, { url: 'https://quiet.example/rss', title: 'Quiet' }, 200);
  const { added: edgePosts } = await savePollResult(target, edge.id, {
    posts: [
      aPost({ categories: ['Transformer', 'SSM'], content: '<p>Long body</p>' }),
      aPost({ categories: [] as string[], author: 'Ada', updatedAt: 9 }),
      aPost({ url: undefined, summary: undefined }),
    ],
    feed: {},
    now: 1_000,
  });
  const { added: quietPosts } = await savePollResult(target, quiet.id, {
    posts: [aPost({ minutes: 7, minutesFromSummary: true }), aPost()],
    feed: {},
    now: 2_000,
  });
  await markRead(target, [edgePosts[0]!.id, quietPosts[1]!.id], 3_000);
  const saved = edgePosts[1]!;
  await saveToReadingList(
    target,
    { url: saved.url!, title: saved.title, postId: saved.id, source: 'Edge Notes', minutes: 2 },
    10,
  );
  for (const n of [1, 2, 3]) {
    await saveToReadingList(target, { url: `https://page.example/${n}`, title: `Page ${n}` }, n);
  }
  await setReadingNote(target, 2, 'Chapter 2 only');
  await moveReadingItemTo(target, 4, 0);
  await finishReadingItem(target, 3, 99);
  await pollIntervalMinutes.setValue(15);
  await badgeMode.setValue('minutes');
  await quietHours.setValue({ enabled: true, start: '23:00', end: '06:30' });
  return { edge, quiet, edgePosts, quietPosts };
}

const withoutDate = ({ exportedAt: _date, ...backup }: Backup) => backup;

describe('createBackup', () => {
  it('holds the blogs, posts with their read state, the reading list and the settings', async () => {
    const { edgePosts } = await aUsedDatabase(db);

    const backup = await createBackup(db, NOW);

    expect(backup).toMatchObject({
      format: 'dispatch-backup',
      version: 1,
      exportedAt: '2026-11-29T12:00:00.000Z',
      app: 'Dispatch',
    });
    expect(backup.feeds).toEqual([
      {
        url: 'https://edge.example/feed.xml',
        aliases: ['http://old.edge.example/rss'],
        siteUrl: 'https://edge.example/',
        title: 'Edge Notes',
        kind: 'atom',
        addedAt: 100,
        status: 'active',
        notify: false,
        intervalMinutes: 120,
        tags: ['Research', 'AI'],
      },
      {
        url: 'https://quiet.example/rss',
        aliases: [],
        title: 'Quiet',
        addedAt: 200,
        status: 'active',
      },
    ]);
    expect(backup.posts).toHaveLength(5);
    expect(backup.posts[0]).toEqual({
      feedUrl: 'https://edge.example/feed.xml',
      guid: edgePosts[0]!.guid,
      url: edgePosts[0]!.url,
      title: edgePosts[0]!.title,
      summary: 'A summary.',
      categories: ['Transformer', 'SSM'],
      publishedAt: edgePosts[0]!.publishedAt,
      firstSeenAt: 1_000,
      words: 460,
      minutes: 2,
      minutesFromSummary: false,
      readAt: 3_000,
    });
    expect(backup.posts.map((post) => post.readAt)).toEqual([3_000, 0, 0, 0, 3_000]);
    expect(backup.readingList.map((item) => item.title)).toEqual([
      'Page 3',
      edgePosts[1]!.title,
      'Page 1',
      'Page 2',
    ]);
    expect(backup.readingList[1]).toMatchObject({
      post: { feedUrl: 'https://edge.example/feed.xml', guid: edgePosts[1]!.guid },
      source: 'Edge Notes',
      minutes: 2,
    });
    expect(backup.readingList[2]).toMatchObject({ title: 'Page 1', note: 'Chapter 2 only' });
    expect(backup.readingList[3]).toMatchObject({ title: 'Page 2', doneAt: 99 });
    expect(backup.settings).toEqual(await readSettings());
    expect(backup.settings).toMatchObject({ pollIntervalMinutes: 15, badgeMode: 'minutes' });
  });

  it('leaves out what the next poll rebuilds: bodies, ids, validators, errors, request counts', async () => {
    await aUsedDatabase(db);

    const text = serializeBackup(await createBackup(db, NOW));

    for (const left of [
      'Long body',
      '"v7"',
      'lastModified',
      'lastError',
      'requestDays',
      'failures',
      '"id"',
      'feedId',
      'postId',
      'sectionKeys',
      'terms',
    ]) {
      expect(text).not.toContain(left);
    }
  });

  it('names the file for the day', () => {
    expect(backupFileName(NOW)).toBe('dispatch-backup-2026-11-29.json');
  });
});

describe('parseBackup', () => {
  const valid = (): Record<string, unknown> => ({
    format: 'dispatch-backup',
    version: 1,
    exportedAt: '2026-11-29T12:00:00.000Z',
    app: 'Dispatch',
    feeds: [
      { url: 'https://a.example/feed', aliases: [], title: 'A', addedAt: 1, status: 'active' },
    ],
    posts: [
      {
        feedUrl: 'https://a.example/feed',
        guid: 'g1',
        title: 'Hello',
        categories: ['X'],
        publishedAt: 1,
        firstSeenAt: 1,
        words: 10,
        minutes: 1,
        minutesFromSummary: true,
        readAt: 0,
      },
    ],
    readingList: [
      {
        url: 'https://a.example/1',
        title: 'One',
        addedAt: 1,
        position: 1,
        doneAt: 0,
        post: { feedUrl: 'https://a.example/feed', guid: 'g1' },
      },
    ],
    settings: { badgeMode: 'posts' },
  });
  const refused = (text: string) => {
    const parsed = parseBackup(text);
    expect(parsed.ok).toBe(false);
    return parsed.ok ? '' : parsed.message;
  };
  const damaged = (change: (file: Record<string, any>) => void) => {
    const file = valid();
    change(file);
    return refused(JSON.stringify(file));
  };

  it('reads back what createBackup wrote, unchanged', async () => {
    await aUsedDatabase(db);
    const backup = await createBackup(db, NOW);

    expect(parseBackup(serializeBackup(backup))).toEqual({ ok: true, backup });
    expect(parseBackup(`\uFEFF${serializeBackup(backup)}`)).toEqual({ ok: true, backup });
  });

  it.each([
    ['an empty file', '', 'This file is empty: it is not a Dispatch backup.'],
    ['text', 'hello', 'This is not a Dispatch backup: it is not JSON.'],
    ['a web page', '<!doctype html><p>hi', 'This is not a Dispatch backup: it is not JSON.'],
    [
      'an OPML file',
      serializeOpml([], NOW),
      'This is an OPML file, not a Dispatch backup; use Import OPML.',
    ],
    [
      'a reading-list export',
      toJson([], NOW),
      'This is a reading-list export, not a full backup; use Import on the reading list.',
    ],
    [
      "another app's JSON",
      '{"version": "https://jsonfeed.org/version/1.1", "items": []}',
      'This is not a Dispatch backup: it does not say "format": "dispatch-backup".',
    ],
    ['a JSON list', '[1, 2]', 'This is not a Dispatch backup: it holds no backup object.'],
    ['JSON null', 'null', 'This is not a Dispatch backup: it holds no backup object.'],
  ])('refuses %s in words', (_kind, text, message) => {
    expect(refused(text)).toBe(message);
  });

  it('refuses a backup made by a newer Dispatch', () => {
    expect(damaged((file) => (file.version = 2))).toBe(
      'This backup was made by a newer Dispatch (backup version 2); this one reads version 1. Update Dispatch, then restore it.',
    );
  });

  it.each<[string, (file: Record<string, any>) => void, string]>([
    [
      'a version that is no number',
      (file) => (file.version = '1'),
      'This backup is damaged: its "version" is not a version number.',
    ],
    [
      'blogs that are no list',
      (file) => (file.feeds = {}),
      'This backup is damaged: its "feeds" is not a list.',
    ],
    [
      'a blog that is no object',
      (file) => (file.feeds[0] = 'https://a.example/feed'),
      'Blog 1 of this backup is damaged: it is not an object.',
    ],
    [
      'a blog with a javascript: address',
      (file) => (file.feeds[0].url = 'javascript:alert(1)'),
      'Blog 1 of this backup is damaged: its "url" is not a web (http or https) address.',
    ],
    [
      'a blog without a title',
      (file) => delete file.feeds[0].title,
      'Blog 1 of this backup is damaged: its "title" is not text.',
    ],
    [
      'a blog of an unknown kind',
      (file) => (file.feeds[0].kind = 'gopher'),
      'Blog 1 of this backup is damaged: its "kind" is not one of rss, atom, rdf, json.',
    ],
    [
      'a blog with tags that are not texts',
      (file) => (file.feeds[0].tags = [1]),
      'Blog 1 of this backup is damaged: its "tags" is not a list of texts.',
    ],
    [
      'a blog with an old address that is no web address',
      (file) => (file.feeds[0].aliases = ['file:///etc/passwd']),
      'Blog 1 of this backup is damaged: its "aliases" are not all web (http or https) addresses.',
    ],
    [
      'a post of a blog not in the file',
      (file) => (file.posts[0].feedUrl = 'https://b.example/feed'),
      'Post 1 of this backup is damaged: its "feedUrl" names no blog of this backup.',
    ],
    [
      'a post with a read time in words',
      (file) => (file.posts[0].readAt = 'yesterday'),
      'Post 1 of this backup is damaged: its "readAt" is not a valid number.',
    ],
    [
      'a post with a negative reading time',
      (file) => (file.posts[0].minutes = -3),
      'Post 1 of this backup is damaged: its "minutes" is not a valid number.',
    ],
    [
      'a post with an empty guid',
      (file) => (file.posts[0].guid = ''),
      'Post 1 of this backup is damaged: its "guid" is empty.',
    ],
    [
      'a post with a data: link',
      (file) => (file.posts[0].url = 'data:text/html,<script>'),
      'Post 1 of this backup is damaged: its "url" is not a web (http or https) address.',
    ],
    [
      'a reading-list item without an address',
      (file) => delete file.readingList[0].url,
      'Reading-list item 1 of this backup is damaged: its "url" is not a web (http or https) address.',
    ],
    [
      'a reading-list item saved from a post of a blog not in the file',
      (file) => (file.readingList[0].post.feedUrl = 'https://b.example/feed'),
      'The post of reading-list item 1 of this backup is damaged: its "feedUrl" names no blog of this backup.',
    ],
    [
      'settings that are no object',
      (file) => (file.settings = 'dark'),
      'This backup is damaged: its "settings" is not a set of settings.',
    ],
  ])('refuses %s, saying which field', (_case, change, message) => {
    expect(damaged(change)).toBe(message);
  });

  it('caps text as the poll does, so a doctored file cannot store more', () => {
    const file = valid();
    Object.assign((file.posts as Record<string, unknown>[])[0]!, {
      title: 'T'.repeat(5_000),
      summary: 'S'.repeat(50_000),
      categories: Array.from({ length: 50 }, (_, i) => `C${i}`),
    });

    const parsed = parseBackup(JSON.stringify(file));

    const [post] = parsed.ok ? parsed.backup.posts : [];
    expect([...post!.title].length).toBeLessThanOrEqual(1_000);
    expect([...post!.summary!].length).toBeLessThanOrEqual(2_000);
    expect(post!.categories).toHaveLength(20);
  });

  it('reads a hand-made backup of blogs only', () => {
    const parsed = parseBackup(
      JSON.stringify({
        format: 'dispatch-backup',
        version: 1,
        feeds: [{ url: 'https://a.example/feed', title: 'A', addedAt: 1 }],
      }),
    );

    expect(parsed).toMatchObject({
      ok: true,
      backup: {
        feeds: [{ url: 'https://a.example/feed', aliases: [], status: 'active' }],
        posts: [],
        readingList: [],
        settings: {},
      },
    });
  });
});

describe('restoreBackup', () => {
  it('round-trips: back up, delete everything, restore, and the backup is the same', async () => {
    await aUsedDatabase(db);
    const before = await createBackup(db, NOW);
    const listBefore = await listReadingList(db);
    const unreadBefore = await unreadTotal(db);
    await deleteEverything(db);

    const parsed = parseBackup(serializeBackup(before));
    const summary = await restoreBackup(db, parsed.ok ? parsed.backup : before, NOW + 1);

    expect(withoutDate(await createBackup(db, NOW + 2))).toEqual(withoutDate(before));
    expect(summary).toEqual({
      feeds: 2,
      posts: 5,
      readingList: 4,
      settings: 3,
      message: 'Restored 2 blogs, 5 posts, 4 reading-list items and your settings.',
    });
    expect(await unreadTotal(db)).toBe(unreadBefore);
    expect((await listReadingList(db)).map(({ id: _id, postId: _post, ...item }) => item)).toEqual(
      listBefore.map(({ id: _id, postId: _post, ...item }) => item),
    );
    await expectCountersToAgree(db);
    await expectIndexFieldsToAgree(db);
  });

  it('makes restored blogs due at once, without stale validators or errors', async () => {
    await aUsedDatabase(db);
    const backup = await createBackup(db, NOW);
    const other = freshDb();

    await restoreBackup(other, backup, NOW);

    const [edge] = await listFeeds(other);
    expect(edge).toMatchObject({
      nextPollAt: NOW,
      lastCheckedAt: 0,
      failures: 0,
      addedAt: 100,
      notify: false,
    });
    expect(edge).not.toHaveProperty('etag');
    expect(edge).not.toHaveProperty('lastError');
  });

  it('links a restored reading-list item to its restored post', async () => {
    const { edgePosts } = await aUsedDatabase(db);
    const backup = await createBackup(db, NOW);
    const other = freshDb();
    await addFeed(other, { url: 'https://unrelated.example/feed', title: 'Other' }, 1);
    await savePollResult(other, 1, { posts: [aPost(), aPost()], feed: {}, now: 1 });

    await restoreBackup(other, backup, NOW);

    const item = (await listReadingList(other)).find((entry) => entry.url === edgePosts[1]!.url);
    const post = await other.posts.get(item!.postId!);
    expect(post).toMatchObject({ guid: edgePosts[1]!.guid, url: edgePosts[1]!.url });
  });

  it('changes nothing when restored onto the database it came from, or twice', async () => {
    await aUsedDatabase(db);
    const backup = await createBackup(db, NOW);
    const before = await dumpDb(db);
    const settingsBefore = await readSettings();

    const first = await restoreBackup(db, backup, NOW);
    const second = await restoreBackup(db, backup, NOW);

    expect(await dumpDb(db)).toEqual(before);
    expect(await readSettings()).toEqual(settingsBefore);
    for (const summary of [first, second]) {
      expect(summary).toEqual({
        feeds: 0,
        posts: 0,
        readingList: 0,
        settings: 0,
        message: 'Nothing new to restore: everything in this backup is already here.',
      });
    }
  });

  it('merges: blogs by address, read state from either side, new reading-list items last', async () => {
    const { edgePosts, quietPosts } = await aUsedDatabase(db);
    const backup = await createBackup(db, NOW);
    // Another browser: follows Edge Notes under http://www., read a post this backup has
    // unread, has one of its own and a reading list of its own.
    const other = freshDb();
    const mine = await addFeed(
      other,
      { url: 'http://www.edge.example/feed.xml', title: 'My name for it' },
      1,
    );
    const { added } = await savePollResult(other, mine.id, {
      posts: [
        { ...aPost(), guid: edgePosts[0]!.guid },
        { ...aPost(), guid: edgePosts[1]!.guid },
        aPost({ title: 'Only here' }),
      ],
      feed: {},
      now: 1,
    });
    await markRead(other, [added[1]!.id], 50);
    await saveToReadingList(other, { url: 'https://page.example/2', title: 'Mine' }, 1);
    await saveToReadingList(other, { url: 'https://elsewhere.example/', title: 'Elsewhere' }, 2);

    const summary = await restoreBackup(other, backup, NOW);

    expect(summary).toMatchObject({ feeds: 1, posts: 3, readingList: 3 });
    expect(summary.message).toBe(
      'Restored 1 blog, 3 posts and 3 reading-list items. 1 post read in the backup is now marked read here.',
    );
    const feeds = await listFeeds(other);
    expect(feeds.map((feed) => [feed.url, feed.title])).toEqual([
      ['http://www.edge.example/feed.xml', 'My name for it'],
      ['https://quiet.example/rss', 'Quiet'],
    ]);
    const posts = await other.posts.toArray();
    const readState = (guid: string) => posts.find((post) => post.guid === guid)?.readAt;
    expect(readState(edgePosts[0]!.guid)).toBe(3_000); // read in the backup
    expect(readState(edgePosts[1]!.guid)).toBe(50); // read here
    expect(readState(edgePosts[2]!.guid)).toBe(0);
    expect(readState(quietPosts[1]!.guid)).toBe(3_000);
    expect(posts.filter((post) => post.feedId === mine.id)).toHaveLength(4);
    expect((await listReadingList(other)).map((item) => item.title)).toEqual([
      'Mine',
      'Elsewhere',
      'Page 3',
      edgePosts[1]!.title,
      'Page 1',
    ]);
    await expectCountersToAgree(other);
    await expectIndexFieldsToAgree(other);
  });

  // Six writes in all: two blogs, the posts, their words, the counters, the reading list.
  it.each([1, 4, 6])('changes nothing when storage fails at write %i', async (write) => {
    await aUsedDatabase(db);
    const backup = await createBackup(db, NOW);
    const other = freshDb();
    const probe = probeStorage(other);
    await addFeed(other, { url: 'https://kept.example/feed', title: 'Kept' }, 1);
    const before = await dumpDb(other);
    fakeBrowser.reset();
    probe.failFrom(write);

    await expect(restoreBackup(other, backup, NOW)).rejects.toThrow();

    probe.heal();
    expect(await dumpDb(other)).toEqual(before);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });

  it('restores the valid settings and names the others, without failing', async () => {
    const backup: Backup = {
      format: 'dispatch-backup',
      version: 1,
      exportedAt: '',
      app: 'Dispatch',
      feeds: [],
      posts: [],
      readingList: [],
      settings: { pollIntervalMinutes: 60, badgeMode: 'sparkles', wordsPerMinute: -5 },
    };

    const summary = await restoreBackup(db, backup, NOW);

    expect(summary.settings).toBe(1);
    expect(summary.message).toBe(
      "Restored your settings. Not restored, as the file's values are not valid: wordsPerMinute, badgeMode.",
    );
    expect(await readSettings()).toMatchObject({ pollIntervalMinutes: 60, badgeMode: 'posts' });
  });
});
