/**
 * One task at a time under a name, across contexts: a Web Lock when the platform has them (it
 * also covers an extension page running the same work as the worker), else a promise chain per
 * name, which covers this context only (Node tests, and any browser without `navigator.locks`).
 */
const chains = new Map<string, Promise<unknown>>();

/** Runs `task` once no other task under `name` is running; resolves or rejects as it does. */
export function serialised<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  // The DOM typing nests the callback's promise; the lock resolves with its value.
  if (locks?.request) return locks.request(name, task).then((result) => result);
  const run = (chains.get(name) ?? Promise.resolve()).then(task, task);
  chains.set(
    name,
    run.catch(() => undefined),
  );
  return run;
}
