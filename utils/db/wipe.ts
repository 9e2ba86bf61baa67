/**
 * "Delete everything" (issue 5): the operation; asking for confirmation is the options page's.
 *
 * The tables are cleared, not the database deleted: the worker and any open popup hold
 * connections to it, and `indexedDB.deleteDatabase` waits (blocked) until every one closes,
 * while their `liveQuery` subscriptions would break. Cleared tables are seen by every
 * subscriber at once, and the schema stays, so the next subscription works as on a new install.
 */
import { browser } from 'wxt/browser';
import type { DispatchDb } from './db';

/**
 * Deletes every record (blogs, posts, reading list, counters, holds) in one transaction, every
 * setting, the session records and Dispatch's synced copy in `storage.sync`.
 *
 * `storage.sync` is cleared whole: each extension has its own sync area, so everything in it
 * is Dispatch's. Other browsers keep their own data (and, with sync on there, write their
 * copy again). A poll in flight writes nothing afterwards (`writePoll` checks that its blog
 * still exists). Settings read as their defaults from then on, sync included (off).
 */
export async function deleteEverything(db: DispatchDb): Promise<void> {
  await db.transaction('rw', db.tables, async () => {
    await Promise.all(db.tables.map((table) => table.clear()));
  });
  await browser.storage.local.clear();
  // `storage.session` exists from Chrome 102 and Firefox 115; older Firefox has nothing to clear.
  await browser.storage.session?.clear();
  await browser.storage.sync.clear();
}
