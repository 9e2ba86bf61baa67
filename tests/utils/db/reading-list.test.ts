import { describe, expect, it } from 'vitest';
import { savePollResult } from '@/utils/db/posts';
import {
  addToReadingList,
  cleanNote,
  describeSave,
  findPostForUrl,
  finishReadingItem,
  listReadingList,
  moveReadingItem,
  moveReadingItemTo,
  NOTE_MAX_LENGTH,
  quoteTitle,
  removeReadingItem,
  restoreReadingItem,
  savePageToReadingList,
  saveToReadingList,
  setReadingNote,
  unfinishReadingItem,
} from '@/utils/db/reading-list';
import type { DispatchDb } from '@/utils/db/db';
import { aFeed, aPost, freshDb } from '../../helpers/db';

const page = (n: number) => ({ url: `https://blog.example/${n}`, title: `Page ${n}` });

async function saveAll(db: DispatchDb, count: number) {
  const items = [];
  for (let n = 1; n <= count; n += 1) items.push(await saveToReadingList(db, page(n), n));
  return items;
}

const titles = async (db: DispatchDb) => (await listReadingList(db)).map((item) => item.title);

/** Positions in list order: unique and strictly increasing. */
async function expectOrderedPositions(db: DispatchDb) {
  const positions = (await listReadingList(db)).map((item) => item.position);
  expect(new Set(positions).size).toBe(positions.length);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
}

describe('reading list', () => {
  it('keeps items in the order saved', async () => {
    const db = freshDb();
    for (const n of [3, 1, 2]) await saveToReadingList(db, page(n), n);

    expect(await titles(db)).toEqual(['Page 3', 'Page 1', 'Page 2']);
  });

  it('saves a URL once, and says whether it was new', async () => {
    const db = freshDb();
    const first = await addToReadingList(db, page(1), 1);
    const again = await addToReadingList(db, { ...page(1), title: 'Other' }, 2);

    expect(first.added).toBe(true);
    expect(again).toEqual({ item: first.item, added: false });
    expect(await listReadingList(db)).toHaveLength(1);
    expect(describeSave(first)).toBe('Saved “Page 1” to your reading list.');
    expect(describeSave(again)).toBe('Already in your reading list: “Page 1”.');
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
    const items = await saveAll(db, 3);

    await moveReadingItem(db, items[2]!.id, -1);
    expect(await titles(db)).toEqual(['Page 1', 'Page 3', 'Page 2']);
    await moveReadingItem(db, items[0]!.id, -1);
    await moveReadingItem(db, items[1]!.id, 1);
    expect(await titles(db)).toEqual(['Page 1', 'Page 3', 'Page 2']);
  });

  it('moves an item over a finished one as if it were not there', async () => {
    const db = freshDb();
    const items = await saveAll(db, 3);
    await finishReadingItem(db, items[1]!.id, 10);

    await moveReadingItem(db, items[2]!.id, -1);

    const toRead = (await listReadingList(db)).filter((item) => item.doneAt === 0);
    expect(toRead.map((item) => item.title)).toEqual(['Page 3', 'Page 1']);
    await expectOrderedPositions(db);
  });
});

describe('moveReadingItemTo', () => {
  it.each([
    ['to the start', 3, 0, ['Page 4', 'Page 1', 'Page 2', 'Page 3', 'Page 5']],
    ['to the end', 1, 4, ['Page 1', 'Page 3', 'Page 4', 'Page 5', 'Page 2']],
    ['down into the middle', 0, 2, ['Page 2', 'Page 3', 'Page 1', 'Page 4', 'Page 5']],
    ['up into the middle', 4, 1, ['Page 1', 'Page 5', 'Page 2', 'Page 3', 'Page 4']],
    ['past the end (clamped)', 0, 99, ['Page 2', 'Page 3', 'Page 4', 'Page 5', 'Page 1']],
    ['before the start (clamped)', 2, -5, ['Page 3', 'Page 1', 'Page 2', 'Page 4', 'Page 5']],
  ])('moves an item %s', async (_how, from, to, expected) => {
    const db = freshDb();
    const items = await saveAll(db, 5);

    const outcome = await moveReadingItemTo(db, items[from]!.id, to);

    expect(await titles(db)).toEqual(expected);
    expect(outcome).toEqual({ index: Math.min(Math.max(to, 0), 4), count: 5 });
    await expectOrderedPositions(db);
  });

  it('writes one record when there is room between the neighbours', async () => {
    const db = freshDb();
    const items = await saveAll(db, 4);
    const before = await listReadingList(db);

    await moveReadingItemTo(db, items[3]!.id, 1);

    const after = await listReadingList(db);
    const changed = after.filter(
      (item) => before.find((old) => old.id === item.id)!.position !== item.position,
    );
    expect(changed.map((item) => item.title)).toEqual(['Page 4']);
  });

  it('keeps positions unique and ordered when moves run out of room (renumbering)', async () => {
    const db = freshDb();
    const items = await saveAll(db, 4);
    // Halving the gap between two neighbours over and over exhausts a double's precision.
    for (let round = 0; round < 81; round += 1) {
      const list = await listReadingList(db);
      await moveReadingItemTo(db, list[list.length - 1]!.id, 1);
    }

    await expectOrderedPositions(db);
    const list = await listReadingList(db);
    expect(list).toHaveLength(4);
    expect(new Set(list.map((item) => item.id))).toEqual(new Set(items.map((item) => item.id)));
    // Every round takes the last item to second place: after 81 (a multiple of 3) the
    // rotation of the three lower items is back where it started.
    expect(list.map((item) => item.title)).toEqual(['Page 1', 'Page 2', 'Page 3', 'Page 4']);
  });

  it('answers undefined for an item that is gone', async () => {
    const db = freshDb();
    expect(await moveReadingItemTo(db, 42, 0)).toBeUndefined();
  });
});

describe('restoreReadingItem', () => {
  it('puts a removed item back with the same id, position, dates and note', async () => {
    const db = freshDb();
    const items = await saveAll(db, 3);
    await setReadingNote(db, items[1]!.id, 'Read on the train');
    await finishReadingItem(db, items[1]!.id, 50);
    const [, removed] = await listReadingList(db);
    await removeReadingItem(db, removed!.id);

    expect(await restoreReadingItem(db, removed!)).toBe(true);

    expect(await listReadingList(db)).toContainEqual(removed);
    expect(await titles(db)).toEqual(['Page 1', 'Page 2', 'Page 3']);
  });

  it('restores nothing when the page was saved again meanwhile', async () => {
    const db = freshDb();
    const [item] = await saveAll(db, 1);
    await removeReadingItem(db, item!.id);
    const again = await saveToReadingList(db, page(1), 9);

    expect(await restoreReadingItem(db, item!)).toBe(false);
    expect(await listReadingList(db)).toEqual([again]);
  });

  it('keeps positions unique when a move took the removed position', async () => {
    const db = freshDb();
    const items = await saveAll(db, 4);
    const [, removed] = await listReadingList(db);
    await removeReadingItem(db, removed!.id);
    // Between positions 1 and 3 the middle is 2: the removed item's.
    await moveReadingItemTo(db, items[3]!.id, 1);

    await restoreReadingItem(db, removed!);

    await expectOrderedPositions(db);
    expect(await titles(db)).toHaveLength(4);
  });
});

describe('notes', () => {
  it('keeps one trimmed line, capped, and removes an empty note', async () => {
    const db = freshDb();
    const [item] = await saveAll(db, 1);

    expect(await setReadingNote(db, item!.id, '  Chapter 3\nthen the appendix  ')).toBe(
      'Chapter 3 then the appendix',
    );
    expect((await listReadingList(db))[0]?.note).toBe('Chapter 3 then the appendix');
    await setReadingNote(db, item!.id, '   ');
    expect((await listReadingList(db))[0]).not.toHaveProperty('note');
  });

  it('caps a long note', () => {
    const note = cleanNote('x'.repeat(NOTE_MAX_LENGTH * 2));
    expect([...note]).toHaveLength(NOTE_MAX_LENGTH);
    expect(note.endsWith('…')).toBe(true);
  });
});

describe('saving a page seen in a tab or a link', () => {
  it('links a page whose address is a stored post to the post, its blog and reading time', async () => {
    const db = freshDb();
    const feed = await aFeed(db, { title: 'Edge Notes' });
    const url = 'https://blog.example/posts/long-read/';
    const {
      added: [post],
    } = await savePollResult(db, feed.id, {
      posts: [aPost({ guid: url, url, title: 'Long read', minutes: 7 })],
      feed: {},
      now: 1,
    });

    expect((await findPostForUrl(db, url))?.id).toBe(post!.id);
    const { item, added } = await savePageToReadingList(db, { url, title: 'Long read | Edge' }, 2);

    expect(added).toBe(true);
    expect(item).toMatchObject({
      url,
      title: 'Long read | Edge',
      postId: post!.id,
      source: 'Edge Notes',
      minutes: 7,
    });
  });

  it('saves any other page with its title, or its address when it has none', async () => {
    const db = freshDb();
    await aFeed(db);

    const { item } = await savePageToReadingList(
      db,
      { url: 'https://else.example/', title: ' ' },
      2,
    );

    expect(item).toEqual({
      id: item.id,
      url: 'https://else.example/',
      title: 'https://else.example/',
      addedAt: 2,
      position: 1,
      doneAt: 0,
    });
  });

  it('quotes titles without bidi controls', () => {
    expect(quoteTitle({ title: 'Invoice \u202efdp.exe', url: 'https://x.example/' })).toBe(
      '“Invoice fdp.exe”',
    );
  });
});
