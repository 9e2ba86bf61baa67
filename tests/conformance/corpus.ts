/**
 * Runs Dispatch's byte-to-feed path over the conformance corpus (`../shared/conformance/`,
 * whose README says how a project test should use it) and compares every expectation.
 * Used by `conformance.test.ts`; kept apart so a script can print the same report.
 *
 * Comparison rules (README "How a project test can use it", step 4), decided once:
 * - text fields (titles, summaries, descriptions, authors) are stored as plain text, so an
 *   `html` expectation is compared as the text it renders to: its HTML through our own
 *   `htmlToText`, or the corpus's `expected_text`; whitespace runs count as one space;
 * - `entry.content` is stored as HTML: `html` expectations compare both sides as parsed HTML
 *   (tags, attributes in any order, decoded text, URLs as parsed URLs), `text` ones compare
 *   the text our HTML renders to;
 * - links compare as parsed URLs (host case and percent-encoding are not differences); ids
 *   compare character for character (RFC 4287 §4.2.6.1); dates compare as instants;
 * - categories (`op: includes`) compare case-sensitively, in the feed's own spelling.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser } from 'htmlparser2';
import { decodeFeedBytes } from '@/utils/feed/decode';
import { parseFeed } from '@/utils/feed/parse';
import { isFeedError, type ParsedFeed, type ParsedItem } from '@/utils/feed/types';
import { htmlToText } from '@/utils/text';

/** The project root: CI clones it anywhere, with `../shared/` next to it. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the corpus is read from: `DISPATCH_CONFORMANCE_DIR`, else `../shared/conformance`. */
export function conformanceDir(): string {
  const override = process.env.DISPATCH_CONFORMANCE_DIR;
  return override
    ? path.resolve(PROJECT_ROOT, override)
    : path.resolve(PROJECT_ROOT, '..', 'shared', 'conformance');
}

const SETS = ['feedparser', 'jsonfeed'] as const;

interface CorpusFile {
  file: string;
  format: string;
  category?: string;
  expect_error_flag?: boolean;
  http?: { document_url?: string; headers?: Record<string, string> };
  encoding?: { recommended: { label: string | null } };
  hostile?: boolean;
  expected_entry_count?: number;
  expected_unique_ids?: number;
  expect_parse_error?: string;
}

interface Expectation {
  file: string;
  format: string;
  field: string;
  expected: string | null;
  op?: 'includes';
  value_type?: 'text' | 'html';
  expected_text?: string;
  strength: 'required' | 'advisory';
}

/** Pass counts of one bucket (a format, a category, a kind of check). */
export interface Tally {
  passed: number;
  total: number;
}

/** One comparison that did not hold, in words. */
export interface Mismatch {
  file: string;
  what: string;
  expected: unknown;
  actual: unknown;
}

export interface ConformanceReport {
  dir: string;
  files: number;
  required: Tally;
  advisory: Tally;
  requiredByFormat: Map<string, Tally>;
  requiredByCategory: Map<string, Tally>;
  requiredFailures: Mismatch[];
  advisoryFailures: Mismatch[];
  /** Throws that are not the typed, documented outcome for that file. */
  unexpectedThrows: Mismatch[];
  /** FeedErrors on files the corpus expects to be flagged and that hold nothing to read. */
  expectedErrors: Mismatch[];
  /** Entry counts, distinct ids and feed-level errors (`expect_parse_error`). */
  structure: Tally;
  structureFailures: Mismatch[];
  /** The byte-to-text step against `encoding.recommended.label`. */
  encodings: Tally;
  encodingFailures: Mismatch[];
  /** Stored HTML free of active content, on every file; `hostileSafe` on the hostile ones. */
  safe: Tally;
  hostileSafe: Tally;
  safetyFailures: Mismatch[];
}

/** Thrown when the corpus is not there, saying where it was looked for and how to provide it. */
export function missingCorpusMessage(dir: string): string {
  return (
    `The conformance corpus is missing: looked for ${dir}/{feedparser,jsonfeed}/expectations.json. ` +
    'It ships in ../shared/conformance/ next to the project checkout (CI has it there too); ' +
    'set DISPATCH_CONFORMANCE_DIR to read it from another place. Do not copy it into the project.'
  );
}

export function runConformance(dir = conformanceDir()): ConformanceReport {
  for (const set of SETS) {
    if (!existsSync(path.join(dir, set, 'expectations.json'))) {
      throw new Error(missingCorpusMessage(dir));
    }
  }
  const report: ConformanceReport = {
    dir,
    files: 0,
    required: tally(),
    advisory: tally(),
    requiredByFormat: new Map(),
    requiredByCategory: new Map(),
    requiredFailures: [],
    advisoryFailures: [],
    unexpectedThrows: [],
    expectedErrors: [],
    structure: tally(),
    structureFailures: [],
    encodings: tally(),
    encodingFailures: [],
    safe: tally(),
    hostileSafe: tally(),
    safetyFailures: [],
  };
  for (const set of SETS) runSet(path.join(dir, set), set, report);
  return report;
}

function tally(): Tally {
  return { passed: 0, total: 0 };
}

function count(into: Tally, passed: boolean): void {
  into.total += 1;
  if (passed) into.passed += 1;
}

function bucket(map: Map<string, Tally>, key: string): Tally {
  let found = map.get(key);
  if (!found) {
    found = tally();
    map.set(key, found);
  }
  return found;
}

function runSet(setDir: string, set: string, report: ConformanceReport): void {
  const data = JSON.parse(readFileSync(path.join(setDir, 'expectations.json'), 'utf8')) as {
    files: CorpusFile[];
    expectations: Expectation[];
  };
  const byFile = new Map<string, Expectation[]>();
  for (const expectation of data.expectations) {
    const list = byFile.get(expectation.file) ?? [];
    list.push(expectation);
    byFile.set(expectation.file, list);
  }

  for (const file of data.files) {
    report.files += 1;
    const name = `${set}/${file.file}`;
    const category = file.category ?? set;
    const expectations = byFile.get(file.file) ?? [];
    const bytes = new Uint8Array(readFileSync(path.join(setDir, file.file)));
    const contentType = headerValue(file.http?.headers, 'content-type');

    let feed: ParsedFeed | undefined;
    let error: unknown;
    try {
      feed = parseFeed(bytes, { url: file.http?.document_url, contentType });
    } catch (caught) {
      error = caught;
    }

    if (error !== undefined) classifyThrow(name, file, expectations, error, report);
    if (file.expect_parse_error !== undefined) {
      const code = isFeedError(error) ? error.code : feed ? `${feed.items.length} entries` : error;
      const passed = isFeedError(error) && error.code === file.expect_parse_error;
      count(report.structure, passed);
      if (!passed) {
        report.structureFailures.push({
          file: name,
          what: 'feed-level error',
          expected: file.expect_parse_error,
          actual: code,
        });
      }
    }
    if (feed) checkStructure(name, file, feed, report);
    if (file.encoding) checkEncoding(name, file, bytes, contentType, report);
    if (feed) checkSafety(name, file, feed, report);

    // A file rejected as the corpus expects has no entries: "absent" expectations hold.
    const rejected = file.expect_parse_error !== undefined && isFeedError(error);
    for (const expectation of expectations) {
      const outcome =
        rejected && expectation.expected === null
          ? { passed: true, actual: undefined }
          : compare(expectation, feed);
      const strength = expectation.strength === 'required' ? report.required : report.advisory;
      count(strength, outcome.passed);
      if (expectation.strength === 'required') {
        count(bucket(report.requiredByFormat, expectation.format), outcome.passed);
        count(bucket(report.requiredByCategory, category), outcome.passed);
      }
      if (!outcome.passed) {
        const mismatch = {
          file: name,
          what: expectation.field,
          expected: expectation.expected,
          actual: outcome.actual,
        };
        if (expectation.strength === 'required') report.requiredFailures.push(mismatch);
        else report.advisoryFailures.push(mismatch);
      }
    }
  }
}

function headerValue(
  headers: Record<string, string> | undefined,
  name: string,
): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/**
 * The README asks that the parser never throw. Our contract reports "nothing feed-like here"
 * as a typed `FeedError` (the poll cycle records it; the feed never reads as "0 posts"), so a
 * FeedError is the expected outcome where the corpus expects a feed-level error
 * (`expect_parse_error`), or expects the file to be flagged and names no value to read from it.
 * Every other throw is unexpected.
 */
function classifyThrow(
  name: string,
  file: CorpusFile,
  expectations: Expectation[],
  error: unknown,
  report: ConformanceReport,
): void {
  const described = isFeedError(error)
    ? `FeedError ${error.code}: ${error.message}`
    : String(error);
  const namesValues = expectations.some((expectation) => expectation.expected !== null);
  const expected =
    isFeedError(error) &&
    (file.expect_parse_error !== undefined || (file.expect_error_flag === true && !namesValues));
  (expected ? report.expectedErrors : report.unexpectedThrows).push({
    file: name,
    what: 'parseFeed',
    expected: expected ? 'a feed-level error' : 'no throw',
    actual: described,
  });
}

function checkStructure(
  name: string,
  file: CorpusFile,
  feed: ParsedFeed,
  report: ConformanceReport,
): void {
  if (file.expected_entry_count !== undefined) {
    const passed = feed.items.length === file.expected_entry_count;
    count(report.structure, passed);
    if (!passed) {
      report.structureFailures.push({
        file: name,
        what: 'entry count',
        expected: file.expected_entry_count,
        actual: feed.items.length,
      });
    }
  }
  if (file.expected_unique_ids !== undefined) {
    const unique = new Set(feed.items.map((item) => item.guid)).size;
    const passed = unique === file.expected_unique_ids;
    count(report.structure, passed);
    if (!passed) {
      report.structureFailures.push({
        file: name,
        what: 'distinct ids',
        expected: file.expected_unique_ids,
        actual: unique,
      });
    }
  }
}

/**
 * Our byte-to-text step must pick `recommended.label`. Where the corpus has none (UTF-32,
 * which no `TextDecoder` knows), it must decode by hand or report the problem in a warning.
 */
function checkEncoding(
  name: string,
  file: CorpusFile,
  bytes: Uint8Array,
  contentType: string | undefined,
  report: ConformanceReport,
): void {
  const label = file.encoding?.recommended.label ?? null;
  let actual: string;
  let passed: boolean;
  try {
    const decoded = decodeFeedBytes(bytes, contentType);
    actual = decoded.encoding;
    passed =
      label === null
        ? decoded.encoding.startsWith('utf-32') || decoded.warnings.length > 0
        : decoded.encoding === new TextDecoder(label).encoding;
  } catch (error) {
    actual = isFeedError(error) ? `FeedError ${error.code}` : String(error);
    passed = label === null && isFeedError(error);
  }
  count(report.encodings, passed);
  if (!passed) {
    report.encodingFailures.push({ file: name, what: 'encoding', expected: label, actual });
  }
}

/** What `contentHtml` must never hold once stored (README step 6, and HOSTILE-INPUTS §33, §34). */
const FORBIDDEN_ELEMENTS = new Set([
  'applet',
  'base',
  'embed',
  'frame',
  'frameset',
  'iframe',
  'link',
  'meta',
  'object',
  'script',
  'style',
]);

/** Attributes a browser follows or loads as a URL. */
const URL_ATTRIBUTES = new Set([
  'action',
  'background',
  'cite',
  'codebase',
  'data',
  'formaction',
  'href',
  'poster',
  'src',
  'srcset',
  'xlink:href',
]);

const ACTIVE_SCHEME = /^(?:javascript|data|vbscript):/i;

/**
 * Parses stored HTML the way a browser would (HTML mode, entities decoded) and lists what
 * could run or load on its own: forbidden elements, `on*` handlers, script and data URLs.
 * Titles, summaries and descriptions are plain text, rendered as text nodes, so they cannot.
 */
export function activeContent(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (FORBIDDEN_ELEMENTS.has(name)) found.push(`<${name}>`);
        for (const [attribute, value] of Object.entries(attributes)) {
          if (attribute.startsWith('on')) found.push(`${attribute}=`);
          // What a URL parser sees: leading controls and spaces trimmed, tabs and newlines gone.
          // oxlint-disable-next-line no-control-regex -- stripping control characters is the point
          const url = value.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');
          if (URL_ATTRIBUTES.has(attribute) && ACTIVE_SCHEME.test(url)) {
            found.push(`${attribute}="${url.slice(0, 40)}"`);
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return found;
}

function checkSafety(
  name: string,
  file: CorpusFile,
  feed: ParsedFeed,
  report: ConformanceReport,
): void {
  const found = feed.items.flatMap((item) =>
    item.contentHtml === undefined ? [] : activeContent(item.contentHtml),
  );
  const passed = found.length === 0;
  count(report.safe, passed);
  if (file.hostile) count(report.hostileSafe, passed);
  if (!passed) {
    report.safetyFailures.push({ file: name, what: 'contentHtml', expected: [], actual: found });
  }
}

// ---------------------------------------------------------------------------------------------
// Field comparison

type FieldValue = string | number | string[] | undefined;

function fieldValue(feed: ParsedFeed | undefined, field: string): FieldValue {
  if (!feed) return undefined;
  const entry = /^entry\[(\d+)\]\.(\w+)$/.exec(field);
  if (!entry) {
    if (field === 'feed.title') return feed.title;
    if (field === 'feed.link') return feed.siteUrl;
    if (field === 'feed.description') return feed.description;
    throw new Error(`unknown field ${field}`);
  }
  const item: ParsedItem | undefined = feed.items[Number(entry[1])];
  if (!item) return undefined;
  switch (entry[2]) {
    case 'title':
      return item.title;
    case 'link':
      return item.url;
    case 'id':
      return item.guid;
    case 'published':
      return item.publishedAt;
    case 'updated':
      return item.updatedAt;
    case 'summary':
      return item.summary;
    case 'content':
      return item.contentHtml;
    case 'categories':
      return item.categories;
    case 'author':
      return item.author;
    default:
      throw new Error(`unknown field ${field}`);
  }
}

function isEmpty(value: FieldValue): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** HTML whitespace runs as one space, ends trimmed (a no-break space is no whitespace). */
function collapse(text: string): string {
  return text.replace(/[ \t\n\r\f]+/g, ' ').trim();
}

function compare(
  expectation: Expectation,
  feed: ParsedFeed | undefined,
): { passed: boolean; actual: FieldValue } {
  const actual = fieldValue(feed, expectation.field);
  const { expected } = expectation;
  const kind = expectation.field.slice(expectation.field.lastIndexOf('.') + 1);
  if (!feed) return { passed: false, actual };
  if (expected === null) return { passed: isEmpty(actual), actual };
  if (expectation.op === 'includes') {
    return { passed: Array.isArray(actual) && actual.includes(expected.trim()), actual };
  }
  if (kind === 'published' || kind === 'updated') {
    return { passed: typeof actual === 'number' && actual === isoInstant(expected), actual };
  }
  if (typeof actual === 'number' || Array.isArray(actual)) return { passed: false, actual };
  if (actual === undefined) {
    // Stored text that renders to nothing is left out rather than kept as "".
    const renders = expectation.value_type === 'html' ? htmlToText(expected) : expected;
    return { passed: kind !== 'content' && collapse(renders) === '', actual };
  }
  if (kind === 'link') return { passed: sameUrl(actual, expected), actual };
  if (kind === 'id') return { passed: actual.trim() === expected.trim(), actual };
  if (kind === 'content') {
    const passed =
      expectation.value_type === 'html'
        ? canonicalHtml(actual) === canonicalHtml(expected)
        : collapse(htmlToText(actual)) === collapse(expected);
    return { passed, actual };
  }
  if (expectation.value_type === 'html') {
    const text = collapse(actual);
    const passed =
      text === collapse(htmlToText(expected)) ||
      (expectation.expected_text !== undefined && text === collapse(expectation.expected_text));
    return { passed, actual };
  }
  return { passed: collapse(actual) === collapse(expected), actual };
}

/** The corpus writes dates as `YYYY-MM-DDTHH:MM:SS[.mmm]Z` (test data, not feed text). */
function isoInstant(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/.test(text)) {
    throw new Error(`unexpected date format in the corpus: ${text}`);
  }
  return Date.parse(text);
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text.trim());
  } catch {
    return undefined;
  }
}

function sameUrl(actual: string, expected: string): boolean {
  const [a, b] = [parseUrl(actual), parseUrl(expected)];
  return a && b ? a.href === b.href : actual.trim() === expected.trim();
}

/**
 * HTML in a form where equal markup compares equal: tags lower case, attributes sorted with
 * decoded values (URLs as parsed URLs), text decoded with whitespace collapsed and
 * whitespace-only text between tags dropped.
 */
function canonicalHtml(html: string): string {
  const out: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const pairs = Object.entries(attributes)
          .map(([key, value]) => {
            const url = URL_ATTRIBUTES.has(key) ? parseUrl(value)?.href : undefined;
            return `${key}=${JSON.stringify(url ?? value)}`;
          })
          .sort();
        out.push(`<${[name, ...pairs].join(' ')}>`);
      },
      onclosetag(name) {
        out.push(`</${name}>`);
      },
      ontext(text) {
        const collapsed = collapse(text);
        if (collapsed) out.push(collapsed);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// Printing

function percent({ passed, total }: Tally): string {
  return total === 0 ? '-' : `${((100 * passed) / total).toFixed(1)}%`;
}

function tallies(map: Map<string, Tally>): string {
  return [...map]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, { passed, total }]) => `${key} ${passed}/${total}`)
    .join(' · ');
}

function describeMismatch({ file, what, expected, actual }: Mismatch): string {
  const show = (value: unknown): string => {
    const text = JSON.stringify(value) ?? 'undefined';
    return text.length > 120 ? `${text.slice(0, 117)}…` : text;
  };
  return `    ${file} ${what}: expected ${show(expected)}, got ${show(actual)}`;
}

/** The report as the lines `npm test` prints. */
export function formatReport(report: ConformanceReport): string[] {
  const { required, advisory } = report;
  const lines = [
    `Conformance corpus ${report.dir}: ${report.files} files`,
    `  required expectations: ${required.passed}/${required.total} (${percent(required)})`,
    `    by format:   ${tallies(report.requiredByFormat)}`,
    `    by category: ${tallies(report.requiredByCategory)}`,
    `  advisory expectations: ${advisory.passed}/${advisory.total} pass, ` +
      `${advisory.total - advisory.passed} differ (reported, not failed)`,
    `  unexpected throws: ${report.unexpectedThrows.length}; ` +
      `expected feed-level errors: ${report.expectedErrors.length}`,
    `  entry counts, distinct ids, parse errors: ${report.structure.passed}/${report.structure.total}`,
    `  encoding chosen as recommended: ${report.encodings.passed}/${report.encodings.total}`,
    `  content free of active HTML: ${report.safe.passed}/${report.safe.total} files ` +
      `(hostile: ${report.hostileSafe.passed}/${report.hostileSafe.total})`,
  ];
  const problems = [
    ...report.unexpectedThrows,
    ...report.structureFailures,
    ...report.encodingFailures,
    ...report.safetyFailures,
  ];
  if (problems.length > 0) lines.push('  problems:', ...problems.map(describeMismatch));
  if (report.requiredFailures.length > 0) {
    lines.push(
      '  required expectations not met:',
      ...report.requiredFailures.map(describeMismatch),
    );
  }
  if (report.expectedErrors.length > 0) {
    lines.push('  expected feed-level errors:', ...report.expectedErrors.map(describeMismatch));
  }
  return lines;
}
