/**
 * The synced document (pure): what one browser shares with the others through `storage.sync`,
 * how two copies merge, and how it is cut into items within the browser's quotas.
 *
 * Every entry carries its change time `t` (whole seconds: LWW needs no finer, and it saves
 * bytes). Merging keeps, per key, the entry with the later `t` (ties: the larger JSON, so every
 * browser picks the same one). A removal is a tombstone (an entry without value), kept
 * {@link TOMBSTONE_DAYS} days; an absent key is never a removal, so a copy that lost entries
 * (a quota cut, a half-propagated write) deletes nothing. Merging is commutative, associative
 * and idempotent: browsers converge whatever the order they see each other's writes in.
 *
 * ## Limits (Chrome: 102,400 bytes in all, 8,192 per item, 512 items; Firefox the same)
 * Sizes as measured by the tests (tests/utils/sync/doc.test.ts):
 * - a blog takes ~100 bytes (its feed URL and title): ~900 blogs alone would fill it; a blog
 *   followed through its listing page ~350 more (its extractor, packed: {@link packExtractor};
 *   tests/utils/sync/listing.test.ts), so 200 of them alone fit;
 * - a reading-list item ~180 bytes (URL, title, dates, place; a note adds its length);
 * - a read post 15 bytes, so with 50 blogs and 100 reading-list items ~5,000 read posts fit,
 *   and with nothing else ~6,500.
 * When everything does not fit, the copy leaves out, in this order: the oldest read states,
 * then finished reading-list items (finished longest ago first), then unfinished ones (oldest
 * saved first). Blogs, settings and tombstones are never left out: when they alone do not fit,
 * nothing is written and the report says so. What is left out stays on the device.
 */
import { feedIdentityKey } from '@/utils/db/feeds';
import type { ExtractorField, ListingExtractor } from '@/utils/listing/extract';
import { checkExtractor } from '@/utils/listing/validate';

export const QUOTA_BYTES = 102_400;
export const QUOTA_BYTES_PER_ITEM = 8_192;
export const MAX_ITEMS = 512;
/** How long a removal (or a "marked unread") is remembered: a browser offline longer may revive it. */
export const TOMBSTONE_DAYS = 30;
/** Every key Dispatch writes to `storage.sync` starts with this. */
export const SYNC_PREFIX = 'dispatch:';

const DAY_SECONDS = 24 * 60 * 60;

/** A blog, keyed by `feedIdentityKey(url)`. */
export interface FeedValue {
  url: string;
  title: string;
  tags?: string[];
  notify?: boolean;
  interval?: number;
  /** Earlier URLs of the feed: a browser that still follows it there has it already. */
  aliases?: string[];
  /**
   * A blog followed through its listing page: its extractor as {@link packExtractor} writes
   * it. Kept as the copy holds it (so it is written back unchanged) and checked only where it
   * is used ({@link unpackExtractor}): one that does not pass is ignored, like a setting this
   * version finds invalid.
   */
  listing?: unknown;
}

/** A reading-list item, keyed by its URL. Times in seconds. */
export interface ReadingValue {
  title: string;
  addedAt: number;
  position: number;
  doneAt: number;
  note?: string;
  minutes?: number;
  source?: string;
}

/** A value and its change time (s); no value = removed (a tombstone). */
export interface Entry<V> {
  t: number;
  v?: V;
}

/** A post's read state, keyed by {@link postKey}: read, or marked unread, at `t` (s). */
export interface ReadState {
  t: number;
  read: boolean;
}

export interface SyncDoc {
  feeds: Map<string, Entry<FeedValue>>;
  reading: Map<string, Entry<ReadingValue>>;
  /** Settings by their name in `SETTINGS` (never removed: a setting always has a value). */
  settings: Map<string, Entry<unknown>>;
  reads: Map<string, ReadState>;
}

export function emptyDoc(): SyncDoc {
  return { feeds: new Map(), reading: new Map(), settings: new Map(), reads: new Map() };
}

/** Milliseconds to the document's seconds. */
export const toSeconds = (ms: number): number => Math.floor(ms / 1000);

/** Values are built in one field order (see the `*Value` builders), so JSON compares them. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A value without its undefined fields, in the given field order. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function feedValue(f: FeedValue): FeedValue {
  return defined({
    url: f.url,
    title: f.title,
    tags: f.tags?.length ? f.tags : undefined,
    notify: f.notify,
    interval: f.interval,
    aliases: f.aliases?.length ? f.aliases : undefined,
    listing: f.listing,
  });
}

/** An extractor as synced: `[cards, count, [role, path, sample?]…]`, without field names. */
export type PackedExtractor = [cards: string, count: number, ...fields: string[][]];

/**
 * A packed extractor above this size goes without its samples (what the fields read on the
 * page when it was learned, shown beside the description). A learned one packs into about
 * 350 bytes; without samples, the largest `checkExtractor` accepts (paths of 500 characters)
 * takes about 3.6 KB, so a listing blog fits one 8 KB item.
 */
export const PACKED_EXTRACTOR_MAX_BYTES = 2_048;

/** The extractor in the copy's compact form; without samples past {@link PACKED_EXTRACTOR_MAX_BYTES}. */
export function packExtractor(extractor: ListingExtractor): PackedExtractor {
  const pack = (samples: boolean): PackedExtractor => [
    extractor.cards,
    extractor.count,
    ...extractor.fields.map(({ role, path, sample }) =>
      samples && sample !== undefined ? [role, path, sample] : [role, path],
    ),
  ];
  const packed = pack(true);
  return byteLength(JSON.stringify(packed)) > PACKED_EXTRACTOR_MAX_BYTES ? pack(false) : packed;
}

/**
 * The extractor a copy holds, checked as any from outside (`checkExtractor`), or a sentence
 * saying what is wrong with it.
 */
export function unpackExtractor(packed: unknown): ListingExtractor | string {
  if (!Array.isArray(packed)) return 'The synced extractor is not a list.';
  const [cards, count, ...fields] = packed as unknown[];
  return checkExtractor({
    version: 1,
    cards,
    count,
    fields: fields.map((field): Partial<Record<keyof ExtractorField, unknown>> | undefined => {
      if (!Array.isArray(field)) return undefined;
      const [role, path, sample] = field as unknown[];
      return { role, path, ...(sample !== undefined && { sample }) };
    }),
  });
}

export function readingValue(r: ReadingValue): ReadingValue {
  return defined({
    title: r.title,
    addedAt: r.addedAt,
    position: r.position,
    doneAt: r.doneAt,
    note: r.note || undefined,
    minutes: r.minutes,
    source: r.source || undefined,
  });
}

/**
 * A short identity for a post, the same in every browser: a 53-bit hash (cyrb53, public
 * domain) of the feed's identity key and the post's guid, as 8 base-36 characters (41 bits).
 * With 6,000 synced states against 50,000 local posts, a false match has odds of about 1 in
 * 10,000; its cost is one post shown read or unread wrongly.
 */
export function postKey(feedKey: string, guid: string): string {
  const text = `${feedKey}\n${guid}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hash = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return (hash % 36 ** 8).toString(36).padStart(8, '0');
}

/** The later of two entries; on a tie the larger JSON (a read beats an unread). */
function later<E extends { t: number }>(a: E | undefined, b: E | undefined): E | undefined {
  if (!a || !b) return a ?? b;
  if (a.t !== b.t) return a.t > b.t ? a : b;
  return JSON.stringify(a) >= JSON.stringify(b) ? a : b;
}

function mergeMaps<E extends { t: number }>(a: Map<string, E>, b: Map<string, E>): Map<string, E> {
  const merged = new Map(a);
  for (const [key, entry] of b) merged.set(key, later(merged.get(key), entry)!);
  return merged;
}

/** Both copies, per entry the later change. */
export function mergeDocs(a: SyncDoc, b: SyncDoc): SyncDoc {
  return {
    feeds: mergeMaps(a.feeds, b.feeds),
    reading: mergeMaps(a.reading, b.reading),
    settings: mergeMaps(a.settings, b.settings),
    reads: mergeMaps(a.reads, b.reads),
  };
}

/** Without tombstones and "marked unread" states older than {@link TOMBSTONE_DAYS}. */
export function pruneDoc(doc: SyncDoc, nowSeconds: number): SyncDoc {
  const oldest = nowSeconds - TOMBSTONE_DAYS * DAY_SECONDS;
  const keep = <E extends { t: number }>(map: Map<string, E>, isGone: (e: E) => boolean) =>
    new Map([...map].filter(([, e]) => e.t >= oldest || !isGone(e)));
  return {
    feeds: keep(doc.feeds, (e) => !e.v),
    reading: keep(doc.reading, (e) => !e.v),
    settings: doc.settings,
    reads: keep(doc.reads, (e) => !e.read),
  };
}

// Encoding. Blogs and reading-list items are JSON arrays (no field names); read states are
// fixed-width records packed into one string: 8 characters of key, 7 of `t * 2 + read` in
// base 36 — 15 bytes each, where a JSON object would take 40.

const READ_RECORD = 15;
type Json = unknown;

function encodeFeed(key: string, { t, v }: Entry<FeedValue>): Json[] {
  if (!v) return [t, key];
  const extra = defined({ g: v.tags, n: v.notify, i: v.interval, a: v.aliases, x: v.listing });
  return Object.keys(extra).length > 0 ? [t, v.url, v.title, extra] : [t, v.url, v.title];
}

function encodeReading(url: string, { t, v }: Entry<ReadingValue>): Json[] {
  if (!v) return [t, url];
  const extra = defined({ n: v.note, m: v.minutes, s: v.source });
  const fields = [t, url, v.title, v.addedAt, v.position, v.doneAt];
  return Object.keys(extra).length > 0 ? [...fields, extra] : fields;
}

function encodeRead(key: string, { t, read }: ReadState): string {
  return key + (t * 2 + (read ? 1 : 0)).toString(36).padStart(7, '0');
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const optional = <T>(x: unknown, is: (y: unknown) => y is T): T | undefined =>
  is(x) ? x : undefined;
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every(isStr);
const isBool = (x: unknown): x is boolean => typeof x === 'boolean';

function decodeFeed(raw: unknown): [string, Entry<FeedValue>] | undefined {
  if (!Array.isArray(raw) || !isNum(raw[0]) || !isStr(raw[1])) return undefined;
  const [t, url, title, extra] = raw as [number, string, unknown, unknown];
  if (raw.length === 2) return [url, { t }];
  if (!isStr(title)) return undefined;
  let key: string;
  try {
    key = feedIdentityKey(url);
  } catch {
    return undefined;
  }
  const x = isObj(extra) ? extra : {};
  const v = feedValue({
    url,
    title,
    tags: optional(x.g, isStrings),
    notify: optional(x.n, isBool),
    interval: optional(x.i, isNum),
    aliases: optional(x.a, isStrings),
    listing: x.x,
  });
  return [key, { t, v }];
}

function decodeReading(raw: unknown): [string, Entry<ReadingValue>] | undefined {
  if (!Array.isArray(raw) || !isNum(raw[0]) || !isStr(raw[1])) return undefined;
  const [t, url, title, addedAt, position, doneAt, extra] = raw as unknown[];
  if (raw.length === 2) return [url as string, { t: t as number }];
  if (!isStr(title) || !isNum(addedAt) || !isNum(position) || !isNum(doneAt)) return undefined;
  const x = isObj(extra) ? extra : {};
  const v = readingValue({
    title,
    addedAt,
    position,
    doneAt,
    note: optional(x.n, isStr),
    minutes: optional(x.m, isNum),
    source: optional(x.s, isStr),
  });
  return [url as string, { t: t as number, v }];
}

function decodeReads(packed: unknown, into: Map<string, ReadState>): void {
  if (!isStr(packed)) return;
  for (let i = 0; i + READ_RECORD <= packed.length; i += READ_RECORD) {
    const record = packed.slice(i, i + READ_RECORD);
    if (!/^[0-9a-z]{15}$/.test(record)) continue;
    const n = parseInt(record.slice(8), 36);
    const key = record.slice(0, 8);
    into.set(key, later(into.get(key), { t: Math.floor(n / 2), read: n % 2 === 1 })!);
  }
}

/** One document in one JSON value per part (what `storage.local` keeps of the last sync). */
export interface PackedDoc {
  f: Json[][];
  l: Json[][];
  s: Record<string, [number, Json]>;
  r: string;
}

export function packDoc(doc: SyncDoc): PackedDoc {
  return {
    f: [...doc.feeds].map(([k, e]) => encodeFeed(k, e)),
    l: [...doc.reading].map(([k, e]) => encodeReading(k, e)),
    s: Object.fromEntries([...doc.settings].map(([k, e]) => [k, [e.t, e.v]])),
    r: [...doc.reads].map(([k, e]) => encodeRead(k, e)).join(''),
  };
}

/** The document in stored parts; anything malformed is skipped, never trusted. */
export function unpackDoc(parts: Partial<Record<keyof PackedDoc, unknown>>): SyncDoc {
  const doc = emptyDoc();
  const each = <E extends { t: number }>(
    raw: unknown,
    decode: (x: unknown) => [string, E] | undefined,
    into: Map<string, E>,
  ) => {
    if (!Array.isArray(raw)) return;
    for (const item of raw) {
      const found = decode(item);
      if (found) into.set(found[0], later(into.get(found[0]), found[1])!);
    }
  };
  each(parts.f, decodeFeed, doc.feeds);
  each(parts.l, decodeReading, doc.reading);
  decodeReads(parts.r, doc.reads);
  if (isObj(parts.s)) {
    for (const [name, raw] of Object.entries(parts.s)) {
      if (Array.isArray(raw) && isNum(raw[0])) doc.settings.set(name, { t: raw[0], v: raw[1] });
    }
  }
  return doc;
}

/** Dispatch's items in `storage.sync`: `dispatch:<part>:<n>`, part f, l, s or r. */
export type SyncItems = Record<string, unknown>;

/** The document from the items of `storage.sync` (other keys are ignored). */
export function decodeItems(items: SyncItems): SyncDoc {
  const parts: Record<string, unknown[]> = { f: [], l: [], r: [], s: [] };
  for (const [key, value] of Object.entries(items)) {
    const part = /^dispatch:([flrs]):\d+$/.exec(key)?.[1];
    if (!part) continue;
    if (part === 'r' || part === 's') parts[part]!.push(value);
    else if (Array.isArray(value)) parts[part]!.push(...(value as unknown[]));
  }
  const doc = unpackDoc({ f: parts.f, l: parts.l, r: parts.r!.filter(isStr).join('') });
  for (const s of parts.s!) {
    for (const [name, entry] of unpackDoc({ s }).settings) {
      doc.settings.set(name, later(doc.settings.get(name), entry)!);
    }
  }
  return doc;
}

/**
 * Bytes of a string in UTF-8 as Chrome counts a quota (key + JSON), erring high: every
 * character past U+07FF counts 3 (a surrogate pair 6, for 4 real).
 */
export function byteLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) n += c > 0x7ff ? 2 : 1;
  }
  return n;
}

/** Entries (as JSON texts) in as few items of at most 8,192 bytes as they fill, in order. */
function chunk(part: string, entries: string[], into: SyncItems): number {
  let texts: string[] = [];
  let size = 0;
  let n = 0;
  let bytes = 0;
  const flush = () => {
    const key = `${SYNC_PREFIX}${part}:${n++}`;
    into[key] = JSON.parse(`[${texts.join(',')}]`);
    bytes += byteLength(key) + size + 2;
    texts = [];
    size = 0;
  };
  for (const text of entries) {
    const length = byteLength(text) + (texts.length > 0 ? 1 : 0);
    if (
      texts.length > 0 &&
      byteLength(`${SYNC_PREFIX}${part}:${n}`) + size + length + 2 > QUOTA_BYTES_PER_ITEM
    )
      flush();
    texts.push(text);
    size += byteLength(text) + (texts.length > 1 ? 1 : 0);
  }
  if (texts.length > 0) flush();
  return bytes;
}

/** What the document takes in `storage.sync`, and what was left out to fit. */
export interface Layout {
  items: SyncItems;
  bytes: number;
  /** The document as written (what other browsers will see). */
  doc: SyncDoc;
  dropped: { readStates: number; readingItems: number };
}

/** An entry that can never fit in one item alone (a URL of kilobytes). */
const fitsOneItem = (text: string) => byteLength(text) + 32 <= QUOTA_BYTES_PER_ITEM;

function encodeItems(doc: SyncDoc): { items: SyncItems; bytes: number } {
  const items: SyncItems = {};
  const texts = <E>(map: Map<string, E>, encode: (k: string, e: E) => Json[]) =>
    [...map].map(([k, e]) => JSON.stringify(encode(k, e))).filter(fitsOneItem);
  let bytes = chunk('f', texts(doc.feeds, encodeFeed), items);
  bytes += chunk('l', texts(doc.reading, encodeReading), items);
  const settings = `${SYNC_PREFIX}s:0`;
  items[settings] = packDoc({ ...emptyDoc(), settings: doc.settings }).s;
  bytes += byteLength(settings) + byteLength(JSON.stringify(items[settings]));
  // Oldest first: new reads append, so while there is room only the last item changes.
  const reads = [...doc.reads].sort(([ka, a], [kb, b]) => a.t - b.t || (ka < kb ? -1 : 1));
  const perItem = Math.floor((QUOTA_BYTES_PER_ITEM - 16) / READ_RECORD);
  for (let i = 0; i * perItem < reads.length; i++) {
    const key = `${SYNC_PREFIX}r:${i}`;
    const packed = reads
      .slice(i * perItem, (i + 1) * perItem)
      .map(([k, e]) => encodeRead(k, e))
      .join('');
    items[key] = packed;
    bytes += byteLength(key) + packed.length + 2;
  }
  return { items, bytes };
}

/**
 * The document cut into items within the quotas, leaving out what does not fit (see the
 * module comment for the order), or undefined when blogs, settings and tombstones alone
 * exceed them. Deterministic: two browsers with the same document write the same items.
 */
export function layoutDoc(doc: SyncDoc): Layout | undefined {
  const kept: SyncDoc = { ...doc, reads: new Map(doc.reads), reading: new Map(doc.reading) };
  const dropped = { readStates: 0, readingItems: 0 };
  const byTime = <E extends { t: number }>(a: [string, E], b: [string, E]) =>
    a[1].t - b[1].t || (a[0] < b[0] ? -1 : 1);
  const readingBy = (finished: boolean, field: 'doneAt' | 'addedAt') =>
    [...doc.reading]
      .filter(([, e]) => e.v && e.v.doneAt > 0 === finished)
      .sort((a, b) => a[1].v![field] - b[1].v![field] || byTime(a, b));
  const candidates: [() => void, number][] = [
    ...[...doc.reads].sort(byTime).map(([key]): [() => void, number] => [
      () => {
        kept.reads.delete(key);
        dropped.readStates++;
      },
      READ_RECORD,
    ]),
    ...[...readingBy(true, 'doneAt'), ...readingBy(false, 'addedAt')].map(
      ([url, e]): [() => void, number] => [
        () => {
          kept.reading.delete(url);
          dropped.readingItems++;
        },
        byteLength(JSON.stringify(encodeReading(url, e))) + 1,
      ],
    ),
  ];
  let next = 0;
  for (;;) {
    const { items, bytes } = encodeItems(kept);
    if (bytes <= QUOTA_BYTES && Object.keys(items).length <= MAX_ITEMS) {
      return { items, bytes, doc: kept, dropped };
    }
    // Leave out about as much as is over (at least one entry), then measure again.
    let excess = bytes - QUOTA_BYTES;
    do {
      const candidate = candidates[next++];
      if (!candidate) return undefined;
      candidate[0]();
      excess -= candidate[1];
    } while (excess > 0);
  }
}

/** "1 blog", "12 blogs" (thousands grouped). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The report's sentence: "Synced 12 blogs, 30 reading-list items and 500 read posts (41 KB of 100 KB)." */
export function describeLayout(layout: Layout): string {
  const { doc, bytes, dropped } = layout;
  const blogs = [...doc.feeds.values()].filter((e) => e.v).length;
  const reading = [...doc.reading.values()].filter((e) => e.v).length;
  const reads = [...doc.reads.values()].filter((e) => e.read).length;
  const size = `${Math.ceil(bytes / 1024)} KB of ${QUOTA_BYTES / 1024} KB`;
  let text = `Synced ${count(blogs, 'blog')}, ${count(reading, 'reading-list item')} and ${count(reads, 'read post')} (${size}).`;
  const left = [
    dropped.readStates > 0 && count(dropped.readStates, 'older read state'),
    dropped.readingItems > 0 && count(dropped.readingItems, 'reading-list item'),
  ].filter(Boolean);
  if (left.length > 0) {
    text += ` Left out to stay within the browser’s sync storage: ${left.join(' and ')} (kept on this device).`;
  }
  return text;
}
