/**
 * This browser's side of sync: its state in the document's terms ({@link readLocal}), change
 * times for what changed since the last sync ({@link stampLocal}), and a merged document
 * written to the database and the settings ({@link applyDoc}).
 *
 * The database keeps no change times, so a change is found by comparing the state now with
 * the state as of the last sync (kept in `storage.local`): an entry that differs is stamped
 * with the current time, one that disappeared becomes a tombstone. A read keeps its own time
 * (`readAt`); a post marked unread is stamped when sync notices it (pages send `syncNow`
 * after each change, so within seconds; the poll tick otherwise): an unread in one browser
 * wins over a read in another when it was noticed later than that read happened.
 */
import type { DispatchDb } from '@/utils/db/db';
import { addFeed, feedIdentityKey, removeFeed } from '@/utils/db/feeds';
import { markRead, markUnread } from '@/utils/db/posts';
import { findPostForUrl } from '@/utils/db/reading-list';
import { ALL_CATEGORIES, type Feed, type ReadingListItem } from '@/utils/db/types';
import { SETTINGS, type Setting } from '@/utils/settings';
import {
  emptyDoc,
  feedValue,
  packExtractor,
  postKey,
  readingValue,
  sameValue,
  toSeconds,
  unpackExtractor,
  type Entry,
  type FeedValue,
  type ReadingValue,
  type SyncDoc,
} from './doc';

/** A storage area as sync uses it: `browser.storage.local` / `.sync`, or a fake in tests. */
export interface Area {
  get(keys?: string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/**
 * How many of the most recently read posts each sync compares: more than the synced copy can
 * hold (~6,500), read through an index without loading the posts.
 */
export const READ_WINDOW = 7_000;

/** The settings sync carries: all but `syncEnabled` (each browser opts in on its own). */
export const SYNCED_SETTINGS = (Object.entries(SETTINGS) as [string, Setting<unknown>][]).filter(
  ([name]) => name !== 'syncEnabled',
);

/** This browser now: the document's entries (unstamped, `t` 0; reads at their `readAt`). */
export interface LocalState {
  doc: SyncDoc;
  feeds: Feed[];
  reading: ReadingListItem[];
  /** Identity keys of the earlier URLs of followed feeds (a blog may be synced under them). */
  covered: Set<string>;
  /** Ids of the read posts in `doc.reads`, by key. */
  readIds: Map<string, number>;
}

const keyOfUrl = (url: string): string | undefined => {
  try {
    return feedIdentityKey(url);
  } catch {
    return undefined;
  }
};

const localFeedValue = (f: Feed): FeedValue =>
  feedValue({
    url: f.url,
    title: f.title,
    tags: f.tags,
    notify: f.notify,
    interval: f.intervalMinutes,
    aliases: f.aliases,
    listing: f.listing && packExtractor(f.listing.extractor),
  });

const localReadingValue = (item: ReadingListItem): ReadingValue =>
  readingValue({
    title: item.title,
    addedAt: toSeconds(item.addedAt),
    position: item.position,
    doneAt: toSeconds(item.doneAt),
    note: item.note,
    minutes: item.minutes,
    source: item.source,
  });

/**
 * Reads this browser's blogs, reading list and settings (small: read whole); `doc.reads` and
 * `readIds` stay empty until {@link readReads}.
 */
export async function readLocal(db: DispatchDb, local: Area): Promise<LocalState> {
  const [feeds, reading, stored] = await Promise.all([
    db.feeds.toArray(),
    db.readingList.toArray(),
    local.get(SYNCED_SETTINGS.map(([, s]) => s.key)),
  ]);
  const doc = emptyDoc();
  const covered = new Set<string>();
  for (const feed of feeds) {
    const key = keyOfUrl(feed.url);
    if (!key) continue;
    doc.feeds.set(key, { t: 0, v: localFeedValue(feed) });
    for (const alias of feed.aliases) covered.add(keyOfUrl(alias) ?? '');
  }
  for (const item of reading) doc.reading.set(item.url, { t: 0, v: localReadingValue(item) });
  for (const [name, setting] of SYNCED_SETTINGS) {
    const value = stored[setting.key];
    doc.settings.set(name, { t: 0, v: setting.isValid(value) ? value : setting.defaultValue });
  }
  return { doc, feeds, reading, covered, readIds: new Map() };
}

/**
 * A fingerprint of `state` (from {@link readLocal}) and of the read states, from a few reads:
 * the highest post id (new posts), the newest read post (one key of `[readAt+publishedAt]`:
 * a post read since, its `readAt` being now) and each blog's unread counter (a post marked
 * unread, or read with an earlier time). Equal fingerprints mean nothing to sync here, but
 * for what leaves them all equal: in one blog, a post marked unread and another marked read
 * with a time before the newest read (only a restore or sync itself writes such times), or a
 * change a wrong counter hides (they stop at 0). Pages send `syncNow` after their changes: a
 * full cycle, whatever the fingerprint.
 */
export async function markLocal(
  db: DispatchDb,
  state: LocalState,
): Promise<{ mark: string; maxPostId: number }> {
  let newest: unknown[] = [];
  const [maxPostId, counts] = await Promise.all([
    db.posts.toCollection().lastKey() as Promise<number | undefined>,
    db.unreadCounts.bulkGet(state.feeds.map((feed): [number, string] => [feed.id, ALL_CATEGORIES])),
    db.posts
      .where('[readAt+publishedAt]')
      .above([0, Infinity])
      .reverse()
      .limit(1)
      .eachKey((key, cursor) => {
        newest = [key, cursor.primaryKey];
      }),
  ]);
  const { feeds, reading, settings } = state.doc;
  const text = JSON.stringify([
    [...feeds, ...reading, ...settings],
    state.feeds.map((feed, i) => [feed.id, counts[i]?.unread ?? 0]),
    newest,
    maxPostId ?? 0,
  ]);
  return { mark: postKey('', text), maxPostId: maxPostId ?? 0 };
}

/**
 * Adds the read states of the {@link READ_WINDOW} most recently read posts to `state`.
 * `knownIds` (key by post id, from the last sync) spares loading the posts already keyed:
 * only posts read since are loaded, to hash their feed and guid.
 */
export async function readReads(
  db: DispatchDb,
  state: LocalState,
  knownIds: ReadonlyMap<string, number>,
): Promise<void> {
  const feedKeys = new Map(state.feeds.map((feed) => [feed.id, keyOfUrl(feed.url)]));
  const recent: [id: number, readAt: number][] = [];
  await db.posts
    .where('[readAt+publishedAt]')
    .above([0, Infinity])
    .reverse()
    .limit(READ_WINDOW)
    .eachKey((key, cursor) => {
      recent.push([cursor.primaryKey as number, (key as [number, number])[0]]);
    });
  const keyOfId = new Map([...knownIds].map(([key, id]) => [id, key]));
  const unknown = recent.map(([id]) => id).filter((id) => !keyOfId.has(id));
  if (unknown.length > 0) {
    for (const post of await db.posts.bulkGet(unknown)) {
      const feedKey = post && feedKeys.get(post.feedId);
      if (feedKey) keyOfId.set(post.id, postKey(feedKey, post.guid));
    }
  }
  for (const [id, readAt] of recent) {
    const key = keyOfId.get(id);
    if (!key || state.readIds.has(key)) continue;
    state.readIds.set(key, id);
    state.doc.reads.set(key, { t: toSeconds(readAt), read: true });
  }
}

/**
 * This browser's document: entries unchanged since the last sync (`base`) keep their time,
 * changed ones get `now`, removed ones become tombstones (with the keys of the removed blog's
 * earlier URLs). With no base (this browser's first sync), an entry the synced `copy` also
 * has gets time 0, so the copy wins (a browser joins the setup the others share), and one it
 * lacks is added. `changed` says whether anything differs from `base`.
 */
export async function stampLocal(
  db: DispatchDb,
  state: LocalState,
  base: { doc: SyncDoc; ids: ReadonlyMap<string, number> } | undefined,
  copy: SyncDoc,
  now: number,
): Promise<{ doc: SyncDoc; changed: boolean }> {
  const before = base?.doc ?? emptyDoc();
  const doc = emptyDoc();
  let changed = false;

  const section = <V>(
    current: Map<string, Entry<V>>,
    previous: Map<string, Entry<V>>,
    out: Map<string, Entry<V>>,
    inCopy: Map<string, unknown>,
    isCovered: (key: string) => boolean = () => false,
    removedKeys: (value: V) => string[] = () => [],
  ) => {
    for (const [key, { v }] of current) {
      const last = previous.get(key);
      const same = last?.v !== undefined && sameValue(last.v, v);
      out.set(key, same ? last : { t: base || !inCopy.has(key) ? now : 0, v });
      changed ||= !same;
    }
    for (const [key, last] of previous) {
      if (current.has(key) || out.has(key)) continue;
      if (!last.v || isCovered(key)) {
        out.set(key, last);
        continue;
      }
      changed = true;
      for (const gone of [key, ...removedKeys(last.v)]) {
        if (!current.has(gone) && !state.covered.has(gone)) out.set(gone, { t: now });
      }
    }
  };
  section(
    state.doc.feeds,
    before.feeds,
    doc.feeds,
    copy.feeds,
    (key) => state.covered.has(key),
    (v) => (v.aliases ?? []).map((url) => keyOfUrl(url) ?? ''),
  );
  section(state.doc.reading, before.reading, doc.reading, copy.reading);
  section(state.doc.settings, before.settings, doc.settings, copy.settings);

  for (const [key, read] of state.doc.reads) {
    const last = before.reads.get(key);
    doc.reads.set(key, last?.read ? last : read);
    changed ||= !last?.read;
  }
  // Read at the last sync and not among the recent reads now: marked unread, or only older
  // than the window (still read: left out), or removed with its blog (left out).
  const missing = [...before.reads].filter(([key]) => !state.doc.reads.has(key));
  const ids = missing.map(([key, last]) => (last.read ? (base?.ids.get(key) ?? -1) : -1));
  const posts = ids.some((id) => id >= 0) ? await db.posts.bulkGet(ids) : [];
  missing.forEach(([key, last], i) => {
    if (!last.read) doc.reads.set(key, last);
    else if (posts[i]?.readAt === 0) {
      doc.reads.set(key, { t: now, read: false });
      changed = true;
    }
  });
  return { doc, changed };
}

/** What {@link applyDoc} did. */
export interface Applied {
  /**
   * The entries this browser now agrees with (written, or already so), with their synced
   * times: laid over the local document, they make the new base.
   */
  agreed: SyncDoc;
  /** Ids of read posts among `agreed.reads`, by key. */
  readIds: Map<string, number>;
  /** Whether a blog or a read state changed (the badge needs a refresh). */
  countsChanged: boolean;
}

export interface ApplyContext {
  db: DispatchDb;
  local: Area;
  /** Milliseconds, for a blog added from the synced copy. */
  nowMs: number;
  /** The copy as of the last sync: read states there were looked for then. */
  seen: SyncDoc;
  /** The highest post id at the last sync: posts above it are new since, and looked at. */
  seenMaxPostId: number;
}

/**
 * Makes this browser agree with `merged`: blogs added (due for polling at once; when host
 * access to a new origin is missing, that poll records "no access" with its repair path, as
 * for any blog), updated or removed (`removeFeed`: the reading list stays); a blog followed
 * through its listing page comes with its extractor, checked (`unpackExtractor`): one that
 * does not pass leaves the blog as it is here (not added, not changed), and a changed one
 * replaces the extractor of a listing blog here (its drift cleared: the next poll judges the
 * page with it). A feed here never becomes a listing blog, nor the other way. Reading-list items
 * added, updated or removed by URL; settings written when valid here; read states set on the
 * posts that match (`markRead`/`markUnread` keep the counters right). A blog followed here
 * under an earlier URL is not added twice.
 */
export async function applyDoc(
  merged: SyncDoc,
  state: LocalState,
  { db, local, nowMs, seen, seenMaxPostId }: ApplyContext,
): Promise<Applied> {
  const agreed = emptyDoc();
  let countsChanged = false;

  const own = new Map<string, Feed>();
  const cover = new Set(state.covered);
  for (const feed of state.feeds) {
    const key = keyOfUrl(feed.url);
    if (key) own.set(key, feed);
    cover.add(key ?? '');
  }
  for (const [key, entry] of merged.feeds) {
    const feed = own.get(key);
    const v = entry.v;
    if (!v) {
      if (feed) await removeFeed(db, feed.id);
      countsChanged ||= !!feed;
      agreed.feeds.set(key, entry);
      continue;
    }
    const extractor = v.listing === undefined ? undefined : unpackExtractor(v.listing);
    // Written by another version, damaged or doctored: not applied, and not agreed to (the
    // copy keeps it as it is, so no browser rewrites it back and forth).
    if (typeof extractor === 'string') continue;
    const listing = extractor && { extractor, lastCount: extractor.count };
    const fields = { title: v.title, tags: v.tags, notify: v.notify, intervalMinutes: v.interval };
    if (feed) {
      const relearned =
        !!feed.listing &&
        !!extractor &&
        !sameValue(packExtractor(extractor), packExtractor(feed.listing.extractor));
      const next = { ...fields, ...(relearned && { listing }) };
      if (!sameValue(localFeedValue({ ...feed, ...next }), localFeedValue(feed))) {
        await db.feeds.update(feed.id, next);
        countsChanged = true;
      }
      // The local spelling of the URL stays (polls keep it): agreeing with the rest is enough.
      agreed.feeds.set(key, { t: entry.t, v: localFeedValue({ ...feed, ...next }) });
      continue;
    }
    if (cover.has(key) || v.aliases?.some((url) => cover.has(keyOfUrl(url) ?? ''))) continue;
    // `addFeed` stores the fields it is given: a listing blog is one from its first poll.
    const input = { url: v.url, title: v.title, ...(listing && { listing }) };
    const added = await addFeed(db, input, nowMs);
    await db.feeds.update(added.id, { ...fields, aliases: v.aliases ?? [] });
    own.set(key, added);
    cover.add(key);
    for (const url of v.aliases ?? []) cover.add(keyOfUrl(url) ?? '');
    agreed.feeds.set(key, entry);
  }

  const byUrl = new Map(state.reading.map((item) => [item.url, item]));
  for (const [url, entry] of merged.reading) {
    const item = byUrl.get(url);
    const v = entry.v;
    agreed.reading.set(url, entry);
    if (!v) {
      if (item) await db.readingList.delete(item.id);
      continue;
    }
    const fields = {
      title: v.title,
      position: v.position,
      note: v.note,
      minutes: v.minutes,
      source: v.source,
    };
    if (!item) {
      const post = await findPostForUrl(db, url);
      await db.readingList.add({
        url,
        ...fields,
        addedAt: v.addedAt * 1000,
        doneAt: v.doneAt * 1000,
        ...(post && { postId: post.id }),
      } as ReadingListItem);
    } else if (!sameValue(localReadingValue(item), v)) {
      // Times are kept to the second in the copy: a local time in the same second stays.
      const same = (ms: number, s: number) => toSeconds(ms) === s;
      await db.readingList.update(item.id, {
        ...fields,
        ...(!same(item.addedAt, v.addedAt) && { addedAt: v.addedAt * 1000 }),
        ...(!same(item.doneAt, v.doneAt) && { doneAt: v.doneAt * 1000 }),
      });
    }
  }

  const settings: Record<string, unknown> = {};
  for (const [name, setting] of SYNCED_SETTINGS) {
    const entry = merged.settings.get(name);
    if (!entry || !setting.isValid(entry.v)) continue;
    if (!sameValue(state.doc.settings.get(name)?.v, entry.v)) settings[setting.key] = entry.v;
    agreed.settings.set(name, entry);
  }
  if (Object.keys(settings).length > 0) await local.set(settings);

  const readIds = new Map<string, number>();
  const toUnread: number[] = [];
  const pending = new Map<string, number>();
  for (const [key, read] of merged.reads) {
    const id = state.readIds.get(key);
    if (read.read && id === undefined) {
      pending.set(key, read.t);
      continue;
    }
    if (!read.read && id !== undefined) toUnread.push(id);
    if (read.read) readIds.set(key, id!);
    agreed.reads.set(key, read);
  }
  const found = await findPosts(db, pending, seen, seenMaxPostId);
  const byTime = new Map<number, number[]>();
  for (const [key, id] of found) {
    const t = pending.get(key)!;
    byTime.set(t, [...(byTime.get(t) ?? []), id]);
    readIds.set(key, id);
    agreed.reads.set(key, { t, read: true });
  }
  if (byTime.size > 0 || toUnread.length > 0) {
    await db.transaction('rw', db.posts, db.unreadCounts, async () => {
      // Each call runs: `||=` would skip the writes once something changed.
      let written = (await markUnread(db, toUnread)).length;
      for (const [t, ids] of byTime) written += (await markRead(db, ids, t * 1000)).length;
      countsChanged ||= written > 0;
    });
  }
  return { agreed, readIds, countsChanged };
}

/**
 * The local posts that synced read states name, by key. Hashing every post's feed and guid
 * takes one pass over the `[feedId+guid]` index (keys only); it is made only when the copy
 * names posts it did not name at the last sync. Otherwise only posts stored since are looked at.
 */
async function findPosts(
  db: DispatchDb,
  pending: Map<string, number>,
  seen: SyncDoc,
  seenMaxPostId: number,
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (pending.size === 0) return found;
  const feedKeys = new Map(
    (await db.feeds.toArray()).map((feed) => [feed.id, keyOfUrl(feed.url) ?? '']),
  );
  const consider = (feedId: number, guid: string, id: number) => {
    const key = postKey(feedKeys.get(feedId) ?? '', guid);
    if (pending.has(key)) found.set(key, id);
  };
  const isNew = [...pending.keys()].some((key) => !seen.reads.get(key)?.read);
  if (isNew) {
    await db.posts.orderBy('[feedId+guid]').eachKey((key, cursor) => {
      const [feedId, guid] = key as [number, string];
      consider(feedId, guid, cursor.primaryKey as number);
    });
  } else {
    const posts = await db.posts.where('id').above(seenMaxPostId).toArray();
    for (const post of posts) consider(post.feedId, post.guid, post.id);
  }
  return found;
}
