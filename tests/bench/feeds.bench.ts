/**
 * `npm run bench`, feed section (issue 3, "Benchmark"): Dispatch's full path from response
 * bytes to normalized posts (`parseFeed`) against the feed libraries it was chosen over and
 * against two limits — htmlparser2's `Tokenizer` with empty callbacks (the floor for any
 * parser built on it; `JSON.parse` plays that part for JSON Feed) and `TextDecoder` alone —
 * on generated feeds (`feed-corpus.ts`). All subjects of one feed run interleaved in this one
 * process. Then the parser's peak memory (child processes, see `measurePeakHeap`) and its
 * share of the bundled background script. Targets are printed with OK/MISS; nothing fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { it } from 'vitest';
import { bundleForBrowser, kb } from './bundle';
import { BENCH_FORMATS, generateFeed, type BenchFeed } from './feed-corpus';
import { measureInterleaved, type Measurement } from './harness';
import { PEERS } from './peers';

const SIZES = [100, 1000] as const;
/**
 * Warm-up runs put about 3,000 items through every subject before timing starts: V8 compiles
 * per-item functions (ours and the peers') with its optimizing tier only after a few thousand
 * calls, so three warm-up runs of a 100-item feed would time the JIT, not the parser, and
 * favour whoever happened to run first.
 */
const RUNS: Record<(typeof SIZES)[number], { runs: number; warmup: number }> = {
  100: { runs: 21, warmup: 30 },
  1000: { runs: 7, warmup: 3 },
};
/** Targets from the issue. */
const TARGET_VS_RSS_PARSER = 3;
const TARGET_VS_TOKENIZER = 2;
const TARGET_PEAK_HEAP = 4;

const CACHE = 'node_modules/.cache/dispatch-bench';
const decoder = new TextDecoder();
const noop = (): void => undefined;
const EMPTY_CALLBACKS: TokenizerCallbacks = {
  onattribdata: noop,
  onattribentity: noop,
  onattribend: noop,
  onattribname: noop,
  oncdata: noop,
  onclosetag: noop,
  oncomment: noop,
  ondeclaration: noop,
  onend: noop,
  onopentagend: noop,
  onopentagname: noop,
  onprocessinginstruction: noop,
  onselfclosingtag: noop,
  ontext: noop,
  ontextentity: noop,
};

/** The tokenizer as `parseFeed` configures it (XML mode, entities left to us), nothing else. */
function tokenizeOnly(bytes: Uint8Array): void {
  const tokenizer = new Tokenizer({ xmlMode: true, decodeEntities: false }, EMPTY_CALLBACKS);
  tokenizer.write(decoder.decode(bytes));
  tokenizer.end();
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const fmtMs = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const verdict = (ok: boolean) => (ok ? 'OK' : 'MISS');

interface FeedResult {
  feed: BenchFeed;
  ours: Measurement;
  peers: Measurement[];
  limit: Measurement;
  decodeOnly: Measurement;
}

async function timeFeed(feed: BenchFeed): Promise<FeedResult> {
  const peers = PEERS.filter((peer) => peer.name !== 'ours' && peer.supports(feed.format));
  const limitName = feed.format === 'json' ? 'JSON.parse only (limit)' : 'Tokenizer only (limit)';
  const variants = [
    { name: 'ours (parseFeed)', fn: () => PEERS[0]!.time(feed.bytes) },
    ...peers.map((peer) => ({ name: peer.name, fn: () => peer.time(feed.bytes) })),
    {
      name: limitName,
      fn: () =>
        feed.format === 'json' ? JSON.parse(decoder.decode(feed.bytes)) : tokenizeOnly(feed.bytes),
    },
    { name: 'TextDecoder only', fn: () => decoder.decode(feed.bytes) },
  ];
  const measured = await measureInterleaved(variants, RUNS[feed.items as 100 | 1000]);
  return {
    feed,
    ours: measured[0]!,
    peers: measured.slice(1, 1 + peers.length),
    limit: measured[1 + peers.length]!,
    decodeOnly: measured[2 + peers.length]!,
  };
}

interface Miss {
  kind: 'rss-parser' | 'fastest' | 'limit';
  feed: string;
}

function describeFeed({ feed, ours, peers, limit, decodeOnly }: FeedResult): {
  lines: string[];
  misses: Miss[];
} {
  const size = mb(feed.bytes.length);
  const speed = (m: Measurement) => `${(size / (m.medianMs / 1000)).toFixed(0).padStart(5)} MB/s`;
  const row = (m: Measurement, note = '') =>
    `  ${m.name.padEnd(28)} ${fmtMs(m.medianMs).padStart(8)} ms ${speed(m)}  ${note}`.trimEnd();
  const lines = [`\n${feed.name}, ${(feed.bytes.length / 1024).toFixed(0)} KB`, row(ours)];
  const misses: Miss[] = [];
  for (const peer of peers) {
    const ratio = peer.medianMs / ours.medianMs;
    let note = `ours ${ratio.toFixed(2)}× faster`;
    if (peer.name === 'rss-parser') {
      const ok = ratio >= TARGET_VS_RSS_PARSER;
      note += `   target ≥ ${TARGET_VS_RSS_PARSER}×  ${verdict(ok)}`;
      if (!ok) misses.push({ kind: 'rss-parser', feed: feed.name });
    }
    lines.push(row(peer, note));
  }
  const limitRatio = ours.medianMs / limit.medianMs;
  const limitOk = limitRatio <= TARGET_VS_TOKENIZER;
  lines.push(
    row(
      limit,
      `ours takes ${limitRatio.toFixed(2)}× its time   target ≤ ${TARGET_VS_TOKENIZER}×  ${verdict(limitOk)}`,
    ),
  );
  lines.push(row(decodeOnly));
  const fastest = [...peers].sort((a, b) => a.medianMs - b.medianMs)[0];
  if (fastest) {
    const ok = ours.medianMs <= fastest.medianMs;
    lines.push(
      `  fastest full library: ${fastest.name}; ours ${(fastest.medianMs / ours.medianMs).toFixed(2)}× as fast   target ≥ 1×  ${verdict(ok)}`,
    );
    if (!ok) misses.push({ kind: 'fastest', feed: feed.name });
  }
  if (!limitOk) misses.push({ kind: 'limit', feed: feed.name });
  return { lines, misses };
}

/**
 * Peak extra heap of one parse, measured as the smallest V8 heap it can finish in. A child
 * process loads the bundled parser and the feed (a Buffer: its bytes are off-heap, like a
 * fetched body's) and parses it under `--max-old-space-size=N` with a 1 MB young generation;
 * V8 collects garbage before it gives up, so the smallest N that works is the most the parse
 * ever held live at once (everything it allocated that was still reachable, the decoded
 * string and the finished result included). The same search for a child that loads but does
 * not parse gives the baseline; the difference, to 1 MB, is the parse's peak. Sampling
 * `process.memoryUsage()` around a synchronous parse would only see its start and end, and
 * a heap delta without collections counts garbage as if it were live. (A lone large string
 * made by native code can overshoot the limit until the next allocation, so the method only
 * holds for work that goes on allocating after it, as a parse does after decoding.)
 */
function smallestHeapMb(bundle: string, file: string, mode: 'parse' | 'idle'): number {
  const fits = (limit: number) =>
    spawnSync(
      process.execPath,
      [
        `--max-old-space-size=${limit}`,
        '--max-semi-space-size=1',
        'tests/bench/memory-child.mjs',
        bundle,
        file,
        mode,
      ],
      { stdio: 'ignore' },
    ).status === 0;
  let low = 1;
  let high = 8;
  while (!fits(high)) {
    low = high;
    high *= 2;
    if (high > 4096) throw new Error(`${mode} ${file} does not fit in 4 GB`);
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) high = middle;
    else low = middle;
  }
  return high;
}

it('parses generated feeds against peer libraries', async () => {
  const out: string[] = [
    '\n## Feed parsing: bytes → parsed feed, medians of interleaved runs (ms, MB/s of input)',
    'Peers get the bytes decoded with TextDecoder inside their time (none takes bytes);',
    'rss-parser is awaited (xml2js calls back). The XML limit is htmlparser2’s Tokenizer in',
    'XML mode with empty callbacks and entity decoding off (the tokens our own scanner',
    'reproduces), on TextDecoder output; for JSON Feed the limit is JSON.parse. No JSON Feed',
    'support in rss-parser or @rowanmanning/feed-parser.',
  ];
  const misses: Miss[] = [];
  const feeds: BenchFeed[] = [];
  for (const items of SIZES) {
    for (const format of BENCH_FORMATS) {
      const feed = generateFeed(format, items);
      feeds.push(feed);
      const described = describeFeed(await timeFeed(feed));
      out.push(...described.lines);
      misses.push(...described.misses);
    }
  }
  const tally = (kind: Miss['kind'], applicable: number) =>
    `${applicable - misses.filter((miss) => miss.kind === kind).length}/${applicable} OK`;
  const withRssParser = feeds.filter((feed) => feed.format !== 'json').length;
  out.push(
    `\nSpeed targets: ≥ ${TARGET_VS_RSS_PARSER}× rss-parser ${tally('rss-parser', withRssParser)}; ` +
      `≥ fastest full library ${tally('fastest', feeds.length)}; ` +
      `≤ ${TARGET_VS_TOKENIZER}× the limit ${tally('limit', feeds.length)}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);

  mkdirSync(CACHE, { recursive: true });
  const parser = await bundleForBrowser(`export { parseFeed } from '@/utils/feed/parse';`);
  const bundlePath = join(CACHE, 'parse-feed.mjs');
  writeFileSync(bundlePath, parser.code);

  const memory = ['\n## Feed parsing: peak extra heap of one parseFeed (1,000 items)'];
  memory.push(
    'Smallest --max-old-space-size (1 MB young generation) in which a child process finishes',
    'the parse, minus the same for a child that only loads the parser and the bytes. For scale,',
    'the decoded string, which lives through the whole parse: V8 stores text with any character',
    'above U+00FF at two bytes a character, so for these feeds it alone is about 2× the input.',
  );
  for (const feed of feeds.filter((candidate) => candidate.items === 1000)) {
    const file = join(CACHE, `${feed.format}-${feed.items}.bin`);
    writeFileSync(file, feed.bytes);
    const idle = smallestHeapMb(bundlePath, file, 'idle');
    const peak = smallestHeapMb(bundlePath, file, 'parse') - idle;
    const text = decoder.decode(feed.bytes);
    const decoded = mb(text.length * (/[\u0100-\uffff]/.test(text) ? 2 : 1));
    const input = mb(feed.bytes.length);
    const ratio = peak / input;
    memory.push(
      `  ${feed.name.padEnd(20)} input ${input.toFixed(1).padStart(5)} MB  peak +${String(peak).padStart(3)} MB = ${ratio.toFixed(1)}× input   target ≤ ${TARGET_PEAK_HEAP}×  ${verdict(ratio <= TARGET_PEAK_HEAP)}   (decoded string ${decoded.toFixed(1)} MB = ${(decoded / input).toFixed(1)}×)`,
    );
  }
  process.stdout.write(`${memory.join('\n')}\n`);

  const background = '.output/chrome-mv3/background.js';
  const share = ['\n## Feed parser in the bundled background script (minified, gzip -9)'];
  share.push(
    `  utils/feed/parse.ts and its imports, bundled alone: ${kb(parser.bytes)} min, ${kb(parser.gzipBytes)} gz`,
  );
  if (existsSync(background)) {
    const gz = gzipSync(readFileSync(background), { level: 9 }).length;
    share.push(
      `  background.js: ${kb(gz)} gz → the parser is about ${((parser.gzipBytes / gz) * 100).toFixed(0)}% of it` +
        '',
    );
  } else {
    share.push(`  ${background} not built (npm run bench builds it first)`);
  }
  process.stdout.write(`${share.join('\n')}\n`);
}, 600_000);
