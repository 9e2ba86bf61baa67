/**
 * Child process of the listing bench's memory measurement (see `smallestHeapMb` in
 * listing.bench.ts): loads the bundled extractors, the page and the extractor, then extracts
 * the posts with ours (`ours`), with htmlparser2 + css-select (`peer`), or does nothing more
 * (`idle`), and prints how many posts it read.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundlePath, pagePath, mode] = process.argv.slice(2);
const { ours, peer, PAGE_URL } = await import(pathToFileURL(bundlePath).href);
const { html, extractor } = JSON.parse(readFileSync(pagePath, 'utf8'));
const run = { ours, peer }[mode];
const posts = run ? run(html, PAGE_URL, extractor) : [];
process.stdout.write(`${posts.length}\n`);
