/**
 * Our HTML tokenizer, parser and references (`utils/html/`) against what they replaced:
 * htmlparser2 and `entities`, kept as dev dependencies for this test only, driving the
 * implementations as they were (`reference/`). Text extraction, sanitizing, feed discovery and
 * reference decoding must agree on every HTML string of the conformance corpus, on thousands
 * of randomly damaged variants of them, and `parseFeed` on every corpus feed.
 *
 * Where they disagree, the input must show one of the differences we chose (named below): the
 * test undoes that one trigger in the input and the two must then agree. How often each
 * difference was met is printed; any disagreement that no chosen difference explains fails.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DecodingMode, decodeHTML } from 'entities';
import { describe, expect, it, vi } from 'vitest';
import { decodeXmlText } from '@/utils/feed/entities';
import { discoverFeedLinks } from '@/utils/feed/discover';
import { sanitizeHtml } from '@/utils/feed/sanitize';
import { XmlScanner } from '@/utils/feed/xml-scanner';
import type { ParsedFeed } from '@/utils/feed/types';
import { decodeHtml } from '@/utils/html/entities';
import { htmlToText } from '@/utils/text';
import { conformanceDir } from '../../conformance/corpus';
import { discoverFeedLinks as referenceDiscover } from './reference/discover';
import { decodeXmlText as referenceDecodeXmlText } from './reference/entities';
import { sanitizeHtml as referenceSanitize } from './reference/sanitize';
import { referenceHtmlToText } from './reference/text';

const BASE = 'https://blog.example/posts/1/';
const PAGE = 'https://blog.example/';
/** Damaged variants made from the corpus strings (seeded, so every run reads the same ones). */
const DAMAGED_COUNT = 12_000;
const SEED = 0x5eed;
/** Each test reads the whole corpus: more than Vitest's default 5 s on a busy machine. */
const CORPUS_TIMEOUT = 60_000;

// ---------------------------------------------------------------------------------------------
// Inputs

interface CorpusFeed {
  name: string;
  bytes: Uint8Array;
  url?: string;
  contentType?: string;
}

function corpusFeeds(): CorpusFeed[] {
  const feeds: CorpusFeed[] = [];
  for (const set of ['feedparser', 'jsonfeed']) {
    const dir = path.join(conformanceDir(), set);
    const data = JSON.parse(readFileSync(path.join(dir, 'expectations.json'), 'utf8')) as {
      files: { file: string; http?: { document_url?: string; headers?: Record<string, string> } }[];
    };
    for (const file of data.files) {
      const headers = file.http?.headers ?? {};
      const contentType = Object.entries(headers).find(
        ([name]) => name.toLowerCase() === 'content-type',
      )?.[1];
      feeds.push({
        name: `${set}/${file.file}`,
        bytes: new Uint8Array(readFileSync(path.join(dir, file.file))),
        url: file.http?.document_url,
        contentType,
      });
    }
  }
  return feeds;
}

/**
 * Every element's text in a feed, references decoded as the feed parser decodes them (the
 * escaped HTML of descriptions, summaries, content and titles), and JSON Feed strings.
 */
function htmlStringsOf(feed: CorpusFeed): string[] {
  const text = new TextDecoder().decode(feed.bytes);
  if (feed.name.endsWith('.json')) {
    const strings: string[] = [];
    try {
      JSON.parse(text, (_key, value: unknown) => {
        if (typeof value === 'string') strings.push(value);
        return value;
      });
    } catch (error) {
      // The corpus's broken and hostile (nested too deep to revive) JSON Feeds: nothing to take.
      if (!(error instanceof SyntaxError || error instanceof RangeError)) throw error;
    }
    return strings;
  }
  const strings: string[] = [];
  const open: string[] = [];
  const close = (): void => {
    const content = open.pop();
    if (content?.trim()) strings.push(content);
  };
  const append = (piece: string): void => {
    if (open.length > 0) open[open.length - 1] += piece;
  };
  const scanner = new XmlScanner({
    openTag: (_name, _attributes, selfClosing) => {
      open.push('');
      if (selfClosing) open.pop();
    },
    closeTag: close,
    text: (raw) => append(decodeXmlText(raw)),
    cdata: append,
    separator: () => undefined,
    warn: () => undefined,
  });
  scanner.write(text);
  scanner.end();
  while (open.length > 0) close();
  return strings;
}

function htmlPages(): string[] {
  const dir = path.resolve(import.meta.dirname, '../../fixtures');
  const pages: string[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const file = path.join(folder, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.html')) pages.push(readFileSync(file, 'utf8'));
    }
  };
  walk(dir);
  return pages;
}

/** mulberry32: a small seeded generator, so the damaged inputs are the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fragments that break markup in the ways browsers and parsers disagree on. */
const FRAGMENTS = [
  '<',
  '</',
  '>',
  '/>',
  '<!--',
  '-->',
  '--!>',
  '<!-->',
  '<!',
  '<?',
  '<![CDATA[',
  ']]>',
  '&',
  '&amp',
  '&amp;',
  '&notin',
  '&not',
  '&copy',
  '&copy=',
  '&#',
  '&#x',
  '&#38',
  '&#x26;',
  '&#0;',
  '&#128;',
  '&#x110000;',
  '&eacute',
  '&hellip;',
  '&ZeroWidthSpace;',
  '&bogus;',
  ';',
  '"',
  "'",
  '=',
  ' ',
  '\n',
  '<script>',
  '</script>',
  '<SCRIPT>',
  '<scr',
  '<style>',
  '</style>',
  '<title>',
  '</title>',
  '<textarea>',
  '</textarea>',
  '<xmp>',
  '<iframe>',
  '<noscript>',
  '</noscript>',
  '<noembed>',
  '<plaintext>',
  '<svg>',
  '</svg>',
  '<svg/>',
  '<math>',
  '</math>',
  '<foreignObject>',
  '<desc>',
  '<p>',
  '</p>',
  '<br>',
  '</br>',
  '<br/>',
  '<li>',
  '</li>',
  '<ul>',
  '</ul>',
  '<form>',
  '</form>',
  '<table>',
  '<td>',
  '<tr>',
  '</table>',
  '<div>',
  '</div>',
  '<a href="javascript:alert(1)">',
  '<a href=/x title=t>',
  '</a>',
  '<img src=x onerror=alert(1)>',
  '<image src="/i.png">',
  '<head>',
  '</head>',
  '<body>',
  '<html>',
  '</html>',
  '<base href="/sub/">',
  '<link rel="alternate" type="application/rss+xml" href="/feed.xml" title="Feed">',
  '<link rel=feed href=f.json>',
  '<template>',
  '</template>',
  '<h1>',
  '<option>',
  '<select>',
  'é',
  '\u00a0',
  '😀',
];

function damage(text: string, next: () => number): string {
  let out = text;
  const cuts = 1 + Math.floor(next() * 4);
  for (let step = 0; step < cuts; step += 1) {
    const at = Math.floor(next() * (out.length + 1));
    const kind = next();
    if (kind < 0.45) {
      const fragment = FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] ?? '<';
      out = out.slice(0, at) + fragment + out.slice(at);
    } else if (kind < 0.65) {
      out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 12));
    } else if (kind < 0.8) {
      out = out.slice(0, at);
    } else if (kind < 0.9) {
      const end = at + Math.floor(next() * 20);
      out = out.slice(0, at) + out.slice(at, end).toUpperCase() + out.slice(end);
    } else {
      const from = Math.floor(next() * out.length);
      out = out.slice(0, at) + out.slice(from, from + 30) + out.slice(at);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The chosen differences, each with the change to the input that takes it away

interface Difference {
  name: string;
  /** The input without this difference's trigger, or `undefined` when it has none. */
  undo(html: string): string | undefined;
}

/** References whose decoding differs: names outside our table (HTML5 has ~1,850 more). */
const REFERENCE = /&(#[xX]?[0-9a-fA-F]*|[A-Za-z][A-Za-z0-9]*);?/g;

const DIFFERENCES: Difference[] = [
  {
    name: 'HTML5 entity name outside our table, left as written',
    undo(html) {
      let found = false;
      const undone = html.replace(REFERENCE, (reference) => {
        const inText = decodeHtml(reference) !== decodeHTML(reference);
        const inAttribute =
          decodeHtml(reference, true) !== decodeHTML(reference, DecodingMode.Attribute);
        if (!inText && !inAttribute) return reference;
        found = true;
        return `&amp;${reference.slice(1)}`;
      });
      return found ? undone : undefined;
    },
  },
  {
    // htmlparser2 reported the last character of `</b x` or `<b /` as text, and `scr` of
    // `<scr`, which could still have become `<script>`.
    name: 'tag cut off by the end of the input yields nothing',
    undo(html) {
      return /<\/[A-Za-z][^>]*$|\/\s*$|<[A-Za-z][^\s/>]*$/.test(html) ? `${html}>` : undefined;
    },
  },
  {
    name: 'reference right after a partial end tag in title/textarea is decoded',
    undo(html) {
      const undone = html.replace(/(<\/[A-Za-z]*)&/g, '$1&amp;');
      return undone === html ? undefined : undone;
    },
  },
];

interface Tally {
  compared: number;
  differing: number;
  explained: Map<string, number>;
  unexplained: { input: string; ours: unknown; reference: unknown }[];
}

function newTally(): Tally {
  return { compared: 0, differing: 0, explained: new Map(), unexplained: [] };
}

/** Compares `ours` and `reference` on `html`; a difference must vanish when a trigger is undone. */
function compare(
  tally: Tally,
  html: string,
  ours: (html: string) => unknown,
  reference: (html: string) => unknown,
): void {
  tally.compared += 1;
  const mine = ours(html);
  const theirs = reference(html);
  if (JSON.stringify(mine) === JSON.stringify(theirs)) return;
  tally.differing += 1;
  for (const difference of DIFFERENCES) {
    const undone = difference.undo(html);
    if (undone === undefined) continue;
    if (JSON.stringify(ours(undone)) === JSON.stringify(reference(undone))) {
      tally.explained.set(difference.name, (tally.explained.get(difference.name) ?? 0) + 1);
      return;
    }
  }
  // Several triggers at once: undo them all.
  let undone = html;
  for (const difference of DIFFERENCES) undone = difference.undo(undone) ?? undone;
  if (undone !== html && JSON.stringify(ours(undone)) === JSON.stringify(reference(undone))) {
    tally.explained.set(
      'several of the above',
      (tally.explained.get('several of the above') ?? 0) + 1,
    );
    return;
  }
  tally.unexplained.push({ input: html, ours: mine, reference: theirs });
}

function report(label: string, tally: Tally): void {
  const explained = [...tally.explained].map(([name, count]) => `\n    ${count} × ${name}`);
  process.stdout.write(
    `${label}: ${tally.compared} compared, ${tally.compared - tally.differing} identical` +
      `${explained.join('')}\n`,
  );
}

const CHECKS: Record<string, [(html: string) => unknown, (html: string) => unknown]> = {
  htmlToText: [(html) => htmlToText(html), (html) => referenceHtmlToText(html)],
  'htmlToText, capped at 40': [
    (html) => htmlToText(html, 40),
    (html) => referenceHtmlToText(html, 40),
  ],
  sanitizeHtml: [(html) => sanitizeHtml(html), (html) => referenceSanitize(html)],
  'sanitizeHtml with a base': [
    (html) => sanitizeHtml(html, BASE),
    (html) => referenceSanitize(html, BASE),
  ],
  discoverFeedLinks: [
    (html) => discoverFeedLinks(html, PAGE),
    (html) => referenceDiscover(html, PAGE),
  ],
  'reference decoding in text': [(html) => decodeHtml(html), (html) => decodeHTML(html)],
  'reference decoding in attributes': [
    (html) => decodeHtml(html, true),
    (html) => decodeHTML(html, DecodingMode.Attribute),
  ],
  'XML reference decoding': [(html) => decodeXmlText(html), (html) => referenceDecodeXmlText(html)],
};

function runChecks(label: string, inputs: Iterable<string>): Record<string, Tally> {
  const tallies: Record<string, Tally> = {};
  for (const name of Object.keys(CHECKS)) tallies[name] = newTally();
  for (const html of inputs) {
    for (const [name, [ours, reference]] of Object.entries(CHECKS)) {
      compare(tallies[name]!, html, ours, reference);
    }
  }
  for (const [name, tally] of Object.entries(tallies)) report(`${label}, ${name}`, tally);
  return tallies;
}

function expectAllExplained(tallies: Record<string, Tally>): void {
  for (const [name, tally] of Object.entries(tallies)) {
    expect(tally.unexplained.slice(0, 3), `${name}: unexplained differences`).toEqual([]);
  }
}

// ---------------------------------------------------------------------------------------------

describe('utils/html against htmlparser2 and entities', () => {
  const feeds = corpusFeeds();
  const strings = [...new Set([...feeds.flatMap(htmlStringsOf), ...htmlPages()])];

  it(
    'reads every HTML string of the conformance corpus as they did',
    () => {
      expect(strings).not.toHaveLength(0);

      expectAllExplained(runChecks('corpus strings', strings));
    },
    CORPUS_TIMEOUT,
  );

  it(
    'reads the corpus feeds themselves, as pages, as they did',
    () => {
      const pages = feeds.map((feed) => new TextDecoder().decode(feed.bytes));

      expectAllExplained(runChecks('corpus files as pages', pages));
    },
    CORPUS_TIMEOUT,
  );

  it(
    'reads randomly damaged HTML as they did, but for the chosen differences',
    () => {
      const next = random(SEED);
      const markup = strings.filter((text) => /[<&]/.test(text));
      const damaged: string[] = [];
      for (let index = 0; index < DAMAGED_COUNT; index += 1) {
        damaged.push(damage(markup[Math.floor(next() * markup.length)] ?? '', next));
      }

      expectAllExplained(runChecks('damaged HTML', damaged));
    },
    CORPUS_TIMEOUT,
  );

  it(
    'parses every corpus feed to the same result as with the old modules',
    async () => {
      const parse = (parseFeed: (bytes: Uint8Array, options: object) => ParsedFeed) =>
        feeds.map(({ bytes, url, contentType }) => {
          try {
            return parseFeed(bytes, { url, contentType });
          } catch (error) {
            return String(error);
          }
        });
      const ours = parse((await import('@/utils/feed/parse')).parseFeed);
      vi.resetModules();
      vi.doMock('@/utils/text', async (original) => ({
        ...(await original<object>()),
        htmlToText: referenceHtmlToText,
      }));
      vi.doMock('@/utils/feed/sanitize', () => import('./reference/sanitize'));
      vi.doMock('@/utils/feed/entities', () => import('./reference/entities'));
      const theirs = parse((await import('@/utils/feed/parse')).parseFeed);
      vi.doUnmock('@/utils/text');
      vi.doUnmock('@/utils/feed/sanitize');
      vi.doUnmock('@/utils/feed/entities');
      vi.resetModules();

      const differing = feeds
        .filter((_feed, index) => JSON.stringify(ours[index]) !== JSON.stringify(theirs[index]))
        .map((feed) => feed.name);
      process.stdout.write(
        `parseFeed over the corpus: ${feeds.length - differing.length}/${feeds.length} identical\n`,
      );
      expect(differing).toEqual([]);
    },
    CORPUS_TIMEOUT,
  );
});
