/**
 * Account-free sync through `storage.sync` (issue 5): blogs, settings, the reading list and
 * the read state of recent posts, shared by the browsers the user is signed into. Opt-in
 * (`syncEnabled`): off, nothing is read or written, and the synced copy stays as it was
 * (only "Delete everything" clears it).
 *
 * One cycle: read this browser's state and stamp what changed since the last sync
 * (`local.ts`), merge it with the synced copy (`doc.ts`), apply the result here, and write back
 * only the items that differ — none when the copy already says it all, so two browsers never
 * answer each other's writes forever. Cycles run one at a time (Web Locks, else a promise
 * chain). Triggers: a change of the copy (`storage.onChanged`, from another browser), the
 * `syncNow` message pages send after a change, and {@link syncOnTick} from the poll tick.
 *
 * `storage.local` keeps the base of the next cycle (`syncBase`: the items as last written or
 * read, this browser's state as of then with its change times, read posts' ids, the highest
 * post id, a fingerprint of this browser's state) and the last report (`syncReport`, for the options page).
 */
import { browser } from 'wxt/browser';
import { refreshBadge } from '@/utils/badge';
import type { DispatchDb } from '@/utils/db/db';
import { getDb } from '@/utils/db/db';
import { reportError } from '@/utils/errors';
import type { SyncReport } from '@/utils/messaging';
import { serialised } from '@/utils/serialise';
import { syncEnabled } from '@/utils/settings';
import {
  decodeItems,
  describeLayout,
  emptyDoc,
  layoutDoc,
  mergeDocs,
  packDoc,
  pruneDoc,
  QUOTA_BYTES,
  sameValue,
  SYNC_PREFIX,
  toSeconds,
  unpackDoc,
  type PackedDoc,
  type SyncDoc,
  type SyncItems,
} from './doc';
import { applyDoc, markLocal, readLocal, readReads, stampLocal, type Area } from './local';

export type { Area } from './local';

/** The Web Locks name that serialises sync cycles across wake-ups and extension pages. */
export const SYNC_LOCK = 'dispatch-sync';
export const SYNC_BASE_KEY = 'syncBase';
export const SYNC_REPORT_KEY = 'syncReport';

export interface SyncDeps {
  db: DispatchDb;
  /** `browser.storage.sync`. */
  sync: Area;
  /** `browser.storage.local` (settings, the base, the report). */
  local: Area;
  now: () => number;
  /** Called after sync changed blogs or read states (production: the badge). */
  onCountsChanged?: () => Promise<unknown>;
}

/**
 * `now`: a full cycle with a report, always. `tick`: nothing (not even a write) when neither
 * this browser nor the copy changed since the last sync. `remote`: nothing when the copy is
 * as last written (our own write coming back).
 */
export type SyncTrigger = 'now' | 'tick' | 'remote';

interface SyncBase {
  items: SyncItems;
  doc: PackedDoc;
  ids: Record<string, number>;
  maxPostId: number;
  /**
   * `markLocal`'s fingerprint, taken before the cycle read this browser's state (a change
   * the cycle made here, or one made meanwhile, makes the next tick look again).
   */
  mark?: string;
}

const isBase = (value: unknown): value is SyncBase =>
  typeof value === 'object' && value !== null && 'items' in value && 'doc' in value;

function report(at: number, message: string, ok = false): SyncReport {
  return { ok, at, bytes: 0, items: 0, dropped: { readStates: 0, readingItems: 0 }, message };
}

/** Dispatch's own items of a storage area's content. */
function ownItems(all: Record<string, unknown>): SyncItems {
  return Object.fromEntries(Object.entries(all).filter(([key]) => key.startsWith(SYNC_PREFIX)));
}

function sameItems(a: SyncItems, b: SyncItems): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => sameValue(a[k], b[k]));
}

/** `doc` with `over`'s entries in place of its own. */
function overlay(doc: SyncDoc, over: SyncDoc): SyncDoc {
  return {
    feeds: new Map([...doc.feeds, ...over.feeds]),
    reading: new Map([...doc.reading, ...over.reading]),
    settings: new Map([...doc.settings, ...over.settings]),
    reads: new Map([...doc.reads, ...over.reads]),
  };
}

/**
 * One sync cycle (see {@link SyncTrigger}); resolves with its report, also kept in
 * `storage.local`, or undefined when it had nothing to do. Failures of `storage.sync` (a
 * quota, the write rate) end in a report in words; the next cycle tries again.
 */
export async function runSync(
  deps: SyncDeps,
  trigger: SyncTrigger,
): Promise<SyncReport | undefined> {
  const { db, sync, local } = deps;
  const nowMs = deps.now();
  const stored = await local.get([syncEnabled.key, SYNC_BASE_KEY]);
  if (stored[syncEnabled.key] !== true) {
    return trigger === 'now'
      ? report(
          nowMs,
          'Sync is off. Turn it on to share your blogs, settings, reading list and read posts with your other browsers.',
        )
      : undefined;
  }
  const base = isBase(stored[SYNC_BASE_KEY]) ? stored[SYNC_BASE_KEY] : undefined;
  const remote = ownItems(await sync.get(null));
  const remoteSame = !!base && sameItems(remote, base.items);
  if (trigger === 'remote' && remoteSame) return undefined;

  const now = toSeconds(nowMs);
  const baseIds = new Map(Object.entries(base?.ids ?? {}));
  const state = await readLocal(db, local);
  const { mark, maxPostId } = await markLocal(db, state);
  const quiet = trigger === 'tick' && remoteSame;
  if (quiet && mark === base.mark) return undefined;
  await readReads(db, state, baseIds);
  const copy = decodeItems(remote);
  const baseDoc = base && { doc: unpackDoc(base.doc), ids: baseIds };
  const stamped = await stampLocal(db, state, baseDoc, copy, now);
  if (quiet && !stamped.changed && maxPostId === base.maxPostId) {
    // Nothing to sync: the fingerprint is kept so that the next tick stops at it.
    await local.set({ [SYNC_BASE_KEY]: { ...base, mark } });
    return undefined;
  }

  const merged = pruneDoc(mergeDocs(copy, stamped.doc), now);
  const layout = layoutDoc(merged);
  if (!layout) {
    const failed = report(
      nowMs,
      `Too much to sync: your ${merged.feeds.size} blogs and settings alone take more than the ${QUOTA_BYTES / 1024} KB the browser allows. Nothing was synced.`,
    );
    await local.set({ [SYNC_REPORT_KEY]: failed });
    return failed;
  }
  const applied = await applyDoc(merged, state, {
    db,
    local,
    nowMs,
    seen: base ? decodeItems(base.items) : emptyDoc(),
    seenMaxPostId: base?.maxPostId ?? 0,
  });

  let failure: string | undefined;
  const changed = Object.entries(layout.items).filter(([key, v]) => !sameValue(remote[key], v));
  const unused = Object.keys(remote).filter((key) => !(key in layout.items));
  try {
    // Removals first: the quota is checked after each call, on everything stored.
    if (unused.length > 0) await sync.remove(unused);
    if (changed.length > 0) await sync.set(Object.fromEntries(changed));
  } catch (error) {
    failure = `Could not write to the browser’s sync storage (${error instanceof Error ? error.message : String(error)}). Dispatch will try again at its next check.`;
  }

  const nextDoc = overlay(pruneDoc(stamped.doc, now), applied.agreed);
  const ids = new Map([...state.readIds, ...applied.readIds]);
  const next: SyncBase = {
    // As written: after a failed write the copy differs from it, so the next cycle runs.
    items: layout.items,
    doc: packDoc(nextDoc),
    ids: Object.fromEntries([...ids].filter(([key]) => nextDoc.reads.get(key)?.read)),
    maxPostId,
    mark,
  };
  const result: SyncReport = {
    ok: !failure,
    at: nowMs,
    bytes: layout.bytes,
    items: Object.keys(layout.items).length,
    dropped: layout.dropped,
    message: failure ?? describeLayout(layout),
  };
  await local.set({ [SYNC_BASE_KEY]: next, [SYNC_REPORT_KEY]: result });
  if (applied.countsChanged) {
    await deps
      .onCountsChanged?.()
      .catch((error: unknown) => reportError(error, 'badge after sync'));
  }
  return result;
}

/** The production dependencies. */
export function defaultSyncDeps(): SyncDeps {
  return {
    db: getDb(),
    sync: browser.storage.sync as Area,
    local: browser.storage.local as Area,
    now: Date.now,
    onCountsChanged: () => refreshBadge(),
  };
}

/** A serialised cycle; errors end in `reportError` (and, for `now`, in the report). */
export async function syncWith(
  deps: SyncDeps,
  trigger: SyncTrigger,
): Promise<SyncReport | undefined> {
  try {
    return await serialised(SYNC_LOCK, () => runSync(deps, trigger));
  } catch (error) {
    reportError(error, `sync (${trigger})`);
    if (trigger !== 'now') return undefined;
    const failed = report(
      deps.now(),
      `Sync failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    await deps.local.set({ [SYNC_REPORT_KEY]: failed }).catch(() => undefined);
    return failed;
  }
}

/**
 * Attaches the worker's sync listener (synchronously, for its start-up): a change of
 * Dispatch's synced items (another browser's write, or our own coming back: then nothing is
 * done) and turning sync on start a cycle.
 */
export function registerSync(): void {
  browser.storage.onChanged.addListener((changes, area) => {
    const keys = Object.keys(changes);
    if (area === 'sync' && keys.some((key) => key.startsWith(SYNC_PREFIX))) {
      void syncWith(defaultSyncDeps(), 'remote');
    } else if (area === 'local' && changes[syncEnabled.key]?.newValue === true) {
      void syncWith(defaultSyncDeps(), 'now');
    }
  });
}

/** The `syncNow` message: merges this browser's state with the synced copy. */
export async function syncNow(): Promise<SyncReport> {
  return (await syncWith(defaultSyncDeps(), 'now'))!;
}

/**
 * For the poll tick: a cycle that costs a few reads and no write when nothing changed (neither
 * the copy nor `markLocal`'s fingerprint of this browser's state).
 */
export async function syncOnTick(): Promise<void> {
  await syncWith(defaultSyncDeps(), 'tick');
}

/** The last report, as kept in `storage.local` (undefined before the first sync). */
export async function lastSyncReport(): Promise<SyncReport | undefined> {
  const value: unknown = (await browser.storage.local.get(SYNC_REPORT_KEY))[SYNC_REPORT_KEY];
  return typeof value === 'object' && value !== null && 'message' in value
    ? (value as SyncReport)
    : undefined;
}
