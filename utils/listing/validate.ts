/**
 * An extractor from outside the worker (a page's message, a backup file, another browser's
 * sync) is checked here before it is stored or used: it is data another party wrote, so it is
 * read field by field, own properties only, into a fresh object of known fields.
 *
 * Depends on: `select.ts` (the path syntax).
 */
import { withoutBidiControls } from '@/utils/bidi';
import type { ExtractorField, FieldRole, ListingExtractor } from '@/utils/listing/extract';
import { formatPath, parsePath } from '@/utils/listing/select';
import { truncateText } from '@/utils/text';

/** A path longer than this is not one Dispatch learns (ours are under 200 characters). */
export const EXTRACTOR_PATH_MAX_CHARS = 500;
/** A sample longer than this is not one Dispatch learns (ours are at most 60 characters). */
export const EXTRACTOR_SAMPLE_MAX_CHARS = 200;
/** More fields than this is not an extractor (there are six roles, each at most once). */
export const EXTRACTOR_MAX_FIELDS = 10;

/** The roles, in the order `learnExtractor` writes them; each names itself in a sentence. */
const ROLE_WORDS: Readonly<Record<FieldRole, string>> = {
  link: 'link',
  title: 'title',
  category: 'category',
  summary: 'summary',
  date: 'date',
  readingTime: 'reading-time',
};
const ROLES = Object.keys(ROLE_WORDS) as FieldRole[];

/** A wrong part of the value; becomes the answer of {@link checkExtractor}. */
class ExtractorError extends Error {
  override name = 'ExtractorError';
}

/**
 * The value as a well-formed extractor (version 1; card path and every field path readable by
 * `parsePath`, at most {@link EXTRACTOR_PATH_MAX_CHARS} characters, the card path not empty;
 * known roles, each at most once, at most {@link EXTRACTOR_MAX_FIELDS} fields; `link` and
 * `title` present; samples strings of at most {@link EXTRACTOR_SAMPLE_MAX_CHARS} characters;
 * `count` a non-negative integer; nothing else kept), or a sentence saying what is wrong.
 *
 * Paths come back in their normal spelling (`formatPath`), as `withFieldRole` writes them.
 * A sample that is too long refuses the whole extractor rather than being cut: Dispatch never
 * writes one, so such a value was made by hand or damaged, and is not guessed at. Only own
 * properties are read (an inherited `cards` counts as absent), each once; keys such as
 * `__proto__` are not copied and a role named `__proto__` is an unknown role, so nothing in
 * the value reaches a prototype.
 */
export function checkExtractor(value: unknown): ListingExtractor | string {
  try {
    return readExtractor(value);
  } catch (error) {
    if (error instanceof ExtractorError) return error.message;
    throw error;
  }
}

function readExtractor(value: unknown): ListingExtractor {
  if (!isRecord(value)) throw new ExtractorError('The extractor is not an object.');
  const version = own(value, 'version');
  if (version !== 1) {
    throw new ExtractorError(
      'The extractor is not of version 1, the only version this Dispatch reads.',
    );
  }
  const cards = readPath(own(value, 'cards'), 'card');
  if (cards === '') throw new ExtractorError('The extractor’s card path is empty.');
  const rawFields = own(value, 'fields');
  if (!Array.isArray(rawFields)) throw new ExtractorError('The extractor’s fields are not a list.');
  if (rawFields.length > EXTRACTOR_MAX_FIELDS) {
    throw new ExtractorError(`The extractor has more than ${EXTRACTOR_MAX_FIELDS} fields.`);
  }
  const fields: ExtractorField[] = [];
  // A plain loop: `map` would skip the holes of a sparse list.
  for (let index = 0; index < rawFields.length; index++) {
    const field = readField(rawFields[index] as unknown, index + 1);
    if (fields.some((known) => known.role === field.role)) {
      throw new ExtractorError(`The extractor has more than one ${ROLE_WORDS[field.role]} field.`);
    }
    fields.push(field);
  }
  for (const role of ['link', 'title'] as const) {
    if (!fields.some((field) => field.role === role)) {
      throw new ExtractorError(`The extractor has no ${role} field.`);
    }
  }
  const count = own(value, 'count');
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new ExtractorError('The extractor’s count is not a whole number of posts.');
  }
  return { version: 1, cards, fields, count };
}

function readField(raw: unknown, position: number): ExtractorField {
  if (!isRecord(raw))
    throw new ExtractorError(`Field ${position} of the extractor is not an object.`);
  const role = own(raw, 'role');
  if (typeof role !== 'string' || !(ROLES as string[]).includes(role)) {
    throw new ExtractorError(
      typeof role === 'string'
        ? `Field ${position} of the extractor has an unknown role, ${shown(role)}.`
        : `Field ${position} of the extractor has no role.`,
    );
  }
  const words = ROLE_WORDS[role as FieldRole];
  const path = readPath(own(raw, 'path'), words);
  const sample = own(raw, 'sample');
  if (sample !== undefined && typeof sample !== 'string') {
    throw new ExtractorError(`The extractor’s ${words} sample is not text.`);
  }
  if (sample !== undefined && sample.length > EXTRACTOR_SAMPLE_MAX_CHARS) {
    throw new ExtractorError(
      `The extractor’s ${words} sample is longer than ${EXTRACTOR_SAMPLE_MAX_CHARS} characters.`,
    );
  }
  return { role: role as FieldRole, path, ...(sample !== undefined && { sample }) };
}

/** A path in its normal spelling; `what` names it in the sentence ("card", "title"…). */
function readPath(raw: unknown, what: string): string {
  if (typeof raw !== 'string')
    throw new ExtractorError(`The extractor’s ${what} path is not text.`);
  // Checked before parsing: the parser's work grows with the text.
  if (raw.length > EXTRACTOR_PATH_MAX_CHARS) {
    throw new ExtractorError(
      `The extractor’s ${what} path is longer than ${EXTRACTOR_PATH_MAX_CHARS} characters.`,
    );
  }
  const steps = parsePath(raw);
  if (!steps) {
    throw new ExtractorError(
      `The extractor’s ${what} path, ${shown(raw)}, is not one Dispatch can read.`,
    );
  }
  return formatPath(steps);
}

/** An own property only: an inherited one (a polluted or hostile prototype) counts as absent. */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text from the value as a sentence quotes it: one line, short, without bidi controls. */
function shown(text: string): string {
  // oxlint-disable-next-line no-control-regex -- control characters are what is removed
  const line = withoutBidiControls(text).replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return `“${truncateText(line.trim(), 60)}”`;
}
