import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Backup } from '@/utils/backup';
import type { DispatchDb } from '@/utils/db/db';
import type { Feed } from '@/utils/db/types';
import type { Protocol } from '@/utils/messaging';
import type { OpmlOutline } from '@/utils/opml';
import { SETTINGS } from '@/utils/settings';
import {
  createDataState,
  describeBackup,
  describeOpmlPreview,
  opmlFileName,
  type DataState,
  type DataStateOptions,
} from '@/utils/state/data-state';
import { aFeed, freshDb } from '../../helpers/db';
import { anExtractor } from '../../helpers/listing-preview';

const NOW = Date.UTC(2026, 2, 12, 12);

const outline = (url: string): OpmlOutline => ({ url, tags: [] });

function fakeWorker() {
  const received: { dispatch: keyof Protocol; data: unknown }[] = [];
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
    const envelope = message as { dispatch: keyof Protocol; data: unknown };
    received.push(envelope);
    if (envelope.dispatch === 'pollNow') {
      return Promise.resolve({ ok: { checked: 2, newPosts: 3, failed: 1 } });
    }
    return Promise.resolve({ ok: { ok: true, message: 'Synced.' } });
  });
  return received;
}

describe('describeOpmlPreview', () => {
  it.each([
    [{ fresh: [], followed: [], repeated: [], problems: [] }, 'No blogs found in this file.'],
    [
      { fresh: [outline('https://a.example/')], followed: [], repeated: [], problems: [] },
      '1 blog found: 1 new.',
    ],
    [
      {
        fresh: [outline('https://a.example/')],
        followed: ['https://b.example/'],
        repeated: ['https://a.example/'],
        problems: ['“X”: no address', '“Y”: the address is not http(s)'],
      },
      '5 blogs found: 1 new, 1 already followed, 1 listed twice, 2 could not be read: “X”: no address; “Y”: the address is not http(s).',
    ],
    [
      {
        fresh: [],
        followed: [],
        repeated: [],
        problems: ['“A”: no address', '“B”: no address', '“C”: no address', '“D”: x', '“E”: y'],
      },
      '5 blogs found: 0 new, 5 could not be read: “A”: no address; “B”: no address; “C”: no address; and 2 more.',
    ],
  ])('says %o as "%s"', (preview, words) => {
    expect(describeOpmlPreview(preview)).toBe(words);
  });
});

describe('describeBackup', () => {
  const base = { format: 'dispatch-backup', version: 1, exportedAt: '' } as const;
  it.each([
    [
      { ...base, feeds: [{}], posts: [], readingList: [{}, {}], settings: {} },
      '1 blog, 0 posts, 2 reading-list items and your settings',
    ],
    [{ ...base, feeds: [{}, {}] }, '2 blogs'],
    [{ ...base }, 'nothing Dispatch can restore'],
  ])('says what %o holds', (backup, words) => {
    expect(describeBackup(backup as Backup)).toBe(words);
  });
});

describe('opmlFileName', () => {
  it('names the file after the day', () => {
    expect(opmlFileName(NOW)).toBe('dispatch-blogs-2026-03-12.opml');
  });
});

describe('createDataState', () => {
  let db: DispatchDb;
  let state: DataState | undefined;

  function create(options: DataStateOptions = {}): DataState {
    state = createDataState({
      db,
      now: () => NOW,
      permissions: {
        requestOrigins: () => Promise.resolve(true),
        hasOrigins: () => Promise.resolve(true),
      },
      confirm: () => true,
      badge: () => Promise.resolve(),
      download: () => {},
      onError: () => {},
      ...options,
    });
    return state;
  }

  const file = (text: string, name = 'feeds.opml') => new File([text], name);

  beforeEach(() => {
    fakeBrowser.reset();
    db = freshDb();
  });

  afterEach(() => {
    state?.dispose();
    state = undefined;
  });

  it('sorts the file’s feeds into new, already followed (any spelling) and listed twice', async () => {
    await aFeed(db, { url: 'https://followed.example/feed' });
    const data = create();

    await data.previewOpml(
      file(`<opml><body>
        <outline xmlUrl="https://new.example/feed"/>
        <outline xmlUrl="http://www.followed.example/feed/"/>
        <outline xmlUrl="https://new.example/feed/"/>
      </body></opml>`),
    );

    expect(data.opmlPreview.value).toMatchObject({
      fileName: 'feeds.opml',
      fresh: [outline('https://new.example/feed')],
      followed: ['http://www.followed.example/feed/'],
      repeated: ['https://new.example/feed/'],
      summary: '3 blogs found: 1 new, 1 already followed, 1 listed twice.',
    });
    expect(data.status.value).toBe(data.opmlPreview.value?.summary);
  });

  it('names the first 3 problems of a file and counts the others', async () => {
    const entries = Array.from(
      { length: 40 },
      (_, i) => `<outline title="Blog ${i + 1}" xmlUrl="ftp://blog${i + 1}.example/feed"/>`,
    );
    const data = create();

    await data.previewOpml(file(`<opml><body>${entries.join('')}</body></opml>`));

    expect(data.status.value).toBe(
      '40 blogs found: 0 new, 40 could not be read: “Blog 1”: ftp://blog1.example/feed is not a web address; “Blog 2”: ftp://blog2.example/feed is not a web address; “Blog 3”: ftp://blog3.example/feed is not a web address; and 37 more.',
    );
  });

  it('refuses an OPML file over 10 MB without reading it', async () => {
    const parsed: string[] = [];
    const data = create({
      operations: { parseOpml: (text) => (parsed.push(text), { feeds: [], problems: [] }) },
    });

    await data.previewOpml(new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'huge.opml'));

    expect(data.status.value).toBe(
      'huge.opml is 10.1 MB, more than the 10 MB an OPML file can be; it was not read. Nothing was changed.',
    );
    expect(data.opmlPreview.value).toBeUndefined();
    expect(parsed).toEqual([]);
  });

  it('imports nothing when access to the sites is refused', async () => {
    const imported: unknown[] = [];
    const received = fakeWorker();
    const data = create({
      permissions: {
        requestOrigins: () => Promise.resolve(false),
        hasOrigins: () => Promise.resolve(false),
      },
      operations: {
        parseOpml: () => ({
          feeds: [outline('https://new.example/feed')],
          problems: [],
          duplicates: [],
        }),
        importOpml: async (_db, outlines) => {
          imported.push(outlines);
          return { added: [], duplicates: [] };
        },
      },
    });
    await data.previewOpml(file('<opml/>'));

    expect(await data.followImported()).toBe(false);

    expect(data.status.value).toBe(
      'Access to the blogs’ sites was not granted; nothing was imported.',
    );
    expect(imported).toEqual([]);
    expect(received).toEqual([]);
    expect(data.opmlPreview.value).toBeDefined();
  });

  it('follows, polls and syncs (when on), and says what the poll found', async () => {
    await SETTINGS.syncEnabled.setValue(true);
    const received = fakeWorker();
    const asked: string[][] = [];
    const data = create({
      permissions: {
        requestOrigins: (origins) => (asked.push(origins), Promise.resolve(true)),
        hasOrigins: () => Promise.resolve(true),
      },
      operations: {
        parseOpml: () => ({
          feeds: [
            outline('https://a.example/feed'),
            outline('https://a.example/other'),
            outline('http://b.example:8080/rss'),
          ],
          problems: [],
          duplicates: [],
        }),
        importOpml: async (_db, outlines) => ({
          added: outlines.slice(1).map((o, id) => ({ id, url: o.url }) as Feed),
          duplicates: [outlines[0]!.url],
        }),
      },
    });
    await data.previewOpml(file('<opml/>'));

    const following = data.followImported();
    expect(asked).toEqual([['https://a.example/*', 'http://b.example/*']]);
    expect(await following).toBe(true);

    expect(data.status.value).toBe(
      'Followed 2 new blogs (1 already followed): 3 new posts; 1 blog could not be checked.',
    );
    await vi.waitFor(() =>
      expect(received.map((message) => message.dispatch).sort()).toEqual(['pollNow', 'syncNow']),
    );
    expect(received).toContainEqual({ dispatch: 'pollNow', data: { due: true } });
    expect(data.busy.value).toBe(false);
  });

  it('says there is nothing to export when no blog is followed', async () => {
    const downloads: unknown[] = [];
    const data = create({ download: (made) => void downloads.push(made) });

    await data.exportOpml();

    expect(data.status.value).toBe('You follow no blogs yet: there is nothing to export.');
    expect(downloads).toEqual([]);
  });

  it('leaves a blog followed through its page out of the OPML file, and says so', async () => {
    await aFeed(db, { url: 'https://feed.example/feed.xml', title: 'Feed Blog' });
    await aFeed(db, {
      url: 'https://page.example/',
      listing: { extractor: anExtractor(), lastCount: 9 },
    });
    const downloads: { text: string }[] = [];
    const data = create({ download: (made) => void downloads.push(made as { text: string }) });

    await data.exportOpml();

    expect(data.status.value).toBe(
      'Exported 1 blog to dispatch-blogs-2026-03-12.opml. Left out: 1 blog that follows its page (no feed), which OPML cannot hold; a backup keeps it.',
    );
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.text).toContain('https://feed.example/feed.xml');
    expect(downloads[0]!.text).not.toContain('page.example');
  });

  it('writes no file when every blog follows its page', async () => {
    await aFeed(db, {
      url: 'https://page.example/',
      listing: { extractor: anExtractor(), lastCount: 9 },
    });
    const downloads: unknown[] = [];
    const data = create({ download: (made) => void downloads.push(made) });

    await data.exportOpml();

    expect(data.status.value).toMatch(/^Nothing was exported: /);
    expect(downloads).toEqual([]);
  });

  it('says why a backup failed', async () => {
    const data = create({
      operations: { createBackup: () => Promise.reject(new Error('The database is closed.')) },
    });

    await data.backUp();

    expect(data.status.value).toBe('Could not back up: The database is closed.');
    expect(data.busy.value).toBe(false);
  });

  it('refuses a backup over 200 MB without reading it or asking, and changes nothing', async () => {
    await aFeed(db, { url: 'https://kept.example/feed' });
    const questions: string[] = [];
    const data = create({ confirm: (question) => (questions.push(question), true) });
    const huge = new File(['{}'], 'backup.json');
    Object.defineProperty(huge, 'size', { value: 250 * 1024 * 1024 });

    expect(await data.restore(huge)).toBe(false);

    expect(data.status.value).toBe(
      'backup.json is 250 MB, more than the 200 MB a backup can be; it was not read. Nothing was changed.',
    );
    expect(questions).toEqual([]);
    expect((await db.feeds.toArray()).map((feed) => feed.url)).toEqual([
      'https://kept.example/feed',
    ]);
  });

  it('restores nothing when the user declines', async () => {
    const restored: unknown[] = [];
    const backup = {
      format: 'dispatch-backup',
      version: 1,
      exportedAt: 'soon',
    } as unknown as Backup;
    const data = create({
      confirm: () => false,
      operations: {
        parseBackup: () => ({ ok: true, backup }),
        restoreBackup: async (...args) => {
          restored.push(args);
          return { feeds: 0, posts: 0, readingList: 0, settings: 0, message: '' };
        },
      },
    });

    expect(await data.restore(file('{}', 'backup.json'))).toBe(false);

    expect(data.status.value).toBe('Nothing was restored.');
    expect(restored).toEqual([]);
  });

  it('after a restore, offers to allow the sites it has no access to, then checks those blogs', async () => {
    const received = fakeWorker();
    const requested: string[][] = [];
    const backup = {
      format: 'dispatch-backup',
      version: 1,
      exportedAt: '2026-03-12T12:00:00.000Z',
      feeds: [
        { url: 'https://granted.example/feed' },
        { url: 'https://new.example/a.xml' },
        { url: 'https://new.example/b.xml' },
      ],
    } as unknown as Backup;
    const data = create({
      permissions: {
        requestOrigins: (origins) => {
          requested.push(origins);
          return Promise.resolve(true);
        },
        hasOrigins: ([origin]) => Promise.resolve(origin === 'https://granted.example/*'),
      },
      operations: {
        parseBackup: () => ({ ok: true, backup }),
        restoreBackup: async () => ({
          feeds: 3,
          posts: 0,
          readingList: 0,
          settings: 0,
          message: 'Restored 3 blogs.',
        }),
      },
    });

    expect(await data.restore(file('{}', 'backup.json'))).toBe(true);
    expect(data.restoredWithoutAccess.value).toEqual(['https://new.example/*']);

    expect(await data.allowRestored()).toBe(true);

    expect(requested).toEqual([['https://new.example/*']]);
    expect(data.restoredWithoutAccess.value).toEqual([]);
    expect(data.status.value).toBe('Checked the restored blogs: 3 new posts.');
    // Only the blogs that are due (the restored ones), not every blog the user follows.
    expect(received).toContainEqual({ dispatch: 'pollNow', data: { due: true } });
  });

  it('keeps offering access when the user refuses it', async () => {
    const backup = {
      format: 'dispatch-backup',
      version: 1,
      exportedAt: '',
      feeds: [{ url: 'https://new.example/a.xml' }],
    } as unknown as Backup;
    const data = create({
      permissions: {
        requestOrigins: () => Promise.resolve(false),
        hasOrigins: () => Promise.resolve(false),
      },
      operations: {
        parseBackup: () => ({ ok: true, backup }),
        restoreBackup: async () => ({
          feeds: 1,
          posts: 0,
          readingList: 0,
          settings: 0,
          message: '',
        }),
      },
    });
    await data.restore(file('{}', 'backup.json'));

    expect(await data.allowRestored()).toBe(false);

    expect(data.restoredWithoutAccess.value).toEqual(['https://new.example/*']);
    expect(data.status.value).toMatch(/^Access was not granted/);
  });

  it('deletes everything even when the access cannot be given back, and says so', async () => {
    let wiped = false;
    const data = create({
      permissions: {
        requestOrigins: () => Promise.resolve(true),
        hasOrigins: () => Promise.resolve(true),
        grantedOptionalOrigins: () => Promise.reject(new Error('no permissions API')),
        removeOrigins: () => Promise.resolve(true),
      },
      operations: { deleteEverything: async () => void (wiped = true) },
    });

    expect(await data.deleteAll()).toBe(true);

    expect(wiped).toBe(true);
    expect(data.status.value).toMatch(/^Deleted all blogs, .* could not be given back/);
  });

  it('gives back no access when none was granted at run time', async () => {
    const removed: string[][] = [];
    const data = create({
      permissions: {
        requestOrigins: () => Promise.resolve(true),
        hasOrigins: () => Promise.resolve(true),
        grantedOptionalOrigins: () => Promise.resolve([]),
        removeOrigins: (origins) => (removed.push(origins), Promise.resolve(true)),
      },
      operations: { deleteEverything: async () => {} },
    });

    await data.deleteAll();

    expect(removed).toEqual([]);
  });
});
