/**
 * The reading list: pages saved to read later, in the user's order. Independent of feeds (an
 * item keeps its title and blog name after the blog is removed).
 *
 * Order is the `position` index. Items that are not finished and finished ones are two lists
 * on screen, sharing one numbering: a move only ever places an item between its new
 * neighbours (one write), and renumbers the whole list (one transaction) only when floating
 * point leaves no room between them. Positions stay unique.
 *
 * Also here: the words for a save's outcome, the same from the popup and the context menu.
 */
import { withoutBidiControls } from '@/utils/bidi';
import { truncateText } from '@/utils/text';
import type { DispatchDb } from './db';
import { readOrExplain } from './errors';
import type { Post, ReadingListItem } from './types';

/** Longest note kept, in characters: a one-line reminder, not a document. */
export const NOTE_MAX_LENGTH = 280;

/**
 * Longest title kept for a saved page or an imported item, as for a post's title (tab titles,
 * link texts and files are not capped anywhere else).
 */
export const TITLE_MAX_LENGTH = 1_000;

export type NewReadingListItem = Pick<ReadingListItem, 'url' | 'title'> &
  Partial<Pick<ReadingListItem, 'postId' | 'source' | 'minutes' | 'note'>>;

/** What saving did: `added` is false when the URL was already in the list (nothing written). */
export interface SaveOutcome {
  item: ReadingListItem;
  added: boolean;
}

/** Where a moved item ended up, for "Moved … to position 3 of 7" (0-based `index`). */
export interface MoveOutcome {
  index: number;
  count: number;
}

/**
 * Saves a page at the end of the list. Saving a URL already there writes nothing and answers
 * with that item and `added: false`.
 */
export async function addToReadingList(
  db: DispatchDb,
  input: NewReadingListItem,
  now: number,
): Promise<SaveOutcome> {
  return db.transaction('rw', db.readingList, async () => {
    const existing = await db.readingList.where('url').equals(input.url).first();
    if (existing) return { item: existing, added: false };
    const last = await db.readingList.orderBy('position').last();
    const record: Omit<ReadingListItem, 'id'> = {
      ...input,
      addedAt: now,
      position: (last?.position ?? 0) + 1,
      doneAt: 0,
    };
    const id = await db.readingList.add(record as ReadingListItem);
    return { item: { ...record, id: id as number }, added: true };
  });
}

/** Saves a page at the end of the list; saving a URL already there returns that item. */
export async function saveToReadingList(
  db: DispatchDb,
  input: NewReadingListItem,
  now: number,
): Promise<ReadingListItem> {
  return (await addToReadingList(db, input, now)).item;
}

/**
 * The stored post at `url`, if a cheap lookup finds it. `posts` has no index on `url` (one
 * would cost every post write, for a rare save from a tab), so this asks the `[feedId+guid]`
 * index for a post of each followed blog whose guid is that URL: feeds without guids get the
 * link as guid, and most blogs use the permalink. A post with another guid is not found, and
 * the page is saved without reading time, as any other page.
 */
export async function findPostForUrl(db: DispatchDb, url: string): Promise<Post | undefined> {
  const feedIds = await db.feeds.toCollection().primaryKeys();
  if (feedIds.length === 0) return undefined;
  const candidates = await db.posts
    .where('[feedId+guid]')
    .anyOf(feedIds.map((feedId) => [feedId, url]))
    .toArray();
  return candidates.find((post) => post.url === url);
}

/**
 * Saves a page seen in a tab or a link: its title (capped), and when it is a stored post,
 * the post, its blog and its reading time, so opening it later marks the post read.
 */
export async function savePageToReadingList(
  db: DispatchDb,
  page: { url: string; title: string },
  now: number,
): Promise<SaveOutcome> {
  const post = await findPostForUrl(db, page.url);
  const source = post && (await db.feeds.get(post.feedId))?.title;
  const title = truncateText(page.title.trim() || post?.title || page.url, TITLE_MAX_LENGTH);
  return addToReadingList(
    db,
    {
      url: page.url,
      title,
      ...(post && { postId: post.id, minutes: post.minutes }),
      ...(source && { source }),
    },
    now,
  );
}

/** Every item in the user's order (finished ones included; the UI splits them). */
export function listReadingList(db: DispatchDb): Promise<ReadingListItem[]> {
  return readOrExplain(() => db.readingList.orderBy('position').toArray());
}

export async function finishReadingItem(db: DispatchDb, id: number, now: number): Promise<void> {
  await db.readingList.update(id, { doneAt: now });
}

/** Back among the items to read, at the place it had (its position never changed). */
export async function unfinishReadingItem(db: DispatchDb, id: number): Promise<void> {
  await db.readingList.update(id, { doneAt: 0 });
}

export async function removeReadingItem(db: DispatchDb, id: number): Promise<void> {
  await db.readingList.delete(id);
}

/**
 * Puts a removed item back exactly as it was (same id, position, dates and note). When the
 * same URL was saved again meanwhile, that entry stays and nothing is restored (false). When a
 * move has since given its position to another item, the list is renumbered in its order.
 */
export async function restoreReadingItem(db: DispatchDb, item: ReadingListItem): Promise<boolean> {
  return db.transaction('rw', db.readingList, async () => {
    const sameUrl = await db.readingList.where('url').equals(item.url).first();
    if (sameUrl && sameUrl.id !== item.id) return false;
    const samePlace = await db.readingList
      .where('position')
      .equals(item.position)
      .filter((other) => other.id !== item.id)
      .count();
    await db.readingList.put(item);
    if (samePlace > 0) await renumber(db, await inOrder(db));
    return true;
  });
}

/**
 * Sets or clears an item's note: one line (line breaks become spaces), trimmed, at most
 * {@link NOTE_MAX_LENGTH} characters; an empty note removes it.
 */
export async function setReadingNote(db: DispatchDb, id: number, note: string): Promise<string> {
  const text = cleanNote(note);
  await db.readingList.update(id, { note: text || undefined });
  return text;
}

/** A note as stored: one line of text, trimmed and capped. */
export function cleanNote(note: string): string {
  return truncateText(note.replace(/\s+/g, ' ').trim(), NOTE_MAX_LENGTH);
}

/**
 * Moves an item to `toIndex` (0-based, clamped) among the items of its own list — the ones
 * still to read, or the finished ones — in one transaction. Answers where it ended up, or
 * undefined when the item is gone.
 */
export async function moveReadingItemTo(
  db: DispatchDb,
  id: number,
  toIndex: number,
): Promise<MoveOutcome | undefined> {
  return db.transaction('rw', db.readingList, async () => {
    const found = await findInOwnList(db, id);
    if (!found) return undefined;
    const { all, item, group, index: from } = found;
    const others = group.filter((candidate) => candidate !== item);
    const to = Math.min(Math.max(Math.trunc(toIndex) || 0, 0), others.length);
    const outcome = { index: to, count: group.length };
    if (to === from) return outcome;

    // The new place in the whole list: just before the item that will follow it in its own
    // list, else just after the one that will precede it.
    const rest = all.filter((candidate) => candidate !== item);
    const next = others[to];
    const previous = others[to - 1];
    const at = next ? rest.indexOf(next) : rest.indexOf(previous!) + 1;
    const position = between(rest[at - 1]?.position, rest[at]?.position);
    if (position !== undefined) {
      await db.readingList.update(id, { position });
    } else {
      rest.splice(at, 0, item);
      await renumber(db, rest);
    }
    return outcome;
  });
}

/** Swaps an item with its neighbour above (-1) or below (+1) in its own list; no-op at either end. */
export async function moveReadingItem(
  db: DispatchDb,
  id: number,
  direction: -1 | 1,
): Promise<MoveOutcome | undefined> {
  return db.transaction('rw', db.readingList, async () => {
    const found = await findInOwnList(db, id);
    if (!found) return undefined;
    const { group, index } = found;
    const to = index + direction;
    if (to < 0 || to >= group.length) return { index, count: group.length };
    return moveReadingItemTo(db, id, to);
  });
}

/** The whole list in order, the item, and its own list (to read, or finished) with its place. */
async function findInOwnList(db: DispatchDb, id: number) {
  const all = await inOrder(db);
  const item = all.find((candidate) => candidate.id === id);
  if (!item) return undefined;
  const group = all.filter((candidate) => isFinished(candidate) === isFinished(item));
  return { all, item, group, index: group.indexOf(item) };
}

function isFinished(item: ReadingListItem): boolean {
  return item.doneAt !== 0;
}

function inOrder(db: DispatchDb): Promise<ReadingListItem[]> {
  return db.readingList.orderBy('position').toArray();
}

/**
 * A position strictly between two neighbours (either may be missing at an end), or undefined
 * when there is no such number left between them.
 */
function between(before: number | undefined, after: number | undefined): number | undefined {
  if (before === undefined && after === undefined) return 1;
  if (before === undefined) return after! - 1;
  if (after === undefined) return before + 1;
  const middle = before + (after - before) / 2;
  return middle > before && middle < after ? middle : undefined;
}

/** Gives `items` the positions 1, 2, 3… in the order given, writing only those that change. */
async function renumber(db: DispatchDb, items: ReadingListItem[]): Promise<void> {
  const changes = items
    .map((item, index) => ({ key: item.id, changes: { position: index + 1 } }))
    .filter(({ changes }, index) => items[index]!.position !== changes.position);
  if (changes.length > 0) await db.readingList.bulkUpdate(changes);
}

/**
 * How a saved title is quoted in a message: short, in typographic quotes, without bidi
 * controls (a message is one line of text; an override in a title must not reorder the words
 * around it, D37).
 */
export function quoteTitle(item: { title: string; url: string }): string {
  return `“${truncateText(withoutBidiControls(item.title).trim() || item.url, 60)}”`;
}

/**
 * The words for a save, the same from the popup and the context menu: "Saved “…” to your
 * reading list." or, when the URL was there already, "Already in your reading list: “…”."
 */
export function describeSave({ item, added }: SaveOutcome): string {
  return added
    ? `Saved ${quoteTitle(item)} to your reading list.`
    : `Already in your reading list: ${quoteTitle(item)}${item.doneAt !== 0 ? ' (finished)' : ''}.`;
}

/** Why a page with another scheme (chrome:, file:, about:…) is not saved. */
export const NOT_A_WEB_PAGE =
  'Only web pages (http or https addresses) can be saved to the reading list.';
