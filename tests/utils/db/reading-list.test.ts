import { describe, expect, it } from 'vitest';
import {
  finishReadingItem,
  listReadingList,
  moveReadingItem,
  removeReadingItem,
  saveToReadingList,
  unfinishReadingItem,
} from '@/utils/db/reading-list';
import { freshDb } from '../../helpers/db';

const page = (n: number) => ({ url: `https://blog.example/${n}`, title: `Page ${n}` });

describe('reading list', () => {
  it('keeps items in the order saved', async () => {
    const db = freshDb();
    for (const n of [3, 1, 2]) await saveToReadingList(db, page(n), n);

    expect((await listReadingList(db)).map((item) => item.title)).toEqual([
      'Page 3',
      'Page 1',
      'Page 2',
    ]);
  });

  it('saves a URL once', async () => {
    const db = freshDb();
    const first = await saveToReadingList(db, page(1), 1);
    const again = await saveToReadingList(db, { ...page(1), title: 'Other' }, 2);

    expect(again.id).toBe(first.id);
    expect(await listReadingList(db)).toHaveLength(1);
  });

  it('marks items finished and not finished, and removes them', async () => {
    const db = freshDb();
    const item = await saveToReadingList(db, page(1), 1);
    const other = await saveToReadingList(db, page(2), 1);

    await finishReadingItem(db, item.id, 99);
    expect((await listReadingList(db))[0]?.doneAt).toBe(99);
    await unfinishReadingItem(db, item.id);
    expect((await listReadingList(db))[0]?.doneAt).toBe(0);
    await removeReadingItem(db, other.id);
    expect((await listReadingList(db)).map((i) => i.id)).toEqual([item.id]);
  });

  it('moves an item up and down, and not past either end', async () => {
    const db = freshDb();
    const items = [];
    for (const n of [1, 2, 3]) items.push(await saveToReadingList(db, page(n), n));

    await moveReadingItem(db, items[2]!.id, -1);
    expect((await listReadingList(db)).map((i) => i.title)).toEqual(['Page 1', 'Page 3', 'Page 2']);
    await moveReadingItem(db, items[0]!.id, -1);
    await moveReadingItem(db, items[1]!.id, 1);
    expect((await listReadingList(db)).map((i) => i.title)).toEqual(['Page 1', 'Page 3', 'Page 2']);
  });
});
