/**
 * `npm run evaluate` (issue 3, "Choose the building blocks by measurement"): the feed and XML
 * parsers Dispatch could build on, measured on what matters for a feed reader's service
 * worker, and printed as the table in `docs/decisions.md`:
 *
 * - conformance on `../shared/conformance/` — feed libraries mapped to the corpus's normalized
 *   fields (`peers.ts`) and compared like the project's conformance test does; bare XML
 *   parsers on what they accept of the 1,544 XML files, entities and namespaces;
 * - speed on generated feeds (`feed-corpus.ts`), interleaved; `npm run bench` has the full set;
 * - size, bundled for the browser with rolldown (minified, gzip -9);
 * - service-worker safety: the browser bundle is run in a bare V8 context holding only what a
 *   worker has (no `require`, `process`, `Buffer`, DOM), plus a scan for `eval`-like code.
 *
 * Our parser's conformance figures here use this file's comparison; the figures that count
 * come from the conformance test in `npm test`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import vm from 'node:vm';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseDocument, Parser, Tokenizer } from 'htmlparser2';
import { SaxesParser } from 'saxes';
import { it } from 'vitest';
import { decodeFeedBytes } from '@/utils/feed/decode';
import { htmlToText } from '@/utils/text';
import { bundleForBrowser, kb } from './bundle';
import { generateFeed, type BenchFeed } from './feed-corpus';
import { measureInterleaved } from './harness';
import { PEERS, type NormalizedEntry, type NormalizedFeed, type PeerName } from './peers';

const CORPUS = resolve('../shared/conformance');

interface CorpusFile {
  file: string;
  format: string;
  wellformed: boolean;
  category?: string;
  expect_parse_error?: string;
  http?: { document_url?: string; headers?: Record<string, string> };
}

interface Expectation {
  file: string;
  format: string;
  field: string;
  expected: unknown;
  op?: 'includes';
  value_type?: 'text' | 'html';
  expected_text?: string;
  strength: 'required' | 'advisory';
}

interface CorpusEntry extends CorpusFile {
  folder: string;
  bytes: Uint8Array;
  text: string;
  contentType?: string;
  expectations: Expectation[];
}

function loadCorpus(): CorpusEntry[] {
  if (!existsSync(join(CORPUS, 'feedparser/expectations.json'))) {
    throw new Error(`The conformance corpus is missing: expected it at ${CORPUS}`);
  }
  const entries: CorpusEntry[] = [];
  for (const folder of ['feedparser', 'jsonfeed']) {
    const data = JSON.parse(readFileSync(join(CORPUS, folder, 'expectations.json'), 'utf8')) as {
      files: CorpusFile[];
      expectations: Expectation[];
    };
    const byFile = new Map<string, Expectation[]>();
    for (const expectation of data.expectations) {
      byFile.set(expectation.file, [...(byFile.get(expectation.file) ?? []), expectation]);
    }
    for (const file of data.files) {
      const bytes = new Uint8Array(readFileSync(join(CORPUS, folder, file.file)));
      const headers = file.http?.headers ?? {};
      const contentType = Object.entries(headers).find(
        ([name]) => name.toLowerCase() === 'content-type',
      )?.[1];
      let text: string;
      try {
        text = decodeFeedBytes(bytes, contentType).text;
      } catch {
        text = new TextDecoder().decode(bytes);
      }
      entries.push({
        ...file,
        folder,
        bytes,
        text,
        contentType,
        expectations: byFile.get(file.file) ?? [],
      });
    }
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Comparing a normalized value with an expectation (the corpus README, "How a project test
// can use it"), the same for every library.

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

function instant(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : time;
  }
  return undefined;
}

function pick(feed: NormalizedFeed, field: string): unknown {
  const [, index, name] = /^entry\[(\d+)\]\.(\w+)$/.exec(field) ?? [];
  if (index !== undefined) {
    return feed.entries[Number(index)]?.[name as keyof NormalizedEntry];
  }
  return feed[field.slice('feed.'.length) as 'title' | 'link' | 'description'];
}

function matches(feed: NormalizedFeed, expectation: Expectation): boolean {
  const value = pick(feed, expectation.field);
  if (expectation.expected === null) return isEmpty(value);
  if (expectation.op === 'includes') {
    const wanted = collapse(String(expectation.expected)).toLowerCase();
    return (
      Array.isArray(value) &&
      value.some(
        (member) => typeof member === 'string' && collapse(member).toLowerCase() === wanted,
      )
    );
  }
  if (/\.(published|updated)$/.test(expectation.field)) {
    return instant(value) !== undefined && instant(value) === instant(expectation.expected);
  }
  if (typeof value !== 'string') return false;
  if (collapse(value) === collapse(String(expectation.expected))) return true;
  // HTML values may be kept as HTML or reduced to text: both count, for every library alike.
  return (
    expectation.value_type === 'html' &&
    collapse(htmlToText(value)) === collapse(expectation.expected_text ?? '')
  );
}

interface Score {
  required: Map<string, { passed: number; total: number }>;
  advisory: { passed: number; total: number };
  throws: number;
  throwsIllformed: number;
  throwsJson: number;
  errorFilesRejected: number;
  /** Required mismatches and throws, for `EVALUATE_VERBOSE=1`. */
  problems: string[];
}

async function score(peer: (typeof PEERS)[number], corpus: CorpusEntry[]): Promise<Score> {
  const result: Score = {
    required: new Map(),
    advisory: { passed: 0, total: 0 },
    throws: 0,
    throwsIllformed: 0,
    throwsJson: 0,
    errorFilesRejected: 0,
    problems: [],
  };
  for (const entry of corpus) {
    let feed: NormalizedFeed | undefined;
    try {
      feed = await peer.normalize({
        bytes: entry.bytes,
        text: entry.text,
        url: entry.http?.document_url,
        contentType: entry.contentType,
        format: entry.format,
      });
    } catch (error) {
      if (!entry.expect_parse_error) {
        result.problems.push(
          `${entry.file}: throws ${String((error as Error).message).slice(0, 80)}`,
        );
      }
      if (entry.expect_parse_error) {
        result.errorFilesRejected += 1;
      } else {
        result.throws += 1;
        if (!entry.wellformed) result.throwsIllformed += 1;
        if (entry.format === 'jsonfeed') result.throwsJson += 1;
      }
    }
    if (entry.expect_parse_error && feed && feed.entries.length === 0) {
      result.errorFilesRejected += 1;
    }
    for (const expectation of entry.expectations) {
      const passed = feed !== undefined && matches(feed, expectation);
      if (expectation.strength === 'advisory') {
        result.advisory.total += 1;
        if (passed) result.advisory.passed += 1;
        continue;
      }
      if (!passed && feed) {
        const value = JSON.stringify(pick(feed, expectation.field)) ?? 'undefined';
        result.problems.push(
          `${entry.file}: ${expectation.field} = ${value.slice(0, 80)}, expected ${JSON.stringify(expectation.expected).slice(0, 80)}`,
        );
      }
      const tally = result.required.get(expectation.format) ?? { passed: 0, total: 0 };
      tally.total += 1;
      if (passed) tally.passed += 1;
      result.required.set(expectation.format, tally);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Bare XML parsers: acceptance, entities, namespaces

type XmlParserName = 'fast-xml-parser' | 'saxes' | 'htmlparser2';

/** Parses `text`; returns the first error, or undefined when the parser accepted it. */
const XML_PARSERS: Record<XmlParserName, (text: string) => { error?: string; text?: string }> = {
  'fast-xml-parser': (text) => {
    const valid = XMLValidator.validate(text);
    try {
      const parsed = new XMLParser().parse(text) as unknown;
      return {
        error: valid === true ? undefined : `validator: ${valid.err.msg}`,
        text: JSON.stringify(parsed),
      };
    } catch (error) {
      return { error: `parse: ${(error as Error).message}` };
    }
  },
  saxes: (text) => {
    const parser = new SaxesParser({ xmlns: true });
    let error: string | undefined;
    let content = '';
    parser.on('error', (problem) => {
      error ??= problem.message;
    });
    parser.on('text', (chunk) => {
      content += chunk;
    });
    try {
      parser.write(text).close();
    } catch (problem) {
      error ??= (problem as Error).message;
    }
    return { error, text: content };
  },
  htmlparser2: (text) => {
    let content = '';
    const parser = new Parser(
      {
        ontext: (chunk) => {
          content += chunk;
        },
        onerror: () => undefined,
      },
      { xmlMode: true },
    );
    parser.end(text);
    return { text: content };
  },
};

const DOCTYPE_ENTITY = '<!DOCTYPE a [<!ENTITY e "EXPANDED">]><a>&e;</a>';
const LARGE_ENTITY = `<!DOCTYPE a [<!ENTITY big "${'x'.repeat(9_000)}">]><a>${'&big;'.repeat(5_000)}</a>`;
const NUMERIC_FLOOD = `<a>${'&#65;'.repeat(1_000_000)}</a>`;
const EXTERNAL_ENTITY = '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/hostname">]><a>&x;</a>';

function probe(name: XmlParserName, document: string): string {
  const start = performance.now();
  const { error, text = '' } = XML_PARSERS[name](document);
  const ms = performance.now() - start;
  const time = ms > 50 ? `, ${ms.toFixed(0)} ms` : '';
  if (error && !text) return `error (${error.split('\n')[0]!.slice(0, 50)}${time})`;
  const note = error ? ` + error "${error.split('\n')[0]!.slice(0, 40)}"` : '';
  return `${JSON.stringify(text.length > 40 ? `${text.slice(0, 20)}…(${text.length} chars)` : text)}${note}${time}`;
}

function namespaceSupport(): Record<XmlParserName, string> {
  const document =
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:c="http://purl.org/rss/1.0/modules/content/"><c:encoded>x</c:encoded></feed>';
  let saxesUri = '';
  const sax = new SaxesParser({ xmlns: true });
  sax.on('opentag', (tag) => {
    if (tag.local === 'encoded') saxesUri = tag.uri;
  });
  sax.write(document).close();
  const fxp = JSON.stringify(new XMLParser().parse(document));
  const dom = parseDocument(document, { xmlMode: true });
  const element = dom.children[0] as unknown as { children: { name?: string }[] };
  return {
    'fast-xml-parser': `none: keys as written (${fxp.includes('c:encoded') ? '"c:encoded"' : fxp}), optional removeNSPrefix drops prefixes`,
    saxes: `full (xmlns: true): c:encoded → ${saxesUri}`,
    htmlparser2: `none: qualified names as written ("${element.children[0]?.name}")`,
  };
}

// ---------------------------------------------------------------------------------------------
// Size and service-worker safety

const ENTRIES: Record<string, string> = {
  ours: `import { parseFeed } from '@/utils/feed/parse'; export const parse = (text) => parseFeed(text);`,
  'rss-parser': `import Parser from 'rss-parser'; const parser = new Parser(); export const parse = (text) => parser.parseString(text);`,
  feedsmith: `import { parseFeed } from 'feedsmith'; export const parse = (text) => parseFeed(text);`,
  '@rowanmanning/feed-parser': `import { parseFeed } from '@rowanmanning/feed-parser'; export const parse = (text) => parseFeed(text);`,
  'fast-xml-parser': `import { XMLParser } from 'fast-xml-parser'; export const parse = (text) => new XMLParser().parse(text);`,
  saxes: `import { SaxesParser } from 'saxes'; export const parse = (text) => { const p = new SaxesParser({ xmlns: true }); p.write(text).close(); return true; };`,
  'htmlparser2 Tokenizer': `import { Tokenizer } from 'htmlparser2'; const noop = () => {}; const cb = new Proxy({}, { get: () => noop }); export const parse = (text) => { const t = new Tokenizer({ xmlMode: true, decodeEntities: false }, cb); t.write(text); t.end(); return true; };`,
  'htmlparser2 Parser+DOM': `import { parseDocument } from 'htmlparser2'; export const parse = (text) => parseDocument(text, { xmlMode: true });`,
};

/**
 * Code a worker cannot run, as hints (minified text, so false positives are possible; the
 * run in worker globals below is the verdict). Uses behind a `typeof` check are marked.
 */
const SUSPECT_CODE: [string, RegExp][] = [
  ['eval', /(?<![.\w])eval\s*\(/],
  ['new Function', /\bnew\s+Function\s*\(/],
  ['dynamic import', /(?<![.\w])import\s*\(/],
  ['require', /(?<![.\w])require\s*\(/],
  [
    'DOM',
    /(?<![.\w])(?:document\.(?:create|query|get|body)|window\.(?!parseInt)\w)|\bDOMParser\b|\bXMLHttpRequest\b/,
  ],
  ['process', /(?<![.\w])process\.(?:env|nextTick|version)/],
  ['Buffer', /(?<![.\w])Buffer\.(?:from|alloc|isBuffer)|new Buffer\(/],
];

function suspectCode(code: string): string {
  const found = SUSPECT_CODE.filter(([, pattern]) => pattern.test(code)).map(([label]) =>
    label === 'Buffer' && /typeof Buffer/.test(code) ? 'Buffer (behind typeof)' : label,
  );
  return found.join(', ') || 'none';
}

const SAMPLE_RSS = generateFeed('rss', 3).bytes;

/** Runs the IIFE bundle in a context with only the globals a service worker offers. */
async function runsInWorkerGlobals(code: string): Promise<string> {
  const context = vm.createContext({
    TextDecoder,
    TextEncoder,
    URL,
    URLSearchParams,
    atob,
    btoa,
    console,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    structuredClone,
  });
  context.self = context;
  context.globalThis = context;
  try {
    vm.runInContext(code, context);
    const result: unknown = await vm.runInContext(
      'lib.parse(sample)',
      Object.assign(context, {
        sample: new TextDecoder().decode(SAMPLE_RSS),
      }),
    );
    return result ? 'runs' : 'runs (no result)';
  } catch (error) {
    return `fails: ${String((error as Error).message)
      .split('\n')[0]!
      .slice(0, 60)}`;
  }
}

// ---------------------------------------------------------------------------------------------

const pct = (passed: number, total: number) =>
  total === 0 ? '–' : `${((passed / total) * 100).toFixed(1)}%`;

it('evaluates the candidate parsers', async () => {
  const corpus = loadCorpus();
  const xmlFiles = corpus.filter((entry) => entry.folder === 'feedparser');
  const illformed = xmlFiles.filter((entry) => !entry.wellformed);
  const out: string[] = [
    `\n# Parser evaluation: ${corpus.length} corpus files (${xmlFiles.length} XML, ${illformed.length} of them ill-formed)`,
  ];

  // Conformance of the feed libraries.
  const formats = ['rss', 'rdf', 'atom10', 'atom03', 'jsonfeed'];
  const scores = new Map<PeerName, Score>();
  for (const peer of PEERS) scores.set(peer.name, await score(peer, corpus));
  if (process.env.EVALUATE_VERBOSE) {
    for (const [name, result] of scores) {
      out.push(
        `\n${name}: required mismatches and throws`,
        ...result.problems.map((p) => `  ${p}`),
      );
    }
  }
  out.push(
    '\n## Feed libraries on the conformance corpus (required expectations passed, by format)',
    `| library | ${formats.join(' | ')} | all required | advisory | unexpected throws (ill-formed / JSON) | error files rejected |`,
    `|---|${formats.map(() => '---:').join('|')}|---:|---:|---|---:|`,
  );
  for (const [name, result] of scores) {
    const all = [...result.required.values()].reduce(
      (sum, tally) => ({ passed: sum.passed + tally.passed, total: sum.total + tally.total }),
      { passed: 0, total: 0 },
    );
    const cells = formats.map((format) => {
      const tally = result.required.get(format);
      return tally ? `${pct(tally.passed, tally.total)}` : '–';
    });
    out.push(
      `| ${name} | ${cells.join(' | ')} | ${pct(all.passed, all.total)} (${all.passed}/${all.total}) | ${pct(result.advisory.passed, result.advisory.total)} | ${result.throws} (${result.throwsIllformed} / ${result.throwsJson}) | ${result.errorFilesRejected}/3 |`,
    );
  }

  // Bare XML parsers.
  out.push(
    '\n## Bare XML parsers on the 1,544 XML files',
    '| parser | files rejected (error or throw) | ill-formed files accepted | HTML entity `&eacute;&rsquo;` | DOCTYPE entity `&e;` | 5,000 × 9 KB entity (CVE-2026-26278) | 1,000,000 × `&#65;` (CVE-2026-33036) | external entity | namespaces |',
    '|---|---:|---:|---|---|---|---|---|---|',
  );
  const namespaces = namespaceSupport();
  for (const name of Object.keys(XML_PARSERS) as XmlParserName[]) {
    let rejected = 0;
    let illformedAccepted = 0;
    for (const entry of xmlFiles) {
      const { error } = XML_PARSERS[name](entry.text);
      if (error) rejected += 1;
      else if (!entry.wellformed) illformedAccepted += 1;
    }
    out.push(
      `| ${name} | ${rejected} | ${illformedAccepted}/${illformed.length} | ${probe(name, '<a>&eacute;&rsquo;</a>')} | ${probe(name, DOCTYPE_ENTITY)} | ${probe(name, LARGE_ENTITY)} | ${probe(name, NUMERIC_FLOOD)} | ${probe(name, EXTERNAL_ENTITY)} | ${namespaces[name]} |`,
    );
  }
  const fxpHtml = JSON.stringify(
    new XMLParser({ htmlEntities: true }).parse('<a>&eacute;&rsquo;&#65;</a>'),
  );
  out.push(
    'Text decoded by decodeFeedBytes. fast-xml-parser with its defaults (processEntities: true,',
    `htmlEntities: false) leaves numeric references undecoded; with htmlEntities: true \`<a>&eacute;&rsquo;&#65;</a>\` gives ${fxpHtml}.`,
    'htmlparser2 is the Parser in xmlMode (the Tokenizer alone never errs either); it reads a DOCTYPE internal subset as text.',
  );

  // DOCTYPE entities through the feed libraries.
  const doctypeFeed = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "EXPANDED">]><rss version="2.0"><channel><title>T &e;</title><item><title>I</title><guid>g</guid></item></channel></rss>`;
  out.push('\n## DOCTYPE entity in a feed title (`<title>T &e;</title>`, e declared "EXPANDED")');
  for (const peer of PEERS) {
    try {
      const feed = await peer.normalize({
        bytes: new TextEncoder().encode(doctypeFeed),
        text: doctypeFeed,
        format: 'rss',
      });
      out.push(`- ${peer.name}: ${JSON.stringify(feed.title)}`);
    } catch (error) {
      out.push(
        `- ${peer.name}: throws (${String((error as Error).message)
          .split('\n')[0]!
          .slice(0, 60)})`,
      );
    }
  }

  // Speed, interleaved, on two generated feeds.
  const speedFeeds: BenchFeed[] = [generateFeed('rss', 100), generateFeed('atom', 100)];
  const decoder = new TextDecoder();
  const xmlSubjects = [
    ...PEERS.map((peer) => ({ name: peer.name, fn: (bytes: Uint8Array) => peer.time(bytes) })),
    {
      name: 'fast-xml-parser',
      fn: (bytes: Uint8Array) => new XMLParser().parse(decoder.decode(bytes)),
    },
    {
      name: 'saxes',
      fn: (bytes: Uint8Array) =>
        new SaxesParser({ xmlns: true }).write(decoder.decode(bytes)).close(),
    },
    {
      name: 'htmlparser2 Parser+DOM',
      fn: (bytes: Uint8Array) => parseDocument(decoder.decode(bytes), { xmlMode: true }),
    },
    {
      name: 'htmlparser2 Tokenizer',
      fn: (bytes: Uint8Array) => {
        const noop = () => undefined;
        const callbacks = new Proxy({}, { get: () => noop }) as ConstructorParameters<
          typeof Tokenizer
        >[1];
        const tokenizer = new Tokenizer({ xmlMode: true, decodeEntities: false }, callbacks);
        tokenizer.write(decoder.decode(bytes));
        tokenizer.end();
      },
    },
  ];
  const speeds = new Map<string, string[]>();
  for (const feed of speedFeeds) {
    const measured = await measureInterleaved(
      xmlSubjects.map((subject) => ({ name: subject.name, fn: () => subject.fn(feed.bytes) })),
      { runs: 15, warmup: 3 },
    );
    const megabytes = feed.bytes.length / 1024 / 1024;
    for (const measurement of measured) {
      const list = speeds.get(measurement.name) ?? [];
      list.push(
        `${(megabytes / (measurement.medianMs / 1000)).toFixed(0)} MB/s (${measurement.medianMs.toFixed(1)} ms)`,
      );
      speeds.set(measurement.name, list);
    }
  }

  // Size and service-worker safety.
  out.push(
    `\n## Speed (${speedFeeds.map((feed) => `${feed.name}, ${(feed.bytes.length / 1024).toFixed(0)} KB`).join(' | ')}), bundle, service worker`,
    '| subject | speed | min | gzip | Node built-ins it imports | suspect code | in worker globals |',
    '|---|---|---:|---:|---|---|---|',
  );
  for (const [name, source] of Object.entries(ENTRIES)) {
    const esm = await bundleForBrowser(source);
    const iife = await bundleForBrowser(source, { format: 'iife', name: 'lib' });
    out.push(
      `| ${name} | ${(speeds.get(name) ?? ['–']).join(' / ')} | ${kb(esm.bytes)} | ${kb(esm.gzipBytes)} | ${esm.unresolved.join(', ') || 'none'} | ${suspectCode(esm.code)} | ${await runsInWorkerGlobals(iife.code)} |`,
    );
  }
  const rssDist = 'node_modules/rss-parser/dist/rss-parser.min.js';
  if (existsSync(rssDist)) {
    const { gzipSync } = await import('node:zlib');
    const dist = readFileSync(rssDist);
    out.push(
      `rss-parser's own browser build (${rssDist}, Node polyfills bundled): ${kb(dist.length)} min, ${kb(gzipSync(dist, { level: 9 }).length)} gz.`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}, 600_000);
