/**
 * The reading list as files: versioned JSON (every field of every item: the restore format),
 * Markdown (to read or paste anywhere) and Netscape bookmarks HTML (what every browser's
 * "Import bookmarks" reads). Pure: items in, text out; and the JSON read back, checked field
 * by field, so a foreign or damaged file is refused in words and never half-trusted.
 *
 * Loaded only when an export or import is asked for (a chunk of its own), so the popup does
 * not carry it.
 */
import { cleanNote, TITLE_MAX_LENGTH } from '@/utils/db/reading-list';
import type { ReadingListItem } from '@/utils/db/types';
import { formatDate } from '@/utils/format';
import { truncateText } from '@/utils/text';
import { safeHttpUrl } from '@/utils/url';

/** What a JSON export says it is. */
export const EXPORT_FORMAT = 'dispatch-reading-list';
/** The JSON layout's version: a reader refuses newer ones rather than guess. */
export const EXPORT_VERSION = 1;

/** The JSON file: `items` in the user's order, finished ones included. */
export interface ReadingListExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  /** When the file was made (ISO 8601, UTC). */
  exportedAt: string;
  items: ReadingListItem[];
}

/**
 * An item read from a file: what a restore needs. `id`, dates and `position` are optional so
 * a hand-written file of `{url, title}` entries imports too (the restore fills them in).
 */
export type ImportedItem = Pick<ReadingListItem, 'url' | 'title'> &
  Partial<Omit<ReadingListItem, 'url' | 'title'>>;

export type ExportKind = 'json' | 'markdown' | 'bookmarks';

/** A file to hand to the browser's download. */
export interface ExportFile {
  name: string;
  /** MIME type. */
  type: string;
  text: string;
}

/** A file that is not a reading-list export, or a damaged one; checked by `name`. */
export class ReadingListFileError extends Error {
  override name = 'ReadingListFileError';
}

/** Files larger than this are refused before they are read: no real list comes near it. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

const FILE_TYPES: Record<ExportKind, { extension: string; type: string }> = {
  json: { extension: 'json', type: 'application/json' },
  markdown: { extension: 'md', type: 'text/markdown' },
  bookmarks: { extension: 'html', type: 'text/html' },
};

/** The list (in the user's order) as the file of `kind`, named for the day: `dispatch-reading-list-2026-11-29.json`. */
export function exportReadingList(
  kind: ExportKind,
  items: readonly ReadingListItem[],
  now: number,
): ExportFile {
  const { extension, type } = FILE_TYPES[kind];
  const text =
    kind === 'json'
      ? toJson(items, now)
      : kind === 'markdown'
        ? toMarkdown(items, now)
        : toBookmarksHtml(items, now);
  return { name: `dispatch-reading-list-${localDay(now)}.${extension}`, type, text };
}

/** Every field of every item, as stored, in the user's order. */
export function toJson(items: readonly ReadingListItem[], now: number): string {
  const file: ReadingListExport = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    items: [...items],
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * A readable list: the items to read numbered, with blog, reading time, saved date and note;
 * then the finished ones with their date. Text is escaped so a title cannot become a link,
 * an image or HTML in a Markdown viewer.
 */
export function toMarkdown(items: readonly ReadingListItem[], now: number): string {
  const toRead = items.filter((item) => item.doneAt === 0);
  const finished = items.filter((item) => item.doneAt !== 0).sort((a, b) => b.doneAt - a.doneAt);
  const minutes = toRead.reduce((sum, item) => sum + (item.minutes ?? 0), 0);
  const summary = [
    `Exported ${formatDate(now)}`,
    `${toRead.length} to read`,
    ...(minutes > 0 ? [`${minutes} min`] : []),
    `${finished.length} finished`,
  ].join(' · ');
  const lines = ['# Dispatch reading list', '', summary, ''];
  const entry = (item: ReadingListItem, marker: string) => {
    const facts = [
      item.source && markdownText(item.source),
      item.minutes ? `${item.minutes} min read` : '',
      `saved ${formatDate(item.addedAt)}`,
      item.doneAt !== 0 ? `finished ${formatDate(item.doneAt)}` : '',
    ].filter(Boolean);
    lines.push(
      `${marker} [${markdownText(displayTitle(item))}](<${item.url}>) — ${facts.join(' · ')}`,
    );
    if (item.note) lines.push(`${' '.repeat(marker.length + 1)}Note: ${markdownText(item.note)}`);
  };
  lines.push('## To read', '');
  if (toRead.length === 0) lines.push('Nothing left to read.');
  toRead.forEach((item, index) => entry(item, `${index + 1}.`));
  if (finished.length > 0) {
    lines.push('', '## Finished', '');
    for (const item of finished) entry(item, '-');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Netscape bookmarks HTML, the format Chrome, Firefox, Safari and Edge import: a folder
 * "Dispatch reading list" with the items to read in order (notes as `<DD>` descriptions,
 * `ADD_DATE` in seconds), and a "Finished" folder inside it (`LAST_MODIFIED` = when finished).
 */
export function toBookmarksHtml(items: readonly ReadingListItem[], now: number): string {
  const seconds = (time: number) => String(Math.floor(time / 1000));
  const toRead = items.filter((item) => item.doneAt === 0);
  const finished = items.filter((item) => item.doneAt !== 0).sort((a, b) => b.doneAt - a.doneAt);
  const bookmark = (item: ReadingListItem, indent: string) => {
    const finishedAt = item.doneAt !== 0 ? ` LAST_MODIFIED="${seconds(item.doneAt)}"` : '';
    const lines = [
      `${indent}<DT><A HREF="${escapeHtml(item.url)}" ADD_DATE="${seconds(item.addedAt)}"${finishedAt}>${escapeHtml(oneLine(displayTitle(item)))}</A>`,
    ];
    if (item.note) lines.push(`${indent}<DD>${escapeHtml(oneLine(item.note))}`);
    return lines;
  };
  const stamp = `ADD_DATE="${seconds(now)}" LAST_MODIFIED="${seconds(now)}"`;
  const lines = [
    '<!DOCTYPE NETSCAPE-Bookmark-file-1>',
    '<!-- This is an automatically generated file.',
    '     It will be read and overwritten.',
    '     DO NOT EDIT! -->',
    '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
    '<TITLE>Bookmarks</TITLE>',
    '<H1>Bookmarks</H1>',
    '<DL><p>',
    `    <DT><H3 ${stamp}>Dispatch reading list</H3>`,
    '    <DL><p>',
    ...toRead.flatMap((item) => bookmark(item, '        ')),
  ];
  if (finished.length > 0) {
    lines.push(
      `        <DT><H3 ${stamp}>Finished</H3>`,
      '        <DL><p>',
      ...finished.flatMap((item) => bookmark(item, '            ')),
      '        </DL><p>',
    );
  }
  lines.push('    </DL><p>', '</DL><p>');
  return `${lines.join('\n')}\n`;
}

/**
 * Reads a JSON export back. Refuses, with a {@link ReadingListFileError} that says why, a file
 * that is not JSON, not Dispatch's, from a newer version, or with an item that lacks a web
 * address or a title or has a field of the wrong kind. Titles and notes are capped as when
 * saving; addresses other than http(s) are refused.
 */
export function parseReadingListExport(text: string): ImportedItem[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new ReadingListFileError('This file is not a Dispatch reading list: it is not JSON.');
  }
  if (!isRecord(data) || data.format !== EXPORT_FORMAT) {
    throw new ReadingListFileError(
      'This file is not a Dispatch reading list: it does not say "format": "dispatch-reading-list".',
    );
  }
  if (typeof data.version !== 'number' || data.version > EXPORT_VERSION || data.version < 1) {
    throw new ReadingListFileError(
      `This reading list is in format version ${String(data.version)}, which this version of Dispatch cannot read (it reads version ${EXPORT_VERSION}).`,
    );
  }
  if (!Array.isArray(data.items)) {
    throw new ReadingListFileError('This reading list is damaged: its "items" is not a list.');
  }
  return data.items.map((raw: unknown, index: number) => readItem(raw, index + 1));
}

function readItem(raw: unknown, number: number): ImportedItem {
  const damaged = (why: string) =>
    new ReadingListFileError(`Item ${number} of this reading list is damaged: ${why}.`);
  if (!isRecord(raw)) throw damaged('it is not an object');
  const url = typeof raw.url === 'string' ? safeHttpUrl(raw.url) : undefined;
  if (!url) throw damaged('it has no web (http or https) address');
  if (typeof raw.title !== 'string') throw damaged('it has no title');
  const item: ImportedItem = { url, title: truncateText(raw.title, TITLE_MAX_LENGTH) };

  const numbers = {
    id: isCount,
    postId: isCount,
    minutes: isAmount,
    addedAt: isAmount,
    position: Number.isFinite,
    doneAt: isAmount,
  } satisfies Record<string, (value: number) => boolean>;
  for (const [field, isValid] of Object.entries(numbers)) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !isValid(value)) throw damaged(`its "${field}" is not valid`);
    (item as Record<string, unknown>)[field] = value;
  }
  for (const field of ['source', 'note'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw damaged(`its "${field}" is not text`);
    const text = field === 'note' ? cleanNote(value) : truncateText(value, TITLE_MAX_LENGTH);
    if (text) item[field] = text;
  }
  return item;
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

function isAmount(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The title to show: the address when the page had none. */
function displayTitle(item: ReadingListItem): string {
  return item.title.trim() || item.url;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * One line of Markdown text that stays text: every character that could start emphasis, a
 * link, an image, code, HTML or an entity is backslash-escaped (CommonMark allows escaping any
 * ASCII punctuation).
 */
export function markdownText(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]<>&!|~#]/g, '\\$&');
}

/** "2026-11-29" in the user's time zone, for file names. */
function localDay(time: number): string {
  const date = new Date(time);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
