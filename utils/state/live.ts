/**
 * Signals that follow something outside the page. `liveSignal` is the one bridge from a Dexie
 * `liveQuery` to UI state (what dexie-react-hooks' `useObservable` is for React): the query
 * re-runs whenever a table it read changes — in this page or in the service worker — so the
 * pages need no "data changed" messages. `clockSignal` is the time relative dates count from.
 */
import { batch, effect, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import { liveQuery } from 'dexie';
import { logError, type ErrorReporter } from '@/utils/errors';

const SECOND = 1000;

export { logError, type ErrorReporter } from '@/utils/errors';

export interface LiveSignal<T> {
  /** The query's latest result; `initial` until the first one arrives. */
  readonly value: ReadonlySignal<T>;
  /** False until the first result arrived, so a page can avoid flashing an empty state. */
  readonly loaded: ReadonlySignal<boolean>;
  /** The last failure of the query, cleared by the next result. */
  readonly error: ReadonlySignal<unknown>;
  /** Stops observing the database. */
  dispose(): void;
}

/**
 * Runs `query` now and again after every change to what it read. A failure is passed to
 * `onError` and kept in `error` (the value keeps its last good result), never swallowed.
 */
export function liveSignal<T>(
  query: () => Promise<T>,
  initial: T,
  onError: ErrorReporter = logError,
): LiveSignal<T> {
  const state = liveState(initial);
  const subscription = observe(query, state, onError);
  return { ...state, dispose: () => subscription.unsubscribe() };
}

/**
 * A live query over `key`: run again after every change to what it read, and again when `key`
 * changes (not run while it is undefined). Between a change of key and the new answer, `value`
 * stays the last answer, so nothing on screen blanks.
 */
export function keyedLiveSignal<K, T>(
  key: ReadonlySignal<K | undefined>,
  query: (key: K) => Promise<T>,
  initial: T,
  onError: ErrorReporter = logError,
): LiveSignal<T> {
  const state = liveState(initial);
  let subscription: { unsubscribe(): void } | undefined;
  const stop = effect(() => {
    const current = key.value;
    subscription?.unsubscribe();
    subscription =
      current === undefined ? undefined : observe(() => query(current), state, onError);
  });
  return {
    ...state,
    dispose() {
      stop();
      subscription?.unsubscribe();
    },
  };
}

type LiveState<T> = {
  value: Signal<T>;
  loaded: Signal<boolean>;
  error: Signal<unknown>;
};

function liveState<T>(initial: T): LiveState<T> {
  return { value: signal(initial), loaded: signal(false), error: signal<unknown>(undefined) };
}

/** Subscribes `state` to the live query: each result lands in one batch, failures in `error`. */
function observe<T>(
  query: () => Promise<T>,
  { value, loaded, error }: LiveState<T>,
  onError: ErrorReporter,
): { unsubscribe(): void } {
  // A query that throws before returning a promise would escape Dexie as an uncaught error.
  const guarded = () => {
    try {
      return query();
    } catch (cause) {
      return Promise.reject(cause);
    }
  };
  return liveQuery(guarded).subscribe({
    next: (result) =>
      batch(() => {
        value.value = result;
        loaded.value = true;
        error.value = undefined;
      }),
    error: (cause: unknown) => {
      error.value = cause;
      onError(cause);
    },
  });
}

export interface ClockSignal {
  /** `now()`, refreshed every `intervalMs` and on `tick()`. */
  readonly value: ReadonlySignal<number>;
  tick(): void;
  dispose(): void;
}

/** The current time as a signal, so "checked 3 min ago" stays true while a page is open. */
export function clockSignal(now: () => number, intervalMs = 30 * SECOND): ClockSignal {
  const value = signal(now());
  const tick = () => {
    value.value = now();
  };
  const timer = setInterval(tick, intervalMs);
  return { value, tick, dispose: () => clearInterval(timer) };
}
