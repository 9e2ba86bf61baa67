/** Per-host holds (`Retry-After`), shared by every feed on the host. */
import type { DispatchDb } from './db';
import type { HostHold } from './types';

/** The hold on `host` still in force at `now`, if any. */
export async function activeHostHold(
  db: DispatchDb,
  host: string,
  now: number,
): Promise<HostHold | undefined> {
  const hold = await db.hosts.get(host.toLowerCase());
  return hold && hold.until > now ? hold : undefined;
}

/** Records that `host` asked us to wait until `until`; an earlier existing hold is extended. */
export async function holdHost(db: DispatchDb, hold: HostHold): Promise<void> {
  const host = hold.host.toLowerCase();
  await db.transaction('rw', db.hosts, async () => {
    const current = await db.hosts.get(host);
    if (current && current.until >= hold.until) return;
    await db.hosts.put({ ...hold, host });
  });
}

/** Forgets holds that have expired (called from the poll cycle; the table stays tiny). */
export async function pruneHostHolds(db: DispatchDb, now: number): Promise<void> {
  await db.hosts.filter((hold) => hold.until <= now).delete();
}
