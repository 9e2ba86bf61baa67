import { describe, expect, it } from 'vitest';
import { extractPosts, type ListingExtractor } from '@/utils/listing/extract';
import { learnExtractor } from '@/utils/listing/learn';
import { checkExtractor } from '@/utils/listing/validate';
import { listingFixture, POSITIVE_FIXTURES } from './fixtures';
import { renderSeedListing } from './seed';

const PAGE = 'https://blog.example/blog';

/** The extractor learned from the seed listing, as JSON data to damage. */
function seedExtractor(): Record<string, any> {
  const learned = learnExtractor(renderSeedListing(), PAGE);
  if (!learned.ok) throw new Error(learned.reason);
  return JSON.parse(JSON.stringify(learned.extractor)) as Record<string, any>;
}

/** The answer for the seed extractor changed by `change`. */
function check(change: (extractor: Record<string, any>) => void): ListingExtractor | string {
  const extractor = seedExtractor();
  change(extractor);
  return checkExtractor(extractor);
}

describe('checkExtractor', () => {
  it.each([...POSITIVE_FIXTURES])('accepts what learning gives on %s, unchanged', (name) => {
    const { html, pageUrl } = listingFixture(name);
    const learned = learnExtractor(html, pageUrl);
    if (!learned.ok) throw new Error(learned.reason);

    expect(checkExtractor(learned.extractor)).toEqual(learned.extractor);
  });

  it('accepts the seed extractor from its JSON, and it still reads the 9 posts', () => {
    const checked = checkExtractor(JSON.parse(JSON.stringify(seedExtractor())));

    expect(typeof checked).toBe('object');
    expect(extractPosts(renderSeedListing(), PAGE, checked as ListingExtractor).posts).toHaveLength(
      9,
    );
  });

  it('answers a fresh object, not the value it was given', () => {
    const value = seedExtractor();

    const checked = checkExtractor(value) as ListingExtractor;
    (value.fields as { path: string }[])[0]!.path = 'table';

    expect(checked).not.toBe(value);
    expect(checked.fields[0]!.path).toBe('');
  });

  it('drops keys it does not know, on the extractor and on its fields', () => {
    const checked = check((extractor) => {
      extractor.script = 'alert(1)';
      extractor.fields[1].onclick = 'alert(2)';
    });

    expect(checked).toEqual(seedExtractor());
  });

  it('writes paths in their normal spelling', () => {
    const checked = check((extractor) => {
      extractor.cards = '  DIV.grid>A ';
      extractor.fields[1].path = 'H2:nth-of-type(1)';
    }) as ListingExtractor;

    expect(checked.cards).toBe('div.grid > a');
    expect(checked.fields[1]!.path).toBe('h2:nth-of-type(1)');
  });

  it('accepts an extractor without samples or optional fields, and a count of 0', () => {
    const bare = {
      version: 1,
      cards: 'main > article',
      fields: [
        { role: 'title', path: 'h2' },
        { role: 'link', path: 'h2 > a' },
      ],
      count: 0,
    };

    expect(checkExtractor(bare)).toEqual(bare);
  });

  it('accepts samples of 200 characters and paths of 500', () => {
    const path = `div${'.c'.repeat(248)}x`;
    expect(path).toHaveLength(500);

    const checked = check((extractor) => {
      extractor.fields[1].sample = 'x'.repeat(200);
      extractor.cards = path;
    });

    expect(checked).toMatchObject({ cards: path });
    expect((checked as ListingExtractor).fields[1]!.sample).toHaveLength(200);
  });

  it.each<[string, unknown, string]>([
    ['nothing', undefined, 'The extractor is not an object.'],
    ['null', null, 'The extractor is not an object.'],
    ['a list', [], 'The extractor is not an object.'],
    ['a path alone', 'main > article', 'The extractor is not an object.'],
    ['a number', 1, 'The extractor is not an object.'],
  ])('refuses %s', (_kind, value, message) => {
    expect(checkExtractor(value)).toBe(message);
  });

  it.each<[string, (extractor: Record<string, any>) => void, string]>([
    [
      'another version',
      (e) => (e.version = 2),
      'The extractor is not of version 1, the only version this Dispatch reads.',
    ],
    [
      'a version in words',
      (e) => (e.version = '1'),
      'The extractor is not of version 1, the only version this Dispatch reads.',
    ],
    [
      'no version',
      (e) => delete e.version,
      'The extractor is not of version 1, the only version this Dispatch reads.',
    ],
    ['no card path', (e) => delete e.cards, 'The extractor’s card path is not text.'],
    ['an empty card path', (e) => (e.cards = '  '), 'The extractor’s card path is empty.'],
    [
      'a card path of CSS Dispatch does not write',
      (e) => (e.cards = 'div[onclick] a'),
      'The extractor’s card path, “div[onclick] a”, is not one Dispatch can read.',
    ],
    [
      'a card path of 501 characters',
      (e) => (e.cards = `div${'.c'.repeat(249)}`),
      'The extractor’s card path is longer than 500 characters.',
    ],
    ['fields that are no list', (e) => (e.fields = {}), 'The extractor’s fields are not a list.'],
    [
      'eleven fields',
      (e) => (e.fields = Array.from({ length: 11 }, () => ({ role: 'title', path: 'h2' }))),
      'The extractor has more than 10 fields.',
    ],
    [
      'a field that is no object',
      (e) => (e.fields[2] = 'div > span'),
      'Field 3 of the extractor is not an object.',
    ],
    [
      'a hole in the fields',
      (e) => (e.fields = [e.fields[0], , e.fields[1]]), // oxlint-disable-line no-sparse-arrays
      'Field 2 of the extractor is not an object.',
    ],
    [
      'a field of an unknown role',
      (e) => (e.fields[2].role = 'author'),
      'Field 3 of the extractor has an unknown role, “author”.',
    ],
    [
      'a field without a role',
      (e) => delete e.fields[2].role,
      'Field 3 of the extractor has no role.',
    ],
    [
      'a role named __proto__',
      (e) => (e.fields[2].role = '__proto__'),
      'Field 3 of the extractor has an unknown role, “__proto__”.',
    ],
    [
      'a role named constructor',
      (e) => (e.fields[2].role = 'constructor'),
      'Field 3 of the extractor has an unknown role, “constructor”.',
    ],
    [
      'two title fields',
      (e) => e.fields.push({ role: 'title', path: 'p' }),
      'The extractor has more than one title field.',
    ],
    [
      'two reading-time fields',
      (e) => e.fields.push({ role: 'readingTime', path: 'p' }),
      'The extractor has more than one reading-time field.',
    ],
    [
      'no link',
      (e) => (e.fields = e.fields.filter((f: { role: string }) => f.role !== 'link')),
      'The extractor has no link field.',
    ],
    [
      'no title',
      (e) => (e.fields = e.fields.filter((f: { role: string }) => f.role !== 'title')),
      'The extractor has no title field.',
    ],
    ['no fields', (e) => (e.fields = []), 'The extractor has no link field.'],
    [
      'a field path that is no text',
      (e) => (e.fields[1].path = ['h2']),
      'The extractor’s title path is not text.',
    ],
    [
      'a field without a path',
      (e) => delete e.fields[3].path,
      'The extractor’s summary path is not text.',
    ],
    [
      'a field path Dispatch does not write',
      (e) => (e.fields[4].path = 'span ~ span'),
      'The extractor’s reading-time path, “span ~ span”, is not one Dispatch can read.',
    ],
    [
      'a field path of 501 characters',
      (e) => (e.fields[1].path = `h2${'.c'.repeat(249)}a`),
      'The extractor’s title path is longer than 500 characters.',
    ],
    [
      'a sample that is no text',
      (e) => (e.fields[2].sample = 7),
      'The extractor’s category sample is not text.',
    ],
    [
      'a sample of 201 characters',
      (e) => (e.fields[2].sample = 'x'.repeat(201)),
      'The extractor’s category sample is longer than 200 characters.',
    ],
    ['no count', (e) => delete e.count, 'The extractor’s count is not a whole number of posts.'],
    [
      'a negative count',
      (e) => (e.count = -1),
      'The extractor’s count is not a whole number of posts.',
    ],
    [
      'a fractional count',
      (e) => (e.count = 2.5),
      'The extractor’s count is not a whole number of posts.',
    ],
    [
      'a count past the safe integers',
      (e) => (e.count = 2 ** 53),
      'The extractor’s count is not a whole number of posts.',
    ],
    [
      'a count of NaN',
      (e) => (e.count = NaN),
      'The extractor’s count is not a whole number of posts.',
    ],
    [
      'a count in words',
      (e) => (e.count = '9'),
      'The extractor’s count is not a whole number of posts.',
    ],
  ])('refuses %s, saying what is wrong', (_kind, change, message) => {
    expect(check(change)).toBe(message);
  });

  it('quotes a path on one short line, without controls that could turn the sentence around', () => {
    const message = check((e) => (e.cards = `\u202Ediv\n${'['.repeat(300)}`));

    expect(message).toBe(
      `The extractor’s card path, “div ${'['.repeat(55)}…”, is not one Dispatch can read.`,
    );
  });

  describe('of hostile values', () => {
    it('copies no __proto__ key and pollutes nothing', () => {
      const hostile = JSON.parse(
        JSON.stringify(seedExtractor()).replace(
          '"version":1',
          '"__proto__":{"polluted":true,"count":1},"version":1',
        ),
      ) as Record<string, unknown>;
      (hostile.fields as Record<string, unknown>[])[0] = JSON.parse(
        '{"role":"link","path":"","__proto__":{"sample":"x","polluted":true}}',
      ) as Record<string, unknown>;

      const checked = checkExtractor(hostile) as ListingExtractor;

      expect(Object.keys(checked)).toEqual(['version', 'cards', 'fields', 'count']);
      expect(Object.getPrototypeOf(checked)).toBe(Object.prototype);
      expect(checked.fields[0]).toEqual({ role: 'link', path: '' });
      expect(Object.getPrototypeOf(checked.fields[0])).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('reads no inherited field: a value whose parts are all on its prototype is refused', () => {
      const inherited = Object.create(seedExtractor()) as object;

      expect(checkExtractor(inherited)).toBe(
        'The extractor is not of version 1, the only version this Dispatch reads.',
      );
    });

    it('refuses a field whose role is inherited', () => {
      const value = seedExtractor();
      value.fields[1] = Object.assign(Object.create({ role: 'title' }) as object, { path: 'h2' });

      expect(checkExtractor(value)).toBe('Field 2 of the extractor has no role.');
    });

    it('refuses a path of a million characters by its length, before parsing it', () => {
      expect(check((e) => (e.cards = 'div.a'.repeat(200_000)))).toBe(
        'The extractor’s card path is longer than 500 characters.',
      );
    });

    it('refuses a field list of a million holes by its length', () => {
      expect(check((e) => (e.fields = Object.assign([], { length: 1_000_000 })))).toBe(
        'The extractor has more than 10 fields.',
      );
    });
  });
});
