/**
 * Storage failures, in words (HOSTILE-INPUTS.md E48). IndexedDB fails as a whole: the disk or
 * the browser's quota is full (`QuotaExceededError`, raised by a write or reported as the
 * inner cause of an aborted transaction), or the database cannot be opened at all (no
 * IndexedDB, a private window that refuses it, a damaged profile). Dexie wraps the browser's
 * error (`DatabaseClosedError` around the reason the open failed, `AbortError` around the
 * request that failed), so the cause is looked for along `inner` and `cause`.
 */

export const STORAGE_FULL_MESSAGE =
  'Storage is full: Dispatch could not save the new posts. Free some disk space; nothing saved before was lost, and the next check tries again.';

export const STORAGE_UNAVAILABLE_MESSAGE =
  'Dispatch cannot open its database, so posts cannot be read or saved. Restart the browser; if this goes on, check that it is allowed to store site data.';

export type StorageProblemCode = 'storage-full' | 'storage-unavailable';

/** Names the browser (or Dexie, keeping the browser's name) gives a full store. */
const FULL_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

/** Names of a database that cannot be opened or used at all. */
const UNAVAILABLE_NAMES = new Set([
  'MissingAPIError',
  'OpenFailedError',
  'InvalidStateError',
  'UnknownError',
  'VersionError',
]);

/**
 * A write or read that failed because of storage itself, not because of the data: checked by
 * `name` (`'StorageError'`) at the edges, where `code` and `message` go on the feed or the page.
 */
export class StorageError extends Error {
  override name = 'StorageError';
  readonly code: StorageProblemCode;

  constructor(code: StorageProblemCode, options?: { cause?: unknown }) {
    super(code === 'storage-full' ? STORAGE_FULL_MESSAGE : STORAGE_UNAVAILABLE_MESSAGE, options);
    this.code = code;
  }
}

/** What kind of storage failure `error` is, if it is one (looking through wrapped causes). */
export function storageProblemCode(error: unknown): StorageProblemCode | undefined {
  const seen = new Set<unknown>();
  let unavailable = false;
  for (let current = error; current && !seen.has(current); current = causeOf(current)) {
    seen.add(current);
    if (current instanceof StorageError) return current.code;
    const name = (current as { name?: unknown }).name;
    if (typeof name !== 'string') continue;
    if (FULL_NAMES.has(name) || (current as { code?: unknown }).code === 22) return 'storage-full';
    if (UNAVAILABLE_NAMES.has(name)) unavailable = true;
  }
  return unavailable ? 'storage-unavailable' : undefined;
}

/**
 * `error` as a {@link StorageError} when storage itself failed, else `error` unchanged (a
 * `ConstraintError` and other data errors keep their own name for their callers).
 */
export function asStorageError(error: unknown): unknown {
  if (error instanceof StorageError) return error;
  const code = storageProblemCode(error);
  return code ? new StorageError(code, { cause: error }) : error;
}

/** The sentence for a person when storage failed, else undefined (the caller says its own). */
export function storageProblemMessage(error: unknown): string | undefined {
  const code = storageProblemCode(error);
  if (!code) return undefined;
  return code === 'storage-full' ? STORAGE_FULL_MESSAGE : STORAGE_UNAVAILABLE_MESSAGE;
}

function causeOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  const { inner, cause } = error as { inner?: unknown; cause?: unknown };
  return inner ?? cause;
}

/**
 * Runs a read the pages observe with `liveQuery`, turning a storage failure into a
 * {@link StorageError}. Needed because `liveQuery` ignores `DatabaseClosedError` (it waits for
 * the database to open again), so a database that could not be opened at all would leave a
 * page waiting for ever, blank, instead of saying why.
 */
export function readOrExplain<T>(read: () => Promise<T>): Promise<T> {
  // `catch` on Dexie's own promise, not `await`: a native step would make this query's result
  // arrive a tick after the others', and pages read several queries together.
  return read().catch((error: unknown) => {
    throw asStorageError(error);
  });
}
