import { describe, expect, it } from 'vitest';
import type { ReadingListItem } from '@/utils/db/types';
import {
  EXPORT_FORMAT,
  exportReadingList,
  markdownText,
  parseReadingListExport,
  ReadingListFileError,
  toBookmarksHtml,
  toJson,
  toMarkdown,
} from '@/utils/export/reading-list';
import { readBookmarks } from './bookmarks-reader';

const NOW = new Date(2026, 10, 29, 9, 30).getTime();
const SAVED = new Date(2026, 2, 12, 8).getTime();
const DONE = new Date(2026, 2, 14, 20).getTime();

const HOSTILE = `<script>alert("x")</script> & 'quotes' [link](javascript:alert(1)) *bold* \`code\``;

function anItem(overrides: Partial<ReadingListItem> = {}): ReadingListItem {
  return {
    id: 1,
    url: 'https://blog.example/posts/1/',
    title: 'Selective state spaces',
    addedAt: SAVED,
    position: 1,
    doneAt: 0,
    ...overrides,
  };
}

/** A list with every field used: post link, blog, minutes, note, a finished item. */
const LIST: ReadingListItem[] = [
  anItem({ postId: 7, source: 'Edge Notes', minutes: 4, note: 'Read before Friday' }),
  anItem({ id: 2, url: 'https://else.example/a?b=1&c=2', title: 'Any page', position: 2 }),
  anItem({ id: 3, url: 'https://blog.example/done', title: 'Done one', position: 3, doneAt: DONE }),
];

describe('exportReadingList', () => {
  it.each([
    ['json', 'dispatch-reading-list-2026-11-29.json', 'application/json'],
    ['markdown', 'dispatch-reading-list-2026-11-29.md', 'text/markdown'],
    ['bookmarks', 'dispatch-reading-list-2026-11-29.html', 'text/html'],
  ] as const)('names a %s file for the day', (kind, name, type) => {
    const file = exportReadingList(kind, LIST, NOW);
    expect([file.name, file.type]).toEqual([name, type]);
  });
});

describe('toJson', () => {
  it('is versioned and holds every field of every item, in order', () => {
    expect(JSON.parse(toJson(LIST, NOW))).toEqual({
      format: 'dispatch-reading-list',
      version: 1,
      exportedAt: new Date(NOW).toISOString(),
      items: LIST,
    });
  });

  it('reads back exactly what it wrote', () => {
    expect(parseReadingListExport(toJson(LIST, NOW))).toEqual(LIST);
  });

  it('keeps hostile text as it is, as data', () => {
    const items = [anItem({ title: HOSTILE, note: HOSTILE, source: HOSTILE })];
    expect(parseReadingListExport(toJson(items, NOW))).toEqual(items);
  });
});

describe('parseReadingListExport', () => {
  const file = (items: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ format: EXPORT_FORMAT, version: 1, exportedAt: '', items, ...extra });

  it.each([
    ['not JSON', '<opml version="2.0"></opml>', /not a Dispatch reading list: it is not JSON/],
    ['another JSON file', '{"version": 1, "items": []}', /not a Dispatch reading list/],
    ['a list', '[]', /not a Dispatch reading list/],
    ['a newer version', file([], { version: 2 }), /format version 2, which this version/],
    ['items that are not a list', file([], { items: {} }), /"items" is not a list/],
    ['an item without address', file([{ title: 'x' }]), /Item 1 .* no web \(http or https\)/],
    [
      'a javascript: address',
      file([{ url: 'javascript:alert(1)', title: 'x' }]),
      /Item 1 .* no web/,
    ],
    ['an item without title', file([{ url: 'https://a.example/' }]), /Item 1 .* no title/],
    [
      'a date that is not a number',
      file([anItem(), { url: 'https://a.example/', title: 'x', addedAt: 'yesterday' }]),
      /Item 2 .* "addedAt" is not valid/,
    ],
    [
      'a note that is not text',
      file([{ url: 'https://a.example/', title: 'x', note: { html: '<b>' } }]),
      /Item 1 .* "note" is not text/,
    ],
  ])('refuses %s in words', (_what, text, words) => {
    expect(() => parseReadingListExport(text)).toThrow(ReadingListFileError);
    expect(() => parseReadingListExport(text)).toThrow(words);
  });

  it('accepts a hand-made list of addresses and titles', () => {
    expect(parseReadingListExport(file([{ url: 'https://a.example', title: 'A' }]))).toEqual([
      { url: 'https://a.example/', title: 'A' },
    ]);
  });

  it('makes a note one line and caps it', () => {
    const [item] = parseReadingListExport(
      file([{ url: 'https://a.example', title: 'A', note: `one\ntwo ${'x'.repeat(1000)}` }]),
    );
    expect(item?.note?.startsWith('one two x')).toBe(true);
    expect([...(item?.note ?? '')].length).toBeLessThanOrEqual(280);
  });
});

describe('toMarkdown', () => {
  it('lists the items to read with links and notes, then the finished ones', () => {
    expect(toMarkdown(LIST, NOW)).toBe(
      [
        '# Dispatch reading list',
        '',
        'Exported 29 Nov 2026 · 2 to read · 4 min · 1 finished',
        '',
        '## To read',
        '',
        '1. [Selective state spaces](<https://blog.example/posts/1/>) — Edge Notes · 4 min read · saved 12 Mar 2026',
        '   Note: Read before Friday',
        '2. [Any page](<https://else.example/a?b=1&c=2>) — saved 12 Mar 2026',
        '',
        '## Finished',
        '',
        '- [Done one](<https://blog.example/done>) — saved 12 Mar 2026 · finished 14 Mar 2026',
        '',
      ].join('\n'),
    );
  });

  it('escapes what Markdown would turn into a link, emphasis, code or HTML', () => {
    const text = toMarkdown([anItem({ title: HOSTILE, note: 'a <b>\nb' })], NOW);

    expect(text).toContain(
      '1. [\\<script\\>alert("x")\\</script\\> \\& \'quotes\' \\[link\\](javascript:alert(1)) \\*bold\\* \\`code\\`](<https://blog.example/posts/1/>)',
    );
    expect(text).toContain('   Note: a \\<b\\> b');
    expect(markdownText('![img](x)')).toBe('\\!\\[img\\](x)');
  });
});

describe('toBookmarksHtml', () => {
  it('writes a Netscape bookmarks file with a folder, dates in seconds and notes', () => {
    const seconds = (time: number) => Math.floor(time / 1000);
    expect(toBookmarksHtml(LIST.slice(0, 1), NOW)).toBe(
      [
        '<!DOCTYPE NETSCAPE-Bookmark-file-1>',
        '<!-- This is an automatically generated file.',
        '     It will be read and overwritten.',
        '     DO NOT EDIT! -->',
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
        '<TITLE>Bookmarks</TITLE>',
        '<H1>Bookmarks</H1>',
        '<DL><p>',
        `    <DT><H3 ADD_DATE="${seconds(NOW)}" LAST_MODIFIED="${seconds(NOW)}">Dispatch reading list</H3>`,
        '    <DL><p>',
        `        <DT><A HREF="https://blog.example/posts/1/" ADD_DATE="${seconds(SAVED)}">Selective state spaces</A>`,
        '        <DD>Read before Friday',
        '    </DL><p>',
        '</DL><p>',
        '',
      ].join('\n'),
    );
  });

  it('escapes <, &, quotes in titles, notes and addresses', () => {
    const html = toBookmarksHtml(
      [anItem({ url: 'https://a.example/?q="x"&r=<y>', title: HOSTILE, note: HOSTILE })],
      NOW,
    );

    expect(html).not.toContain('<script>');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;',
    );
    expect(html).toContain('HREF="https://a.example/?q=&quot;x&quot;&amp;r=&lt;y&gt;"');
  });

  it('gives back every address, title, date and note when read as a browser would', () => {
    const items = [
      ...LIST,
      anItem({ id: 4, url: 'https://a.example/?q=1&r=2', title: HOSTILE, note: HOSTILE }),
    ];

    const read = readBookmarks(toBookmarksHtml(items, NOW));

    const seconds = (time: number) => Math.floor(time / 1000);
    expect(read).toEqual([
      {
        folders: ['Dispatch reading list'],
        url: LIST[0]!.url,
        title: LIST[0]!.title,
        added: seconds(SAVED),
        note: 'Read before Friday',
      },
      {
        folders: ['Dispatch reading list'],
        url: LIST[1]!.url,
        title: LIST[1]!.title,
        added: seconds(SAVED),
      },
      {
        folders: ['Dispatch reading list'],
        url: 'https://a.example/?q=1&r=2',
        title: HOSTILE,
        added: seconds(SAVED),
        note: HOSTILE,
      },
      {
        folders: ['Dispatch reading list', 'Finished'],
        url: LIST[2]!.url,
        title: LIST[2]!.title,
        added: seconds(SAVED),
        modified: seconds(DONE),
      },
    ]);
  });
});
