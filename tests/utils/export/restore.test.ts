import { describe, expect, it } from 'vitest';
import type { DispatchDb } from '@/utils/db/db';
import { savePollResult } from '@/utils/db/posts';
import {
  finishReadingItem,
  listReadingList,
  moveReadingItemTo,
  saveToReadingList,
  setReadingNote,
} from '@/utils/db/reading-list';
import { parseReadingListExport, toJson } from '@/utils/export/reading-list';
import { importReadingList } from '@/utils/export/restore';
import { aFeed, aPost, freshDb } from '../../helpers/db';

const NOW = Date.UTC(2026, 10, 29, 12);
const page = (n: number) => ({ url: `https://blog.example/${n}`, title: `Page ${n}` });

/** A list that uses every field: a post link, blog, minutes, notes, a move, a finished item. */
async function aUsedList(db: DispatchDb) {
  const feed = await aFeed(db, { title: 'Edge Notes' });
  const {
    added: [post],
  } = await savePollResult(db, feed.id, { posts: [aPost({ minutes: 5 })], feed: {}, now: 1 });
  await saveToReadingList(
    db,
    { url: post!.url!, title: post!.title, postId: post!.id, source: 'Edge Notes', minutes: 5 },
    10,
  );
  for (const n of [1, 2, 3]) await saveToReadingList(db, page(n), 10 + n);
  await setReadingNote(db, 2, 'Chapter 2 only');
  await moveReadingItemTo(db, 4, 0);
  await finishReadingItem(db, 3, 99);
  return listReadingList(db);
}

const roundTrip = async (db: DispatchDb) =>
  parseReadingListExport(toJson(await listReadingList(db), NOW));

describe('importReadingList', () => {
  it('restores an export into the emptied list exactly: ids, order, dates, notes, post links', async () => {
    const db = freshDb();
    const before = await aUsedList(db);
    const file = await roundTrip(db);
    await db.readingList.clear();

    const outcome = await importReadingList(db, file, NOW);

    expect(outcome).toEqual({ added: 4, skipped: 0 });
    expect(await listReadingList(db)).toEqual(before);
  });

  it('restores into another database, dropping post links that mean other posts there', async () => {
    const db = freshDb();
    const before = await aUsedList(db);
    const other = freshDb();

    await importReadingList(other, await roundTrip(db), NOW);

    const restored = await listReadingList(other);
    expect(restored).toEqual(before.map(({ postId: _dropped, ...item }) => item));
  });

  it('merges by address: adds only new pages, after the list, in the file order', async () => {
    const db = freshDb();
    for (const n of [1, 2]) await saveToReadingList(db, page(n), n);
    const source = freshDb();
    for (const n of [3, 2, 4]) await saveToReadingList(source, page(n), n);

    const outcome = await importReadingList(db, await roundTrip(source), NOW);

    expect(outcome).toEqual({ added: 2, skipped: 1 });
    const list = await listReadingList(db);
    expect(list.map((item) => item.title)).toEqual(['Page 1', 'Page 2', 'Page 3', 'Page 4']);
    expect(new Set(list.map((item) => item.id)).size).toBe(4);
    expect(new Set(list.map((item) => item.position)).size).toBe(4);
  });

  it('adds nothing the second time', async () => {
    const db = freshDb();
    const source = freshDb();
    for (const n of [1, 2]) await saveToReadingList(source, page(n), n);
    const file = await roundTrip(source);

    await importReadingList(db, file, NOW);
    const outcome = await importReadingList(db, file, NOW);

    expect(outcome).toEqual({ added: 0, skipped: 2 });
    expect(await listReadingList(db)).toHaveLength(2);
  });

  it('fills in what a hand-made file leaves out, and keeps one entry per address', async () => {
    const db = freshDb();

    await importReadingList(
      db,
      [
        { url: 'https://a.example/', title: 'A' },
        { url: 'https://b.example/', title: 'B', note: 'later' },
        { url: 'https://a.example/', title: 'A again' },
      ],
      NOW,
    );

    expect(await listReadingList(db)).toEqual([
      { id: 1, url: 'https://a.example/', title: 'A', addedAt: NOW, position: 1, doneAt: 0 },
      {
        id: 2,
        url: 'https://b.example/',
        title: 'B',
        note: 'later',
        addedAt: NOW,
        position: 2,
        doneAt: 0,
      },
    ]);
  });
});
