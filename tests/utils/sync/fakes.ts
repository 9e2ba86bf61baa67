/**
 * Fakes for sync tests: storage areas (a sync area that refuses over-quota writes as Chrome
 * does) and "browsers", each with its own database and `storage.local`, sharing one sync area.
 */
import { createDb } from '@/utils/db/db';
import { QUOTA_BYTES, QUOTA_BYTES_PER_ITEM, MAX_ITEMS, byteLength } from '@/utils/sync/doc';
import { runSync, type Area, type SyncDeps } from '@/utils/sync';

export interface FakeArea extends Area {
  /** Everything stored, as JSON would give it back. */
  readonly data: Map<string, unknown>;
  /** `set` and `remove` calls that went through. */
  writes: number;
  /** Bytes in use, as Chrome counts them (key + JSON of each value). */
  bytes(): number;
  /** Makes the next write fail with this message (as a rate limit does), once. */
  failNextWrite(message: string): void;
}

/** A storage area; `quotas` makes it refuse writes over `storage.sync`'s limits, in Chrome's words. */
export function fakeArea({ quotas = false } = {}): FakeArea {
  const data = new Map<string, unknown>();
  let failure: string | undefined;
  const size = (entries: Iterable<[string, unknown]>) =>
    [...entries].reduce((sum, [k, v]) => sum + byteLength(k) + byteLength(JSON.stringify(v)), 0);
  const area: FakeArea = {
    data,
    writes: 0,
    bytes: () => size(data),
    failNextWrite(message) {
      failure = message;
    },
    async get(keys) {
      const wanted = keys ?? [...data.keys()];
      return Object.fromEntries(wanted.filter((k) => data.has(k)).map((k) => [k, data.get(k)]));
    },
    async set(items) {
      if (failure) {
        const message = failure;
        failure = undefined;
        throw new Error(message);
      }
      const next = new Map(data);
      for (const [key, value] of Object.entries(items)) {
        const copy: unknown = JSON.parse(JSON.stringify(value));
        if (quotas && size([[key, copy]]) > QUOTA_BYTES_PER_ITEM) {
          throw new Error('QUOTA_BYTES_PER_ITEM quota exceeded');
        }
        next.set(key, copy);
      }
      if (quotas && size(next) > QUOTA_BYTES) throw new Error('QUOTA_BYTES quota exceeded');
      if (quotas && next.size > MAX_ITEMS) throw new Error('MAX_ITEMS quota exceeded');
      for (const [key, value] of next) data.set(key, value);
      area.writes++;
    },
    async remove(keys) {
      for (const key of keys) data.delete(key);
      area.writes++;
    },
  };
  return area;
}

/** One browser: its own database and `storage.local` (sync on), sharing `sync` with the others. */
export async function aBrowser(sync: FakeArea, clock = { now: Date.UTC(2026, 5, 1) }) {
  const local = fakeArea();
  await local.set({ syncEnabled: true });
  const db = createDb(`sync-${crypto.randomUUID()}`);
  const deps: SyncDeps = { db, sync, local, now: () => clock.now };
  return {
    db,
    local,
    sync,
    clock,
    deps,
    syncNow: async () => (await runSync(deps, 'now'))!,
  };
}
