import { describe, expect, it } from 'vitest';
import {
  highlight,
  MAX_TERM_LENGTH,
  MAX_TERMS,
  normalizeForSearch,
  queryTokens,
  searchTerms,
  type Segment,
} from '@/utils/search';

/** The highlighted runs only, for reading a test. */
const matched = (segments: Segment[]) =>
  segments.filter((segment) => segment.match).map((segment) => segment.text);

describe('normalizeForSearch', () => {
  it.each([
    ['Café', 'cafe'],
    ['Straße', 'strasse'],
    ['İstanbul', 'istanbul'],
    ['ΟΔΟΣ', 'οδοσ'],
    ['ﬁsh and Ｆｕｌｌ', 'fish and full'],
    ['Ǆemal', 'dzemal'],
    ['Crème Brûlée', 'creme brulee'],
  ])('folds %j to %j', (text, expected) => {
    expect(normalizeForSearch(text)).toBe(expected);
  });

  it('gives the same result whatever the composition of the accents', () => {
    expect(normalizeForSearch('Cafe\u0301')).toBe(normalizeForSearch('Caf\u00e9'));
  });
});

describe('searchTerms', () => {
  it('keeps the words of the title, the categories and the summary, in that order', () => {
    expect(
      searchTerms({
        title: 'Mamba, explained',
        categories: ['State Space Model'],
        summary: 'Selective state spaces in plain words.',
      }),
    ).toEqual([
      'mamba',
      'explained',
      'state',
      'space',
      'model',
      'selective',
      'spaces',
      'plain',
      'words',
    ]);
  });

  it('drops one-letter words and English stop words, and repeats nothing', () => {
    expect(
      searchTerms({
        title: 'A tour of the Transformer',
        categories: ['transformer'],
        summary: 'I',
      }),
    ).toEqual(['tour', 'transformer']);
  });

  it('splits on punctuation, keeps digits and words of any script', () => {
    expect(
      searchTerms({
        title: 'GPT-4o vs. Llama 3: 2026 notes',
        categories: ['Обзор'],
        summary: 'مراجعة قصيرة',
      }),
    ).toEqual(['gpt', '4o', 'vs', 'llama', '2026', 'notes', 'обзор', 'مراجعة', 'قصيرة']);
  });

  it('indexes Chinese and Japanese runs by pairs of characters and the last character', () => {
    expect(searchTerms({ title: '東京大学', categories: ['猫'] })).toEqual([
      '東京',
      '京大',
      '大学',
      '学',
      '猫',
    ]);
  });

  it(`keeps at most ${MAX_TERMS} words, title first, each cut to ${MAX_TERM_LENGTH} characters`, () => {
    const summary = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const long = 'x'.repeat(100);
    const terms = searchTerms({ title: `Title ${long}`, categories: [], summary });

    expect(terms).toHaveLength(MAX_TERMS);
    expect(terms.slice(0, 3)).toEqual(['title', 'x'.repeat(MAX_TERM_LENGTH), 'word0']);
  });
});

describe('queryTokens', () => {
  it.each([
    ['Mamba', ['mamba']],
    ['  state   SPACE ', ['state', 'space']],
    ['the state of the art', ['state', 'art']],
    ['the', ['the']],
    ['s', []],
    ['', []],
    ['?!', []],
    ['café', ['cafe']],
    ['sta state', ['state']],
    ['заметки', ['заметки']],
    ['東京大学', ['東京', '京大', '大学']],
    ['京', ['京']],
  ])('reads %j as %j', (query, tokens) => {
    expect(queryTokens(query)).toEqual(tokens);
  });

  it('cuts a long word as the stored words are cut', () => {
    const word = 'supercalifragilisticexpialidocious';
    expect(queryTokens(word)).toEqual(searchTerms({ title: word, categories: [] }));
  });
});

describe('highlight', () => {
  it.each([
    ['Mamba, explained', ['mam'], ['Mam']],
    ['State spaces and state-space models', ['state'], ['State', 'state']],
    ['Le Café de Flore', ['cafe'], ['Café']],
    ['Le Cafe\u0301 de Flore', ['cafe'], ['Cafe\u0301']],
    ['Die Straße', ['stras'], ['Straß']],
    ['Заметки о моделях', ['мод'], ['мод']],
    ['東京大学の研究', ['大学'], ['大学']],
    ['東京大学の研究', ['東京', '京大'], ['東京大']],
    ['A restatement', ['state'], []],
    ['Mixed ✨ emoji 👩‍💻 text', ['emoji'], ['emoji']],
  ])('in %j, %j highlights %j', (text, tokens, expected) => {
    const segments = highlight(text, tokens);

    expect(matched(segments)).toEqual(expected);
    expect(segments.map((segment) => segment.text).join('')).toBe(text);
  });

  it('rebuilds the original text exactly, with alternating runs', () => {
    const text = 'Ｆｕｌｌ-width ﬁsh, İstanbul, Crème brûlée 🍮 and نص عربي';
    const segments = highlight(text, queryTokens('full fish istanbul creme brulee نص'));

    expect(segments.map((segment) => segment.text).join('')).toBe(text);
    expect(matched(segments)).toEqual(['Ｆｕｌｌ', 'ﬁsh', 'İstanbul', 'Crème', 'brûlée', 'نص']);
    segments.slice(1).forEach((segment, i) => expect(segment.match).not.toBe(segments[i]!.match));
  });

  it('leaves text without tokens whole, and empty text empty', () => {
    expect(highlight('Nothing to see', [])).toEqual([{ text: 'Nothing to see', match: false }]);
    expect(highlight('', ['x'])).toEqual([]);
  });
});
