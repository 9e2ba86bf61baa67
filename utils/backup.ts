/**
 * Full JSON backup and restore (issue 5): the blogs, every post's read state, the reading list
 * and the settings, in one versioned file that this or another browser's Dispatch restores.
 *
 * The file holds what the user would miss, and not what the next poll rebuilds: no post bodies
 * (the feed sends them again; a post takes about 0.55 KB, mostly its capped summary, so
 * 50,000 posts make a file of about 27 MB), no ids (they are
 * this database's; posts are named by their blog's address and their guid, which is what
 * identifies them anyway), and no poll state. Conditional GET validators (`etag`,
 * `lastModified`) are left out on purpose: restored onto an emptied database they would make
 * the first poll answer 304 Not Modified and fetch nothing, so posts the feed still carries
 * but the backup lacks would never come. Errors, backoff, request counts and the publishing
 * rhythm are the state of one browser's polling, stale anywhere else.
 *
 * Reading a file (`parseBackup`) checks every field before anything is written and says in
 * words what is wrong, so a foreign or damaged file changes nothing. Restoring merges
 * (`utils/db/restore.ts`): nothing the user has is replaced or lost.
 *
 * A blog followed through its listing page (issue 6) keeps its extractor (`listing`), checked
 * on the way in like every field (`checkExtractor`); its drift and last count are the state of
 * one browser's polling and are left out. The format stays version 1: the fields issue 6 added
 * (`listing` on a blog, `siteMinutes` and `articleCounted` on a post) are optional, so every
 * older file reads as before. An older Dispatch that restores a newer file ignores `listing`
 * and shows such a blog's page as "not a feed" on its first poll, rather than refusing the
 * whole file.
 *
 * Depends on: the database, the settings registry (`utils/settings.ts`).
 */
import { browser } from 'wxt/browser';
import type { DispatchDb } from '@/utils/db/db';
import { isPlausibleDate } from '@/utils/db/posts';
import { TITLE_MAX_LENGTH } from '@/utils/db/reading-list';
import { restoreRecords, type RestoredCounts } from '@/utils/db/restore';
import type { Feed, FollowedListing, Post, ReadingListItem } from '@/utils/db/types';
import { EXPORT_FORMAT as READING_LIST_FORMAT } from '@/utils/export/reading-list';
import type { FeedFormat } from '@/utils/feed/types';
import { checkExtractor } from '@/utils/listing/validate';
import {
  AUTHOR_MAX_CHARS,
  CATEGORY_MAX_CHARS,
  MAX_CATEGORIES,
  SUMMARY_MAX_CHARS,
  TITLE_MAX_CHARS,
} from '@/utils/poll/to-posts';
import { plural } from '@/utils/format';
import { readSettings, SETTINGS, type Setting, type SettingValues } from '@/utils/settings';
import { truncateText } from '@/utils/text';
import { parseWebAddress, safeHttpUrl } from '@/utils/url';

export const BACKUP_FORMAT = 'dispatch-backup';
export const BACKUP_VERSION = 1;

/** A blog as backed up: what the user chose or would miss, no poll state. */
export type BackupFeed = Pick<Feed, 'url' | 'aliases' | 'title' | 'addedAt' | 'status'> &
  Partial<Pick<Feed, 'siteUrl' | 'kind' | 'notify' | 'intervalMinutes' | 'tags'>> & {
    /**
     * A blog followed through its listing page: what to read there. Restored with a last count
     * of the extractor's own `count` and no drift: the first poll judges the page afresh.
     */
    listing?: BackupListing;
  };

/** A listing blog's extractor, without the poll state of `FollowedListing`. */
export type BackupListing = Pick<FollowedListing, 'extractor'>;

/** A post as backed up: no id, no body, no derived index fields; its blog by address. */
export type BackupPost = Omit<Post, 'id' | 'feedId' | 'sectionKeys' | 'terms'> & {
  /** The `url` of its blog in `feeds`. */
  feedUrl: string;
};

/** Names a post across databases: its blog's address and its guid. */
export interface PostReference {
  feedUrl: string;
  guid: string;
}

/**
 * A reading-list item as backed up: every field but its id, and the post it was saved from
 * named by {@link PostReference} instead of this database's post id.
 */
export type BackupReadingItem = Omit<ReadingListItem, 'id' | 'postId'> & {
  post?: PostReference;
};

/** The file: versioned, every field the user would miss. */
export interface Backup {
  format: typeof BACKUP_FORMAT;
  version: number;
  /** When it was made (ISO 8601, UTC). */
  exportedAt: string;
  app: 'Dispatch';
  /** In the order they were added. */
  feeds: BackupFeed[];
  /** In the order they were stored. */
  posts: BackupPost[];
  /** In the user's order, finished items included. */
  readingList: BackupReadingItem[];
  /**
   * Settings by name (`SETTINGS`). Checked only when restored, each by its own validator: a
   * value that is not valid is skipped and reported, never fatal.
   */
  settings: Partial<Record<keyof SettingValues, unknown>>;
}

export type ParsedBackup = { ok: true; backup: Backup } | { ok: false; message: string };

export interface RestoreSummary {
  feeds: number;
  posts: number;
  readingList: number;
  settings: number;
  /** In words, for the options page: "Restored 3 blogs, 120 posts, 8 reading-list items and your settings." */
  message: string;
}

/** Everything a backup holds, read from the database and the settings. */
export async function createBackup(db: DispatchDb, now: number): Promise<Backup> {
  const { feeds, posts, readingList } = await db.transaction(
    'r',
    db.feeds,
    db.posts,
    db.readingList,
    async () => ({
      feeds: await db.feeds.orderBy('id').toArray(),
      posts: await db.posts.toArray(),
      readingList: await db.readingList.orderBy('position').toArray(),
    }),
  );
  const feedUrl = new Map(feeds.map((feed) => [feed.id, feed.url]));
  const postRef = new Map<number, PostReference>();
  const backupPosts: BackupPost[] = [];
  for (const post of posts) {
    const url = feedUrl.get(post.feedId);
    // A post whose blog is gone (it cannot happen through the repositories) has no home.
    if (url === undefined) continue;
    postRef.set(post.id, { feedUrl: url, guid: post.guid });
    const { id: _id, feedId: _feedId, sectionKeys: _keys, terms: _terms, ...rest } = post;
    backupPosts.push({ feedUrl: url, ...rest });
  }
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: new Date(now).toISOString(),
    app: 'Dispatch',
    feeds: feeds.map(backupFeed),
    posts: backupPosts,
    readingList: readingList.map(({ id: _id, postId, ...item }) => {
      const post = postId === undefined ? undefined : postRef.get(postId);
      return { ...item, ...(post && { post }) };
    }),
    settings: await readSettings(),
  };
}

function backupFeed(feed: Feed): BackupFeed {
  return {
    url: feed.url,
    aliases: [...feed.aliases],
    ...(feed.siteUrl !== undefined && { siteUrl: feed.siteUrl }),
    title: feed.title,
    ...(feed.kind !== undefined && { kind: feed.kind }),
    addedAt: feed.addedAt,
    status: feed.status,
    ...(feed.notify !== undefined && { notify: feed.notify }),
    ...(feed.intervalMinutes !== undefined && { intervalMinutes: feed.intervalMinutes }),
    ...(feed.tags !== undefined && { tags: [...feed.tags] }),
    ...(feed.listing && { listing: { extractor: structuredClone(feed.listing.extractor) } }),
  };
}

/**
 * The file as text, as it is downloaded: one line of JSON. Indented, 50,000 posts took 33 MB
 * instead of 27 MB (the bench), for a file people restore rather than read.
 */
export function serializeBackup(backup: Backup): string {
  return `${JSON.stringify(backup)}\n`;
}

/** "dispatch-backup-2026-11-29.json". */
export function backupFileName(now: number): string {
  return `dispatch-backup-${new Date(now).toISOString().slice(0, 10)}.json`;
}

/** A damaged part of the file; becomes the `message` of a refused {@link ParsedBackup}. */
class BackupFileError extends Error {
  override name = 'BackupFileError';
}

/** A post's reading time beyond this many minutes (a week of reading) is not a real one. */
export const MAX_POST_MINUTES = 10_000;

/**
 * Reads and validates a backup file; a bad or foreign file gives a message in words: not
 * JSON (an OPML file is named as such), another app's JSON, a reading-list export, a backup
 * from a newer Dispatch, or which field of which entry is damaged. Titles are capped as when
 * saving; addresses must be http(s), and a blog's without a user name or password (as an OPML
 * import requires); post dates must pass the store's rule ({@link isPlausibleDate}, against
 * `now`); a listing blog's extractor must pass `checkExtractor`. Only the settings Dispatch
 * knows are kept, copied by name, so keys such as `__proto__` in the file reach nothing.
 */
export function parseBackup(text: string, now: number = Date.now()): ParsedBackup {
  try {
    return { ok: true, backup: readBackup(text, now) };
  } catch (error) {
    if (error instanceof BackupFileError) return { ok: false, message: error.message };
    throw error;
  }
}

function readBackup(text: string, now: number): Backup {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (!body) throw new BackupFileError('This file is empty: it is not a Dispatch backup.');
  if (body.startsWith('<')) {
    throw new BackupFileError(
      /<opml[\s>/]/i.test(body.slice(0, 4096))
        ? 'This is an OPML file, not a Dispatch backup; use Import OPML.'
        : 'This is not a Dispatch backup: it is not JSON.',
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw new BackupFileError('This is not a Dispatch backup: it is not JSON.');
  }
  if (!isRecord(data)) {
    throw new BackupFileError('This is not a Dispatch backup: it holds no backup object.');
  }
  if (data.format === READING_LIST_FORMAT) {
    throw new BackupFileError(
      'This is a reading-list export, not a full backup; use Import on the reading list.',
    );
  }
  if (data.format !== BACKUP_FORMAT) {
    throw new BackupFileError(
      `This is not a Dispatch backup: it does not say "format": "${BACKUP_FORMAT}".`,
    );
  }
  if (!Number.isSafeInteger(data.version) || (data.version as number) < 1) {
    throw new BackupFileError('This backup is damaged: its "version" is not a version number.');
  }
  if ((data.version as number) > BACKUP_VERSION) {
    throw new BackupFileError(
      `This backup was made by a newer Dispatch (backup version ${String(data.version)}); this one reads version ${BACKUP_VERSION}. Update Dispatch, then restore it.`,
    );
  }
  const feeds = listOf(data, 'feeds').map((raw, index) => readFeed(raw, `Blog ${index + 1}`));
  const feedUrls = new Set(feeds.map((feed) => feed.url));
  const posts = listOf(data, 'posts').map((raw, index) =>
    readPost(raw, `Post ${index + 1}`, feedUrls, now),
  );
  const readingList = listOf(data, 'readingList').map((raw, index) =>
    readReadingItem(raw, `Reading-list item ${index + 1}`, feedUrls),
  );
  const rawSettings = data.settings ?? {};
  if (!isRecord(rawSettings)) {
    throw new BackupFileError('This backup is damaged: its "settings" is not a set of settings.');
  }
  // By name, own keys only: nothing else in the file (`__proto__`, `constructor`) is copied.
  const settings: Backup['settings'] = {};
  for (const name of Object.keys(SETTINGS) as (keyof SettingValues)[]) {
    if (Object.hasOwn(rawSettings, name)) settings[name] = rawSettings[name];
  }
  return {
    format: BACKUP_FORMAT,
    version: data.version as number,
    exportedAt: typeof data.exportedAt === 'string' ? data.exportedAt : '',
    app: 'Dispatch',
    feeds,
    posts,
    readingList,
    settings,
  };
}

/** A top-level list; absent reads as empty (a hand-made backup of only blogs restores). */
function listOf(data: Record<string, unknown>, field: string): unknown[] {
  const value = data[field] ?? [];
  if (!Array.isArray(value)) {
    throw new BackupFileError(`This backup is damaged: its "${field}" is not a list.`);
  }
  return value;
}

/** Checks one entry's fields, each by kind, naming the entry and field when one is wrong. */
class EntryReader {
  constructor(
    readonly raw: Record<string, unknown>,
    readonly name: string,
  ) {}

  damaged(why: string): BackupFileError {
    return new BackupFileError(`${this.name} of this backup is damaged: ${why}.`);
  }

  webAddress(field: string): string;
  webAddress(field: string, optional: true): string | undefined;
  webAddress(field: string, optional = false): string | undefined {
    const value = this.raw[field];
    if (value === undefined && optional) return undefined;
    const url = typeof value === 'string' ? safeHttpUrl(value) : undefined;
    if (!url) throw this.damaged(`its "${field}" is not a web (http or https) address`);
    // Stored as written: it is how posts and the reading list name this blog.
    return value as string;
  }

  /**
   * A blog's address: http(s) with a scheme, and no user name or password (`parseWebAddress`,
   * the rule of a typed address and an OPML import).
   */
  feedAddress(field: string): string;
  feedAddress(field: string, optional: true): string | undefined;
  feedAddress(field: string, optional = false): string | undefined {
    const value = this.raw[field];
    if (value === undefined && optional) return undefined;
    const problem = typeof value === 'string' ? feedAddressProblem(value) : 'not-web';
    if (problem === 'credentials') {
      throw this.damaged(
        `its "${field}" holds a user name or password, which Dispatch does not store`,
      );
    }
    if (problem) throw this.damaged(`its "${field}" is not a web (http or https) address`);
    // Stored as written: it is how posts and the reading list name this blog.
    return value as string;
  }

  /** A post's date: a number the store accepts ({@link isPlausibleDate}); `zero` if allowed. */
  date(field: string, now: number, zero = false): number {
    const value = this.number(field);
    if (!(zero && value === 0) && !isPlausibleDate(value, now)) {
      throw this.damaged(`its "${field}" is not a plausible date`);
    }
    return value;
  }

  optionalDate(field: string, now: number): number | undefined {
    return this.raw[field] === undefined ? undefined : this.date(field, now);
  }

  text(field: string, max = TITLE_MAX_LENGTH): string {
    const value = this.raw[field];
    if (typeof value !== 'string') throw this.damaged(`its "${field}" is not text`);
    return truncateText(value, max);
  }

  optionalText(field: string, max = TITLE_MAX_LENGTH): string | undefined {
    return this.raw[field] === undefined ? undefined : this.text(field, max);
  }

  number(field: string, isValid: (value: number) => boolean = isAmount): number {
    const value = this.raw[field];
    if (typeof value !== 'number' || !isValid(value)) {
      throw this.damaged(`its "${field}" is not a valid number`);
    }
    return value;
  }

  optionalNumber(field: string, isValid?: (value: number) => boolean): number | undefined {
    return this.raw[field] === undefined ? undefined : this.number(field, isValid);
  }

  boolean(field: string): boolean {
    const value = this.raw[field];
    if (typeof value !== 'boolean') throw this.damaged(`its "${field}" is not true or false`);
    return value;
  }

  optionalBoolean(field: string): boolean | undefined {
    return this.raw[field] === undefined ? undefined : this.boolean(field);
  }

  texts(field: string, max = TITLE_MAX_LENGTH): string[] {
    const value = this.raw[field];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw this.damaged(`its "${field}" is not a list of texts`);
    }
    return value.map((item: string) => truncateText(item, max));
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T {
    const value = this.raw[field];
    if (!values.includes(value as T)) {
      throw this.damaged(`its "${field}" is not one of ${values.join(', ')}`);
    }
    return value as T;
  }

  /** A reference to a blog of this backup, by its address. */
  feedUrl(field: string, feedUrls: ReadonlySet<string>): string {
    const value = this.raw[field];
    if (typeof value !== 'string' || !feedUrls.has(value)) {
      throw this.damaged(`its "${field}" names no blog of this backup`);
    }
    return value;
  }
}

function entry(raw: unknown, name: string): EntryReader {
  if (!isRecord(raw))
    throw new BackupFileError(`${name} of this backup is damaged: it is not an object.`);
  return new EntryReader(raw, name);
}

const FEED_KINDS: readonly FeedFormat[] = ['rss', 'atom', 'rdf', 'json'];

function readFeed(raw: unknown, name: string): BackupFeed {
  const read = entry(raw, name);
  const aliases = read.raw.aliases === undefined ? [] : read.texts('aliases', Infinity);
  const problems = new Set(aliases.map(feedAddressProblem));
  if (problems.has('not-web') || problems.has('invalid')) {
    throw read.damaged('its "aliases" are not all web (http or https) addresses');
  }
  if (problems.has('credentials')) {
    throw read.damaged('its "aliases" hold a user name or password, which Dispatch does not store');
  }
  const siteUrl = read.feedAddress('siteUrl', true);
  const kind = read.raw.kind === undefined ? undefined : read.oneOf('kind', FEED_KINDS);
  const notify = read.optionalBoolean('notify');
  const intervalMinutes = read.optionalNumber('intervalMinutes', isPositive);
  const tags = read.raw.tags === undefined ? undefined : read.texts('tags', 100);
  const listing = read.raw.listing === undefined ? undefined : readListing(read);
  if (listing && kind !== undefined) {
    throw read.damaged('it has both a feed "kind" and a "listing" page to follow');
  }
  return {
    url: read.feedAddress('url'),
    aliases,
    ...(siteUrl !== undefined && { siteUrl }),
    title: read.text('title'),
    ...(kind !== undefined && { kind }),
    addedAt: read.number('addedAt'),
    status: read.raw.status === undefined ? 'active' : read.oneOf('status', ['active', 'gone']),
    ...(notify !== undefined && { notify }),
    ...(intervalMinutes !== undefined && { intervalMinutes }),
    ...(tags !== undefined && { tags }),
    ...(listing && { listing }),
  };
}

/** A listing blog's extractor, checked as one from outside is (`checkExtractor`). */
function readListing(read: EntryReader): BackupListing {
  const listing = entry(read.raw.listing, `The "listing" of ${read.name.toLowerCase()}`);
  const extractor = checkExtractor(
    Object.hasOwn(listing.raw, 'extractor') ? listing.raw.extractor : undefined,
  );
  if (typeof extractor === 'string') {
    throw new BackupFileError(
      `${read.name} of this backup is damaged: its "listing" cannot be read. ${extractor}`,
    );
  }
  return { extractor };
}

function readPost(
  raw: unknown,
  name: string,
  feedUrls: ReadonlySet<string>,
  now: number,
): BackupPost {
  const read = entry(raw, name);
  const guid = read.text('guid', Infinity);
  if (!guid) throw read.damaged('its "guid" is empty');
  const url = read.webAddress('url', true);
  const summary = read.optionalText('summary', SUMMARY_MAX_CHARS);
  const author = read.optionalText('author', AUTHOR_MAX_CHARS);
  const updatedAt = read.optionalDate('updatedAt', now);
  const siteMinutes = read.optionalNumber('siteMinutes', isPostMinutes);
  const articleCounted = read.optionalBoolean('articleCounted');
  return {
    feedUrl: read.feedUrl('feedUrl', feedUrls),
    guid,
    ...(url !== undefined && { url }),
    title: read.text('title', TITLE_MAX_CHARS),
    ...(summary !== undefined && { summary }),
    ...(author !== undefined && { author }),
    categories: read.texts('categories', CATEGORY_MAX_CHARS).slice(0, MAX_CATEGORIES),
    publishedAt: read.date('publishedAt', now),
    firstSeenAt: read.date('firstSeenAt', now),
    ...(updatedAt !== undefined && { updatedAt }),
    words: read.number('words', isCount),
    minutes: read.number('minutes', isPostMinutes),
    minutesFromSummary: read.boolean('minutesFromSummary'),
    ...(siteMinutes !== undefined && { siteMinutes }),
    ...(articleCounted !== undefined && { articleCounted }),
    // 0: unread.
    readAt: read.date('readAt', now, true),
  };
}

function readReadingItem(
  raw: unknown,
  name: string,
  feedUrls: ReadonlySet<string>,
): BackupReadingItem {
  const read = entry(raw, name);
  const source = read.optionalText('source');
  const minutes = read.optionalNumber('minutes');
  const note = read.optionalText('note');
  let post: PostReference | undefined;
  if (read.raw.post !== undefined) {
    const ref = entry(read.raw.post, `The post of ${name.toLowerCase()}`);
    post = { feedUrl: ref.feedUrl('feedUrl', feedUrls), guid: ref.text('guid', Infinity) };
  }
  return {
    url: read.webAddress('url'),
    title: read.text('title'),
    ...(source !== undefined && { source }),
    ...(minutes !== undefined && { minutes }),
    addedAt: read.number('addedAt'),
    position: read.number('position', Number.isFinite),
    doneAt: read.number('doneAt'),
    ...(note !== undefined && { note }),
    ...(post && { post }),
  };
}

/** Why a blog's address in the file cannot be followed, or undefined when it can. */
function feedAddressProblem(value: string): 'not-web' | 'invalid' | 'credentials' | undefined {
  // A scheme is required: a file's address is never guessed as https:// (as OPML's is not).
  if (!/^https?:\/\//i.test(value)) return 'not-web';
  const url = parseWebAddress(value);
  if (url === 'empty') return 'invalid';
  return typeof url === 'string' ? url : undefined;
}

/** A post's reading time: whole minutes, at least one (`estimateReadingTime`), within reason. */
function isPostMinutes(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1 && value <= MAX_POST_MINUTES;
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function isAmount(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

function isPositive(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Restores a validated backup, merged into what is there, in one transaction over every table
 * (`restoreRecords`): blogs already followed stay as they are and new ones are added, due for
 * polling at once; posts are added with their read state, and a post read on either side stays
 * read; reading-list items not in the list are added after it. Then the settings are written,
 * each only when its own validator accepts it; the others are named in the message. Restoring
 * the same backup twice changes nothing the second time.
 *
 * Host access is not asked for here: the page that restores asks for the blogs' sites.
 */
export async function restoreBackup(
  db: DispatchDb,
  backup: Backup,
  now: number,
): Promise<RestoreSummary> {
  const counts = await restoreRecords(db, backup, now);
  const { written, invalid } = await restoreSettings(backup.settings);
  return {
    feeds: counts.feeds,
    posts: counts.posts,
    readingList: counts.readingList,
    settings: written,
    message: describeRestore(counts, written, invalid),
  };
}

/**
 * Writes, in one `storage.local` write, the settings whose value in the file is valid and
 * differs from the one in effect; names the invalid ones. Returns how many changed.
 */
async function restoreSettings(
  values: Backup['settings'],
): Promise<{ written: number; invalid: string[] }> {
  const current: Record<string, unknown> = await readSettings();
  const changes: Record<string, unknown> = {};
  const invalid: string[] = [];
  for (const [name, setting] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
    if (!Object.hasOwn(values, name)) continue;
    const value = values[name as keyof SettingValues];
    if (!setting.isValid(value)) invalid.push(name);
    else if (JSON.stringify(value) !== JSON.stringify(current[name])) changes[setting.key] = value;
  }
  const written = Object.keys(changes).length;
  if (written > 0) await browser.storage.local.set(changes);
  return { written, invalid };
}

/** "Restored 3 blogs, 120 posts, 8 reading-list items and your settings." */
export function describeRestore(
  counts: RestoredCounts,
  settings: number,
  invalidSettings: readonly string[] = [],
): string {
  const parts = [
    ...(counts.feeds > 0 ? [plural(counts.feeds, 'blog')] : []),
    ...(counts.posts > 0 ? [plural(counts.posts, 'post')] : []),
    ...(counts.readingList > 0 ? [plural(counts.readingList, 'reading-list item')] : []),
    ...(settings > 0 ? ['your settings'] : []),
  ];
  const sentences = [
    parts.length === 0
      ? 'Nothing new to restore: everything in this backup is already here.'
      : `Restored ${parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`}.`,
  ];
  if (counts.markedRead > 0) {
    sentences.push(
      `${plural(counts.markedRead, 'post')} read in the backup ${counts.markedRead === 1 ? 'is' : 'are'} now marked read here.`,
    );
  }
  if (invalidSettings.length > 0) {
    sentences.push(
      `Not restored, as the file's values are not valid: ${invalidSettings.join(', ')}.`,
    );
  }
  return sentences.join(' ');
}
