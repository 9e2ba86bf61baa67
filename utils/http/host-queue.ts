/**
 * A tiny limiter for polling many feeds at once: a few requests in flight overall, never two to
 * the same host (HOSTILE-INPUTS.md A9: many feeds on one host, e.g. Reddit or Tumblr, get
 * rate-limited when hit in parallel). Pure promises, no timers, no dependencies.
 */

export interface HostLimiterOptions {
  /** Most tasks running at once across all hosts, default 4. */
  concurrency?: number;
}

export interface HostLimiter {
  /**
   * Runs `task` when a slot is free and no other task for the same host is running, and
   * settles as it does. Tasks wait in arrival order, except that a task whose host is busy
   * lets later tasks for idle hosts go first. The host is the URL's hostname (port ignored,
   * the same server is the same server); an unparseable URL is its own host, so its task
   * still runs and can report the bad URL itself.
   */
  run<T>(url: string, task: () => Promise<T>): Promise<T>;
}

interface Waiting {
  host: string;
  start: () => void;
}

/**
 * Creates a limiter. Throws `RangeError` when `concurrency` is not a whole number ≥ 1
 * (a programmer error).
 */
export function createHostLimiter({ concurrency = 4 }: HostLimiterOptions = {}): HostLimiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number ≥ 1, got ${concurrency}`);
  }

  const busyHosts = new Set<string>();
  const waiting: Waiting[] = [];

  function pump(): void {
    for (let i = 0; i < waiting.length && busyHosts.size < concurrency;) {
      const next = waiting[i];
      if (!next || busyHosts.has(next.host)) {
        i++;
        continue;
      }
      waiting.splice(i, 1);
      busyHosts.add(next.host);
      next.start();
    }
  }

  function run<T>(url: string, task: () => Promise<T>): Promise<T> {
    const host = hostOf(url);
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        let result: Promise<T>;
        try {
          result = Promise.resolve(task());
        } catch (error) {
          result = Promise.reject(error);
        }
        result.then(resolve, reject).finally(() => {
          busyHosts.delete(host);
          pump();
        });
      };
      waiting.push({ host, start });
      pump();
    });
  }

  return { run };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
