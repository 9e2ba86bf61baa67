/**
 * Restoring a reading list from a file (`parseReadingListExport`): merged by URL, in one
 * transaction, so importing the same file twice, or a file made on another device, never
 * duplicates an entry. Loaded with the export code, only when an import is asked for.
 */
import type { DispatchDb } from '@/utils/db/db';
import type { ReadingListItem } from '@/utils/db/types';
import type { ImportedItem } from './reading-list';

export interface ImportOutcome {
  /** Items written. */
  added: number;
  /** Items whose URL was already in the list (or twice in the file): left as they are. */
  skipped: number;
}

/**
 * Adds the items whose URL is not in the list yet, in the file's order, after the items already
 * there. Into an empty list, a file's own ids and positions are kept, so restoring an export
 * gives back the very records it was made from; merged into a list, items get new ids. A
 * `postId` is kept only when this database holds that post at that same address (ids from
 * another device mean other posts). Missing dates become `now` (saved) and 0 (not finished).
 */
export async function importReadingList(
  db: DispatchDb,
  items: readonly ImportedItem[],
  now: number,
): Promise<ImportOutcome> {
  return db.transaction('rw', db.readingList, db.posts, async () => {
    const existing = await db.readingList.orderBy('position').toArray();
    const urls = new Set(existing.map((item) => item.url));
    const restoring = existing.length === 0;
    /** Ids of the file given to records so far (a hand-edited file may repeat one). */
    const takenIds = new Set<number>();
    const fresh: ImportedItem[] = [];
    for (const item of items) {
      if (urls.has(item.url)) continue;
      urls.add(item.url);
      fresh.push(item);
    }
    const skipped = items.length - fresh.length;
    if (fresh.length === 0) return { added: 0, skipped };

    const postIds = fresh.flatMap((item) => (item.postId === undefined ? [] : [item.postId]));
    const posts = await db.posts.bulkGet(postIds);
    const samePost = new Set(posts.map((post) => post && `${post.id} ${post.url}`));

    // A file's positions are kept only into an empty list and when they give a clear order.
    const given = fresh.map((item) => item.position);
    const keepPositions =
      restoring &&
      given.every((position) => position !== undefined) &&
      new Set(given).size === given.length;
    const ordered = keepPositions ? [...fresh].sort((a, b) => a.position! - b.position!) : fresh;
    let next = (existing.at(-1)?.position ?? 0) + 1;

    const records = ordered.map((item) => {
      const { id, postId, position, addedAt, doneAt, ...rest } = item;
      const keepId = restoring && id !== undefined && !takenIds.has(id);
      if (keepId) takenIds.add(id);
      const record: Omit<ReadingListItem, 'id'> & { id?: number } = {
        ...rest,
        ...(keepId && { id }),
        ...(postId !== undefined && samePost.has(`${postId} ${item.url}`) && { postId }),
        addedAt: addedAt ?? now,
        position: keepPositions ? position! : next++,
        doneAt: doneAt ?? 0,
      };
      return record;
    });
    // Records with their own ids first: a generated id is then above all of them.
    const hasId = (record: { id?: number }) => record.id !== undefined;
    await db.readingList.bulkAdd(records.filter(hasId) as ReadingListItem[]);
    await db.readingList.bulkAdd(records.filter((record) => !hasId(record)) as ReadingListItem[]);
    return { added: records.length, skipped };
  });
}
