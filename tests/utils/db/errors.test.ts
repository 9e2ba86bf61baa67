import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import {
  asStorageError,
  STORAGE_FULL_MESSAGE,
  STORAGE_UNAVAILABLE_MESSAGE,
  StorageError,
  storageProblemCode,
  storageProblemMessage,
} from '@/utils/db/errors';
import { quotaExceeded } from '../../helpers/db';

describe('storageProblemCode', () => {
  it.each<[string, unknown, string | undefined]>([
    ['a QuotaExceededError from a write', quotaExceeded(), 'storage-full'],
    ['Dexie’s copy of it', new Dexie.QuotaExceededError('full'), 'storage-full'],
    [
      'a transaction aborted because of it (how a commit over quota fails)',
      new Dexie.AbortError('Transaction aborted', quotaExceeded()),
      'storage-full',
    ],
    ['an Error caused by it', new Error('poll failed', { cause: quotaExceeded() }), 'storage-full'],
    [
      'no IndexedDB at all',
      new Dexie.MissingAPIError('IndexedDB API missing'),
      'storage-unavailable',
    ],
    [
      'a closed database whose opening failed',
      new Dexie.DatabaseClosedError(new Dexie.OpenFailedError('UnknownError')),
      'storage-unavailable',
    ],
    [
      'a refused open (private window)',
      new DOMException('refused', 'InvalidStateError'),
      'storage-unavailable',
    ],
    ['a duplicate key', new Dexie.ConstraintError('Key already exists'), undefined],
    ['a network error', new TypeError('Failed to fetch'), undefined],
    ['not an error', 'QuotaExceededError', undefined],
    ['nothing', undefined, undefined],
  ])('classifies %s', (_what, error, code) => {
    expect(storageProblemCode(error)).toBe(code);
  });

  it('stops on a cycle of causes', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(storageProblemCode(a)).toBeUndefined();
  });
});

describe('asStorageError', () => {
  it('turns a storage failure into a StorageError in words, keeping the cause', () => {
    const cause = quotaExceeded();
    const error = asStorageError(cause);

    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ name: 'StorageError', code: 'storage-full', cause });
    expect((error as Error).message).toBe(STORAGE_FULL_MESSAGE);
    expect(asStorageError(error)).toBe(error);
  });

  it('leaves other errors as they are', () => {
    const error = new Dexie.ConstraintError('Key already exists');
    expect(asStorageError(error)).toBe(error);
  });
});

describe('storageProblemMessage', () => {
  it('says what happened and what to do', () => {
    expect(storageProblemMessage(quotaExceeded())).toMatch(/^Storage is full: .*disk space/);
    expect(storageProblemMessage(new Dexie.MissingAPIError())).toBe(STORAGE_UNAVAILABLE_MESSAGE);
    expect(storageProblemMessage(new Error('other'))).toBeUndefined();
  });
});
