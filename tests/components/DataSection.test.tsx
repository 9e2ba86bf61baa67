// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DataSection } from '@/components/DataSection';
import type { Backup } from '@/utils/backup';
import type { DispatchDb } from '@/utils/db/db';
import type { Feed } from '@/utils/db/types';
import type { ExportFile } from '@/utils/export/reading-list';
import type { Protocol } from '@/utils/messaging';
import type { OpmlOutline } from '@/utils/opml';
import {
  createDataState,
  DELETE_EVERYTHING_QUESTION,
  type DataOperations,
  type DataState,
} from '@/utils/state/data-state';
import { aFeed, freshDb } from '../helpers/db';

const NOW = Date.UTC(2026, 2, 12, 12);

const outline = (url: string, tags: string[] = []): OpmlOutline => ({ url, tags });

const BACKUP: Backup = {
  format: 'dispatch-backup',
  version: 1,
  exportedAt: new Date(NOW).toISOString(),
  feeds: [{}, {}],
  posts: [{}, {}, {}],
  readingList: [{}],
  settings: {},
} as unknown as Backup;

describe('DataSection', () => {
  let db: DispatchDb;
  let state: DataState;
  let downloads: ExportFile[];
  let questions: string[];
  let answer: boolean;
  let requested: string[][];
  let imported: OpmlOutline[][];
  let restored: Backup[];
  let wiped: number;
  let removed: string[][];
  let received: { dispatch: keyof Protocol; data: unknown }[];

  function show(operations: Partial<DataOperations> = {}) {
    state = createDataState({
      db,
      now: () => NOW,
      permissions: {
        requestOrigins: (origins) => (requested.push(origins), Promise.resolve(true)),
        hasOrigins: () => Promise.resolve(true),
        grantedOptionalOrigins: () => Promise.resolve(['https://blog.example/*']),
        removeOrigins: (origins) => (removed.push(origins), Promise.resolve(true)),
      },
      confirm: (question) => (questions.push(question), answer),
      badge: () => Promise.resolve(),
      download: (file) => void downloads.push(file),
      operations: {
        parseOpml: () => ({
          feeds: [
            outline('https://one.example/feed', ['ML']),
            outline('https://two.example/feed'),
            outline('https://followed.example/feed'),
          ],
          problems: ['“Broken”: the address is not http(s)'],
          duplicates: [],
        }),
        importOpml: async (_db, outlines) => {
          imported.push([...outlines]);
          return {
            added: outlines.map((added, index) => ({ id: 10 + index, url: added.url }) as Feed),
            duplicates: [],
          };
        },
        serializeOpml: (feeds) => `<opml>${feeds.length}</opml>`,
        createBackup: () => Promise.resolve(BACKUP),
        parseBackup: (text) =>
          text.startsWith('{')
            ? { ok: true, backup: BACKUP }
            : { ok: false, message: 'This is not a Dispatch backup.' },
        restoreBackup: async (_db, backup) => {
          restored.push(backup);
          return { feeds: 2, posts: 3, readingList: 1, settings: 1, message: 'Restored it all.' };
        },
        deleteEverything: async () => void (wiped += 1),
        ...operations,
      },
      onError: () => {},
    });
    return render(<DataSection state={state} />);
  }

  const status = () => screen.getByRole('status');
  const choose = (label: string, text: string, name: string) =>
    fireEvent.change(screen.getByLabelText(label), {
      target: { files: [new File([text], name)] },
    });

  beforeEach(async () => {
    fakeBrowser.reset();
    db = freshDb();
    downloads = [];
    questions = [];
    answer = true;
    requested = [];
    imported = [];
    restored = [];
    wiped = 0;
    removed = [];
    received = [];
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
      received.push(message as { dispatch: keyof Protocol; data: unknown });
      return Promise.resolve({ ok: { checked: 2, newPosts: 14, failed: 0 } });
    });
    await aFeed(db, { url: 'https://followed.example/feed', title: 'Followed' });
  });

  afterEach(() => {
    cleanup();
    state.dispose();
  });

  it('previews an OPML file, then follows its new blogs with one access prompt', async () => {
    show();

    choose('Import OPML…', '<opml/>', 'feeds.opml');

    const preview = await screen.findByRole('group', { name: 'Import from feeds.opml' });
    expect(within(preview).getByText(/^4 blogs found/).textContent).toBe(
      '4 blogs found: 2 new, 1 already followed, 1 could not be read: “Broken”: the address is not http(s).',
    );
    expect(imported).toEqual([]);

    fireEvent.click(within(preview).getByRole('button', { name: 'Follow 2 blogs' }));

    expect(requested).toEqual([['https://one.example/*', 'https://two.example/*']]);
    await waitFor(() => expect(status().textContent).toBe('Followed 2 new blogs: 14 new posts.'));
    expect(imported).toEqual([
      [outline('https://one.example/feed', ['ML']), outline('https://two.example/feed')],
    ]);
    expect(received).toEqual([{ dispatch: 'pollNow', data: { due: true } }]);
    expect(screen.queryByRole('group', { name: /^Import from/ })).toBeNull();
  });

  it('says why a file that is not OPML cannot be read', async () => {
    show({
      parseOpml: () => {
        throw new Error('This is not an OPML file: it has no <opml> element.');
      },
    });

    choose('Import OPML…', 'hello', 'notes.txt');

    await waitFor(() =>
      expect(status().textContent).toBe(
        'notes.txt could not be read: This is not an OPML file: it has no <opml> element.',
      ),
    );
    expect(screen.queryByRole('button', { name: /^Follow/ })).toBeNull();
  });

  it('cancels an import', async () => {
    show();
    choose('Import OPML…', '<opml/>', 'feeds.opml');

    fireEvent.click(await screen.findByRole('button', { name: 'Cancel import' }));

    expect(status().textContent).toBe('Nothing was imported.');
    expect(imported).toEqual([]);
  });

  it('exports the blogs as an OPML download', async () => {
    show();

    fireEvent.click(screen.getByRole('button', { name: 'Export OPML' }));

    await waitFor(() =>
      expect(status().textContent).toBe('Exported 1 blog to dispatch-blogs-2026-03-12.opml.'),
    );
    expect(downloads).toEqual([
      { name: 'dispatch-blogs-2026-03-12.opml', type: 'text/x-opml', text: '<opml>1</opml>' },
    ]);
  });

  it('backs up into a JSON download', async () => {
    show();

    fireEvent.click(screen.getByRole('button', { name: 'Back up' }));

    await waitFor(() =>
      expect(status().textContent).toBe(
        'Saved 2 blogs, 3 posts, 1 reading-list item and your settings to dispatch-backup-2026-03-12.json.',
      ),
    );
    expect(downloads.map(({ name, type }) => [name, type])).toEqual([
      ['dispatch-backup-2026-03-12.json', 'application/json'],
    ]);
    expect(JSON.parse(downloads[0]!.text)).toEqual(BACKUP);
  });

  it('refuses a bad backup with its message and asks nothing', async () => {
    show();

    choose('Restore from backup…', 'garbage', 'photo.jpg');

    await waitFor(() =>
      expect(status().textContent).toBe('This is not a Dispatch backup. Nothing was changed.'),
    );
    expect(questions).toEqual([]);
    expect(restored).toEqual([]);
  });

  it('restores a good backup after saying what it holds', async () => {
    show();

    choose('Restore from backup…', '{}', 'dispatch-backup-2026-03-12.json');

    await waitFor(() => expect(status().textContent).toBe('Restored it all.'));
    expect(questions).toEqual([
      'Restore the backup of 12 Mar 2026? It holds 2 blogs, 3 posts, 1 reading-list item and your settings, merged into what Dispatch holds now.',
    ]);
    expect(restored).toEqual([BACKUP]);
  });

  it('deletes everything only when confirmed, and gives back the sites’ access', async () => {
    show();
    const button = screen.getByRole('button', { name: 'Delete everything' });

    answer = false;
    fireEvent.click(button);
    expect(wiped).toBe(0);

    answer = true;
    fireEvent.click(button);

    await waitFor(() =>
      expect(status().textContent).toBe(
        'Deleted all blogs, posts, your reading list and settings.',
      ),
    );
    expect(questions).toEqual([DELETE_EVERYTHING_QUESTION, DELETE_EVERYTHING_QUESTION]);
    expect(DELETE_EVERYTHING_QUESTION).toBe(
      'Delete all blogs, posts, your reading list and settings from this browser? This cannot be undone.',
    );
    expect(wiped).toBe(1);
    expect(removed).toEqual([['https://blog.example/*']]);
  });
});
