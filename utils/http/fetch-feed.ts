/**
 * Fetches one feed politely and safely: conditional GET, no cookies, a whole-request
 * deadline, an idle timer between body chunks and a cap on decoded bytes. Every outcome is a
 * value (`FetchResult`), worded for a person, so the poll cycle can store it on the feed and
 * back off (DESIGN.md §5, HOSTILE-INPUTS.md A1–A11, A15, A16).
 *
 * Depends on the platform (`fetch`, `AbortController`, `URL`, timers) and the date parser of
 * `utils/feed/dates` (for `Retry-After` dates). `fetch` and `now` are parameters so tests pass
 * fakes instead of mocking globals.
 */
import { parseFeedDate } from '@/utils/feed/dates';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const KIB = 1024;
const MIB = 1024 * KIB;

/** Defaults for `FetchFeedOptions`; exported so callers and tests can refer to them. */
export const FETCH_DEFAULTS = {
  /** Chrome kills an extension service worker whose `fetch()` response takes > 30 s. */
  timeoutMs: 25 * SECOND,
  idleTimeoutMs: 10 * SECOND,
  /** Generous for any real feed (JSON Feed calls 1 MB a burden), small enough for a worker. */
  maxBytes: 5 * MIB,
} as const;

/** Bounds applied to `Retry-After`: never hammer sooner than a minute, never wait past a day. */
export const RETRY_AFTER_MIN_MS = MINUTE;
export const RETRY_AFTER_MAX_MS = DAY;

/** Feed types first; `*\/*` last so a mislabelled feed (HOSTILE A12) is still served. */
export const FEED_ACCEPT =
  'application/feed+json, application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';

/** Cache validators from a previous response, echoed back as a conditional GET. */
export interface Validators {
  /** `ETag` as received (weak `W/"…"` included); sent as `If-None-Match`. */
  etag?: string;
  /** `Last-Modified` as received; sent as `If-Modified-Since`. */
  lastModified?: string;
}

export interface FetchFeedOptions {
  /** Sent as `If-None-Match` / `If-Modified-Since`; values that are not valid header text are skipped. */
  validators?: Validators;
  /** Injected; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Whole-request deadline (headers and body), default 25 s. */
  timeoutMs?: number;
  /** Longest allowed gap between body chunks once headers have arrived, default 10 s. */
  idleTimeoutMs?: number;
  /**
   * Cap on DECODED body bytes as counted from the stream reader, default 5 MiB. `fetch`
   * decompresses transparently and `Content-Length` is the wire size (or a lie), so only the
   * reader's count protects against gzip bombs and endless bodies.
   */
  maxBytes?: number;
  /** Clock for `Retry-After` HTTP-dates, default `Date.now`. */
  now?: () => number;
  /**
   * Caller cancellation. An abort whose reason is a `TimeoutError` (e.g. `AbortSignal.timeout`)
   * is reported as 'timeout'; any other abort as 'network' ("The request was cancelled").
   */
  signal?: AbortSignal;
}

export type FetchResult =
  | {
      kind: 'ok';
      status: number;
      /** Final URL after redirects; resolve the feed's relative links against it (HOSTILE A5, A6). */
      url: string;
      /** True when at least one redirect was followed (status of the hops is not visible to `fetch`). */
      redirected: boolean;
      body: Uint8Array;
      contentType?: string;
      /** Store these only together with the posts they describe (HOSTILE A11). */
      validators: Validators;
      /** Freshness lifetime from `Cache-Control: max-age` minus `Age`: a floor for the next poll. */
      maxAgeMs?: number;
      /** The raw `Link` header, when present: a page may name its feed there (HOSTILE A13). */
      link?: string;
    }
  | { kind: 'not-modified'; url: string; validators: Validators; maxAgeMs?: number }
  | { kind: 'error'; error: FetchErrorInfo };

export type FetchErrorCode =
  | 'timeout'
  | 'too-large'
  | 'network'
  | 'redirect-loop'
  | 'http'
  | 'gone'
  | 'rate-limited'
  | 'bad-url';

export interface FetchErrorInfo {
  code: FetchErrorCode;
  /** In words, for a person: "The server answered 503 Service Unavailable". */
  message: string;
  /** HTTP status when the server answered. */
  status?: number;
  /** From `Retry-After`, clamped to 1 min–24 h; a floor for the next attempt. */
  retryAfterMs?: number;
}

/** Why we aborted our own request; decides the error code when `fetch` or `read()` rejects. */
type StopReason = 'deadline' | 'idle' | 'too-large' | 'caller';

/**
 * Fetches `url` as a feed. Never throws: every failure, including a bad URL, comes back as
 * `{ kind: 'error' }` with a code and a sentence. Requests omit credentials (a poll must not
 * carry the user's session cookies, HOSTILE A15), follow redirects, and bypass the HTTP cache
 * because we do our own conditional GET from stored validators.
 *
 * Does not judge whether the URL is a private-network address (HOSTILE A16): that is a
 * subscribe-time decision, and tests poll loopback servers.
 */
export async function fetchFeed(url: string, options: FetchFeedOptions = {}): Promise<FetchResult> {
  const {
    validators = {},
    fetch: fetchImpl = globalThis.fetch,
    timeoutMs = FETCH_DEFAULTS.timeoutMs,
    idleTimeoutMs = FETCH_DEFAULTS.idleTimeoutMs,
    maxBytes = FETCH_DEFAULTS.maxBytes,
    now = Date.now,
    signal: callerSignal,
  } = options;

  const target = checkUrl(url);
  if (typeof target === 'string') return fail('bad-url', target);

  if (callerSignal?.aborted) return cancelled(callerSignal.reason, timeoutMs);

  const controller = new AbortController();
  let stopReason: StopReason | undefined;
  const stop = (reason: StopReason): void => {
    if (stopReason) return;
    stopReason = reason;
    controller.abort(new Error(`fetchFeed stopped: ${reason}`));
  };
  // Settles only by rejecting, when we abort; raced against fetch() and read() so a fetch
  // implementation that ignores its signal cannot hold the poll past the deadline.
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), {
      once: true,
    });
  });
  aborted.catch(() => {});

  const onCallerAbort = (): void => stop('caller');
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const deadline = setTimeout(() => stop('deadline'), timeoutMs);

  const failStopped = (cause: unknown): FetchResult => {
    switch (stopReason) {
      case 'deadline':
        return fail('timeout', `No answer within ${formatDuration(timeoutMs)}`);
      case 'idle':
        return fail('timeout', `The server stopped sending for ${formatDuration(idleTimeoutMs)}`);
      case 'too-large':
        return fail('too-large', `The feed is larger than ${formatBytes(maxBytes)}`);
      case 'caller':
        return cancelled(callerSignal?.reason, timeoutMs);
      default:
        return networkFailure(cause);
    }
  };

  try {
    let response: Response;
    try {
      const pending = fetchImpl(target.href, {
        method: 'GET',
        headers: requestHeaders(validators),
        credentials: 'omit',
        redirect: 'follow',
        cache: 'no-store',
        signal: controller.signal,
      });
      pending.catch(() => {});
      response = await Promise.race([pending, aborted]);
    } catch (error) {
      return failStopped(error);
    }

    const finalUrl = response.url || target.href;
    const status = response.status;
    const headers = response.headers;

    if (status === 304) {
      discard(response);
      return {
        kind: 'not-modified',
        url: finalUrl,
        validators: { ...cleanValidators(validators), ...responseValidators(headers) },
        ...maxAgeOf(headers),
      };
    }

    if (status < 200 || status > 299) {
      discard(response);
      return { kind: 'error', error: httpError(status, response.statusText, headers, now) };
    }

    let body: Uint8Array;
    try {
      body = await readCapped(response, { maxBytes, idleTimeoutMs, aborted, stop });
    } catch (error) {
      return stopReason ? failStopped(error) : brokenBody(error);
    }
    if (stopReason === 'too-large') return failStopped(undefined);

    const contentType = headers.get('content-type');
    const link = headers.get('link');
    return {
      kind: 'ok',
      status,
      url: finalUrl,
      redirected: response.redirected,
      body,
      ...(contentType ? { contentType } : {}),
      validators: responseValidators(headers),
      ...maxAgeOf(headers),
      ...(link ? { link } : {}),
    };
  } finally {
    clearTimeout(deadline);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * Parses a `Retry-After` value (RFC 9110 §10.2.3): delta-seconds, or an HTTP-date in any of
 * the three formats a recipient must accept (IMF-fixdate, obsolete RFC 850, asctime). Dates
 * are parsed explicitly rather than with `new Date(str)`, whose leniency differs between
 * engines. Returns milliseconds from `now`, clamped to 1 min–24 h so a server can neither make
 * us hammer it nor silence a feed for good; `undefined` when absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  let delayMs: number | undefined;
  if (/^\d+$/.test(text)) {
    delayMs = Number(text) * SECOND;
  } else {
    const date = parseHttpDate(text, now);
    if (date !== undefined) delayMs = date - now;
  }
  if (delayMs === undefined || Number.isNaN(delayMs)) return undefined;
  return clamp(delayMs, RETRY_AFTER_MIN_MS, RETRY_AFTER_MAX_MS);
}

/**
 * Reads `max-age` from a `Cache-Control` value (RFC 9111 §5.2.2.1) and returns it in
 * milliseconds, or `undefined` when absent or malformed. Directive names are case-insensitive;
 * a quoted value is tolerated; when the directive repeats, the first wins. `s-maxage` is for
 * shared caches and is ignored. Not clamped: the poll scheduler caps its delays.
 */
export function parseMaxAge(value: string | null | undefined): number | undefined {
  if (value == null) return undefined;
  for (const directive of value.split(',')) {
    const match = /^\s*max-age\s*=\s*(?:"(\d+)"|(\d+))\s*$/i.exec(directive);
    if (match) return Number(match[1] ?? match[2]) * SECOND;
    if (/^\s*max-age\s*(=|$)/i.test(directive)) return undefined;
  }
  return undefined;
}

/**
 * Reads the whole body through a reader, counting decoded bytes. Calls `stop('too-large')` and
 * returns what it has once the count passes `maxBytes`, and `stop('idle')` when no chunk comes
 * for `idleTimeoutMs`; rejects when the stream breaks or `aborted` does. Never calls
 * `text()`/`arrayBuffer()`, which would buffer an endless body or a gzip bomb whole.
 */
async function readCapped(
  response: Response,
  limits: {
    maxBytes: number;
    idleTimeoutMs: number;
    aborted: Promise<never>;
    stop: (reason: StopReason) => void;
  },
): Promise<Uint8Array> {
  const { maxBytes, idleTimeoutMs, aborted, stop } = limits;
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const armIdle = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop('idle'), idleTimeoutMs);
  };
  let complete = false;
  try {
    armIdle();
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) {
        complete = true;
        break;
      }
      total += value.byteLength;
      if (total > maxBytes) {
        stop('too-large');
        break;
      }
      chunks.push(value);
      armIdle();
    }
  } finally {
    clearTimeout(idleTimer);
    // Cancelling tells the network layer to stop downloading (and inflating) the rest.
    if (complete) reader.releaseLock();
    else reader.cancel().catch(() => {});
  }
  return concat(chunks, total);
}

/** Returns the parsed URL, or a sentence saying why it cannot be fetched. */
function checkUrl(url: string): URL | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `“${truncate(url)}” is not a web address`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `Only http and https addresses can be fetched, not ${parsed.protocol}`;
  }
  if (parsed.username || parsed.password) {
    return 'Addresses with a user name or password in them are not supported';
  }
  return parsed;
}

function requestHeaders(validators: Validators): Headers {
  const headers = new Headers({ Accept: FEED_ACCEPT });
  const { etag, lastModified } = cleanValidators(validators);
  if (etag) headers.set('If-None-Match', etag);
  if (lastModified) headers.set('If-Modified-Since', lastModified);
  return headers;
}

/** Drops stored validators that are not valid header values (servers send odd ones, HOSTILE A11). */
function cleanValidators(validators: Validators): Validators {
  const result: Validators = {};
  const etag = validators.etag?.trim();
  const lastModified = validators.lastModified?.trim();
  if (etag && isHeaderValue(etag)) result.etag = etag;
  if (lastModified && isHeaderValue(lastModified)) result.lastModified = lastModified;
  return result;
}

function isHeaderValue(value: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]+$/.test(value);
}

function responseValidators(headers: Headers): Validators {
  const result: Validators = {};
  const etag = headers.get('etag');
  const lastModified = headers.get('last-modified');
  if (etag) result.etag = etag;
  if (lastModified) result.lastModified = lastModified;
  return result;
}

/** `max-age` minus the `Age` a cache in between has already used up. */
function maxAgeOf(headers: Headers): { maxAgeMs?: number } {
  const maxAge = parseMaxAge(headers.get('cache-control'));
  if (maxAge === undefined) return {};
  const age = headers.get('age')?.trim();
  const ageMs = age && /^\d+$/.test(age) ? Number(age) * SECOND : 0;
  return { maxAgeMs: Math.max(0, maxAge - ageMs) };
}

function httpError(
  status: number,
  statusText: string,
  headers: Headers,
  now: () => number,
): FetchErrorInfo {
  const answered = `The server answered ${status} ${reasonPhrase(status, statusText)}`;
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now());
  const wait =
    retryAfterMs === undefined ? '' : ` and asked us to wait ${formatDuration(retryAfterMs)}`;
  const withRetry = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 410) {
    return { code: 'gone', status, message: `${answered}: the feed has been removed for good` };
  }
  if (status === 429 || status === 503) {
    return { code: 'rate-limited', status, message: `${answered}${wait}`, ...withRetry };
  }
  return { code: 'http', status, message: `${answered}${wait}`, ...withRetry };
}

function networkFailure(error: unknown): FetchResult {
  const detail = errorDetail(error);
  if (/redirect/i.test(detail)) {
    return fail('redirect-loop', `The address redirects in a loop or too many times (${detail})`);
  }
  return fail('network', `Could not reach the server${detail ? ` (${detail})` : ''}`);
}

function brokenBody(error: unknown): FetchResult {
  const detail = errorDetail(error);
  return fail(
    'network',
    `The connection broke while the feed was downloading${detail ? ` (${detail})` : ''}`,
  );
}

function cancelled(reason: unknown, timeoutMs: number): FetchResult {
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return fail('timeout', `No answer within ${formatDuration(timeoutMs)}`);
  }
  return fail('network', 'The request was cancelled');
}

/** The most specific words an error carries: Node puts the real reason in `cause`. */
function errorDetail(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current.message) messages.push(current.message);
    current = current.cause;
  }
  return messages.at(-1) ?? '';
}

function fail(code: FetchErrorCode, message: string): FetchResult {
  return { kind: 'error', error: { code, message } };
}

/** Lets the connection go without reading a body we do not need. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const REASON_PHRASES: Record<number, string> = {
  300: 'Multiple Choices',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  410: 'Gone',
  418: "I'm a teapot",
  429: 'Too Many Requests',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** HTTP/2 and HTTP/3 carry no reason phrase, so known statuses get their standard words. */
function reasonPhrase(status: number, statusText: string): string {
  return REASON_PHRASES[status] ?? (statusText.trim() || 'Error');
}

/** "25 seconds", "0.3 seconds", "2 minutes", "1 hour": for sentences about waits and limits. */
export function formatDuration(ms: number): string {
  const unit = (value: number, name: string): string => {
    const rounded = Math.round(value * 10) / 10;
    return `${rounded} ${name}${rounded === 1 ? '' : 's'}`;
  };
  if (ms < 2 * MINUTE) return unit(ms / SECOND, 'second');
  if (ms < 2 * HOUR) return unit(ms / MINUTE, 'minute');
  return unit(ms / HOUR, 'hour');
}

/** "5 MB", "64 KB", "512 bytes" (binary multiples, as the cap is set). */
function formatBytes(bytes: number): string {
  const rounded = (value: number): number => Math.round(value * 10) / 10;
  if (bytes >= MIB) return `${rounded(bytes / MIB)} MB`;
  if (bytes >= KIB) return `${rounded(bytes / KIB)} KB`;
  return `${bytes} bytes`;
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * The three HTTP-date formats: `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate), `Sunday,
 * 06-Nov-94 08:49:37 GMT` (RFC 850, its two-digit year captured) and `Sun Nov  6 08:49:37
 * 1994` (asctime), hours 00-23 (a feed date may say 24:00:00, an HTTP-date may not). The
 * month and the ranges of the other fields are checked by `parseFeedDate`.
 */
const HTTP_DATE =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} (?:[01]\d|2[0-3]):\d\d:\d\d GMT|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d\d-[A-Z][a-z]{2}-(\d\d) (?:[01]\d|2[0-3]):\d\d:\d\d GMT|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} (?: \d|\d\d) (?:[01]\d|2[0-3]):\d\d:\d\d \d{4})$/;

/**
 * Parses an HTTP-date (RFC 9110 §5.6.7) to milliseconds since the epoch, with the feed date
 * parser once its shape is one of the three an HTTP-date may have. The weekday is checked
 * for shape only. A two-digit RFC 850 year more than 50 years ahead of `now` means the most
 * recent past year with those digits, as the RFC asks.
 */
function parseHttpDate(text: string, now: number): number | undefined {
  const match = HTTP_DATE.exec(text);
  if (!match) return undefined;
  const twoDigitYear = match[1];
  if (twoDigitYear === undefined) return parseFeedDate(text);
  const thisYear = new Date(now).getUTCFullYear();
  let year = Math.floor(thisYear / 100) * 100 + Number(twoDigitYear);
  if (year > thisYear + 50) year -= 100;
  return parseFeedDate(text.replace(`-${twoDigitYear} `, `-${year} `));
}
