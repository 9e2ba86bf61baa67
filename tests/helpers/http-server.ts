/**
 * A real HTTP server on 127.0.0.1 for network tests: no mocked `fetch`, so redirects,
 * compression, slow bodies and aborts behave as they do on the wire. Also the hostile answers
 * the network tests need: a trickle, an endless body, a gzip bomb.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

const KIB = 1024;
const MIB = 1024 * KIB;

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` (or the address asked for), no trailing slash. */
  baseUrl: string;
  /** Every request received, in order, so tests can assert what the client sent. */
  requests: RecordedRequest[];
  /** Destroys open sockets (trickling or endless responses included), then stops listening. */
  close: () => Promise<void>;
}

/**
 * Starts a server on an ephemeral port that answers every request with `handler`. `host` is
 * 127.0.0.1 unless a test needs a second host name: Linux routes all of 127.0.0.0/8 to the
 * loopback interface, so `127.0.0.2` is another host to the per-host limiter and holds.
 */
export async function startTestServer(
  handler: RequestListener,
  host = '127.0.0.1',
): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
    });
    handler(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound once, then released. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Sends the headers at once, then `chunk` every `everyMs` until the client goes away: a server
 * that is alive but never finishes (HOSTILE-INPUTS A1).
 */
export function trickle(response: ServerResponse, everyMs: number, chunk = 'x'): void {
  response.writeHead(200, { 'Content-Type': 'application/rss+xml' });
  response.flushHeaders();
  const timer = setInterval(() => response.write(chunk), everyMs);
  response.on('close', () => clearInterval(timer));
}

/**
 * Writes as fast as the client reads, forever (HOSTILE-INPUTS A2). Resolves `closed` when the
 * client has hung up, so a test can check that it did.
 */
export function endless(response: ServerResponse): { closed: Promise<void> } {
  response.writeHead(200, { 'Content-Type': 'application/rss+xml' });
  const chunk = Buffer.alloc(16 * KIB, 'a');
  let open = true;
  const closed = new Promise<void>((resolve) =>
    response.on('close', () => {
      open = false;
      resolve();
    }),
  );
  const pump = (): void => {
    while (open && response.write(chunk));
    if (open) response.once('drain', pump);
  };
  pump();
  return { closed };
}

/**
 * One gzip member holding 1 MiB of zeros: about 1 KB. Gzip allows members back to back, and
 * decoders (Node's, browsers') inflate them as one stream, so repeating it makes a bomb of any
 * size without compressing it first. Deflate cannot beat about 1000:1, so 1 GiB of output
 * needs about 1 MiB on the wire; each piece is "a few KB".
 */
export const GZIP_BOMB_MEMBER = gzipSync(Buffer.alloc(MIB));

/**
 * Answers with a gzip bomb that inflates to `inflatedMiB` MiB (default 1024: 1 GiB) of zeros,
 * as `Content-Encoding: gzip` with no length, written only as fast as the client reads
 * (HOSTILE-INPUTS A3). Returns how many compressed bytes it has sent so far.
 */
export function gzipBomb(
  response: ServerResponse,
  inflatedMiB = 1024,
): { sentBytes: () => number } {
  response.writeHead(200, {
    'Content-Type': 'application/rss+xml',
    'Content-Encoding': 'gzip',
  });
  let members = 0;
  let open = true;
  response.on('close', () => {
    open = false;
  });
  const pump = (): void => {
    while (open && members < inflatedMiB) {
      members += 1;
      if (!response.write(GZIP_BOMB_MEMBER)) {
        response.once('drain', pump);
        return;
      }
    }
    if (open) response.end();
  };
  pump();
  return { sentBytes: () => members * GZIP_BOMB_MEMBER.byteLength };
}
