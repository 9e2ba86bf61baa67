/**
 * Child process of the feed benchmark's memory measurement: loads the bundled parser and one
 * feed file, then parses it (`parse`) or does nothing more (`idle`). The parent runs it under decreasing
 * `--max-old-space-size` limits to find the smallest heap in which each finishes; the
 * difference is the parse's peak extra heap. The feed is read into a Buffer, whose bytes live
 * outside the V8 heap, as a fetched body's do.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundlePath, feedPath, mode] = process.argv.slice(2);
const { parseFeed } = await import(pathToFileURL(bundlePath).href);
const bytes = new Uint8Array(readFileSync(feedPath));
const feed = mode === 'parse' ? parseFeed(bytes) : undefined;
process.stdout.write(`${feed?.items.length ?? 0}\n`);
