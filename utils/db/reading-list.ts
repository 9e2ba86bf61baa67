/** The reading list: pages saved to read later, in the user's order. Independent of feeds. */
import type { DispatchDb } from './db';
import { readOrExplain } from './errors';
import type { ReadingListItem } from './types';

export type NewReadingListItem = Pick<ReadingListItem, 'url' | 'title'> &
  Partial<Pick<ReadingListItem, 'postId' | 'source' | 'minutes' | 'note'>>;

/** Saves a page at the end of the list; saving a URL already there returns that item. */
export async function saveToReadingList(
  db: DispatchDb,
  input: NewReadingListItem,
  now: number,
): Promise<ReadingListItem> {
  return db.transaction('rw', db.readingList, async () => {
    const existing = await db.readingList.where('url').equals(input.url).first();
    if (existing) return existing;
    const last = await db.readingList.orderBy('position').last();
    const record: Omit<ReadingListItem, 'id'> = {
      ...input,
      addedAt: now,
      position: (last?.position ?? 0) + 1,
      doneAt: 0,
    };
    const id = await db.readingList.add(record as ReadingListItem);
    return { ...record, id: id as number };
  });
}

/** Every item in the user's order (finished ones included; the UI splits them). */
export function listReadingList(db: DispatchDb): Promise<ReadingListItem[]> {
  return readOrExplain(() => db.readingList.orderBy('position').toArray());
}

export async function finishReadingItem(db: DispatchDb, id: number, now: number): Promise<void> {
  await db.readingList.update(id, { doneAt: now });
}

export async function unfinishReadingItem(db: DispatchDb, id: number): Promise<void> {
  await db.readingList.update(id, { doneAt: 0 });
}

export async function removeReadingItem(db: DispatchDb, id: number): Promise<void> {
  await db.readingList.delete(id);
}

/** Swaps an item with its neighbour above (-1) or below (+1); no-op at either end. */
export async function moveReadingItem(
  db: DispatchDb,
  id: number,
  direction: -1 | 1,
): Promise<void> {
  await db.transaction('rw', db.readingList, async () => {
    const items = await db.readingList.orderBy('position').toArray();
    const index = items.findIndex((item) => item.id === id);
    const other = items[index + direction];
    const item = items[index];
    if (!item || !other) return;
    await db.readingList.bulkUpdate([
      { key: item.id, changes: { position: other.position } },
      { key: other.id, changes: { position: item.position } },
    ]);
  });
}
