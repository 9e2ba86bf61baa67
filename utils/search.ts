/**
 * Search text, pure (no Dexie): the words a post is indexed under (`searchTerms`, stored on
 * the post as `terms`), the words of what the user typed (`queryTokens`, each matched as a
 * prefix of a stored word) and the highlighted runs of a title or summary (`highlight`). The
 * store (`utils/db/search.ts`) and the popup share these, so what is found and what is
 * highlighted follow the same rules.
 *
 * Words are runs of letters and digits in any script, compared after {@link normalizeForSearch}
 * ("Café" finds "cafe", "STRASSE" finds "Straße"). Chinese and Japanese are written without
 * spaces, so a run of those characters is indexed by its overlapping pairs of characters plus
 * its last character (東京大学 → 東京, 京大, 大学, 学): a query of one or more characters then
 * finds them anywhere in the run, as those readers expect.
 */

/** Stored words per post: enough for the title, the categories and the summary's first lines. */
export const MAX_TERMS = 64;

/** A word is stored (and a query word compared) up to this many characters. */
export const MAX_TERM_LENGTH = 24;

/**
 * Query words shorter than this are ignored (except Chinese and Japanese characters): one
 * letter matches a good part of every post, and the results would not help.
 */
export const MIN_TOKEN_LENGTH = 2;

/**
 * Common English words that say nothing about a post: not stored, and dropped from a query
 * unless the query has nothing else.
 */
const STOP_WORDS = new Set([
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'from',
  'has',
  'have',
  'he',
  'her',
  'his',
  'if',
  'in',
  'into',
  'is',
  'it',
  'its',
  'not',
  'of',
  'on',
  'or',
  'our',
  'she',
  'so',
  'that',
  'the',
  'their',
  'them',
  'they',
  'this',
  'to',
  'was',
  'we',
  'were',
  'what',
  'which',
  'who',
  'will',
  'with',
  'you',
  'your',
]);

/** Han, Hiragana, Katakana and the prolonged sound mark: written without spaces between words. */
const CJK = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc`;
const CJK_CHAR = new RegExp(`[${CJK}]`, 'u');
/** A run of Chinese / Japanese characters, or a run of other letters and digits. */
const WORD = new RegExp(`[${CJK}]+|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, 'gu');
const MARKS = /\p{M}/gu;

/**
 * Text as search compares it: compatibility-decomposed (NFKD: "ﬁ" is "fi", full-width letters
 * are plain), combining marks removed ("é" is "e"), case folded without a locale (upper then
 * lower case, so "ß" meets "SS" and Turkish "İ" is "i"), final sigma as sigma. Each code
 * point maps on its own, so `highlight` can map matches back to the original text.
 */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .toUpperCase()
    .toLowerCase()
    .replace(MARKS, '')
    .replace(/ς/g, 'σ');
}

interface Word {
  text: string;
  /** Offset in the normalized text. */
  start: number;
  cjk: boolean;
}

function wordsOf(normalized: string): Word[] {
  const words: Word[] = [];
  for (const match of normalized.matchAll(WORD)) {
    words.push({ text: match[0], start: match.index, cjk: CJK_CHAR.test(match[0]) });
  }
  return words;
}

/** At most {@link MAX_TERM_LENGTH} code points (a surrogate pair is never split). */
function capped(word: string): string {
  if (word.length <= MAX_TERM_LENGTH) return word;
  return Array.from(word).slice(0, MAX_TERM_LENGTH).join('');
}

/** The stored terms of a run of Chinese / Japanese characters: its pairs and its last character. */
function cjkTerms(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  const terms = chars.slice(0, -1).map((char, i) => char + chars[i + 1]);
  terms.push(chars[chars.length - 1]!);
  return terms;
}

/**
 * The words a post is found by: unique, normalized, at least two characters (one Chinese or
 * Japanese character is a word), without English stop words, each cut to
 * {@link MAX_TERM_LENGTH}; title words first, then categories, then the summary, at most
 * {@link MAX_TERMS}.
 */
export function searchTerms(fields: {
  title: string;
  summary?: string;
  categories: string[];
}): string[] {
  const terms = new Set<string>();
  for (const text of [fields.title, ...fields.categories, fields.summary ?? '']) {
    for (const word of wordsOf(normalizeForSearch(text))) {
      const candidates = word.cjk
        ? cjkTerms(word.text)
        : word.text.length >= MIN_TOKEN_LENGTH && !STOP_WORDS.has(word.text)
          ? [capped(word.text)]
          : [];
      for (const term of candidates) {
        terms.add(term);
        if (terms.size === MAX_TERMS) return [...terms];
      }
    }
  }
  return [...terms];
}

/**
 * The normalized words of a query, each to be matched as the prefix of a stored word, in the
 * order typed: one-letter words dropped, stop words dropped unless the query has only those,
 * a word that is the prefix of another dropped (the longer one implies it). A run of Chinese or
 * Japanese characters becomes its overlapping pairs (one character stays one). `[]` when
 * nothing searchable was typed.
 */
export function queryTokens(query: string): string[] {
  const words: string[] = [];
  const stop: string[] = [];
  for (const word of wordsOf(normalizeForSearch(query))) {
    if (word.cjk) {
      const chars = Array.from(word.text);
      words.push(...(chars.length === 1 ? chars : cjkTerms(word.text).slice(0, -1)));
    } else if (word.text.length >= MIN_TOKEN_LENGTH) {
      (STOP_WORDS.has(word.text) ? stop : words).push(capped(word.text));
    }
  }
  const unique = [...new Set(words.length > 0 ? words : stop)];
  return unique.filter(
    (token) => !unique.some((other) => other !== token && other.startsWith(token)),
  );
}

/** A run of the original text, matched by a query token or not. */
export interface Segment {
  text: string;
  match: boolean;
}

/**
 * Splits `text` into runs that a query matched and runs it did not: a match is the beginning
 * of a word that starts with a token (Chinese / Japanese tokens match anywhere in a run of
 * those characters), compared as {@link normalizeForSearch} does, so "cafe" highlights "Café"
 * whole, accent included. The segments put together are `text` exactly; adjacent segments
 * always differ in `match`.
 */
export function highlight(text: string, tokens: string[]): Segment[] {
  if (text === '' || tokens.length === 0) return text === '' ? [] : [{ text, match: false }];
  // Normalize code point by code point, remembering where each one's output starts.
  const points = Array.from(text);
  const starts: number[] = [];
  let normalized = '';
  for (const point of points) {
    starts.push(normalized.length);
    normalized += point.charCodeAt(0) < 128 ? point.toLowerCase() : normalizeForSearch(point);
  }
  starts.push(normalized.length);

  const marked = new Uint8Array(normalized.length);
  for (const word of wordsOf(normalized)) {
    for (const token of tokens) {
      if (!word.cjk) {
        if (word.text.startsWith(token)) marked.fill(1, word.start, word.start + token.length);
        continue;
      }
      for (let at = word.text.indexOf(token); at !== -1; at = word.text.indexOf(token, at + 1)) {
        marked.fill(1, word.start + at, word.start + at + token.length);
      }
    }
  }

  // A code point is matched when any of its output is; one whose output is empty (a
  // combining accent) goes with the code point before it.
  const segments: Segment[] = [];
  let previous = false;
  for (let i = 0; i < points.length; i += 1) {
    const from = starts[i]!;
    const to = starts[i + 1]!;
    const match: boolean = from === to ? previous : marked.subarray(from, to).includes(1);
    const last = segments[segments.length - 1];
    if (last && last.match === match) last.text += points[i];
    else segments.push({ text: points[i]!, match });
    previous = match;
  }
  return segments;
}
