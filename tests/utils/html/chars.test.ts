import { describe, expect, it } from 'vitest';
import { endsTagName, isAsciiAlpha, isNameCharacter, isWhitespace } from '@/utils/html/chars';

const code = (char: string): number => char.charCodeAt(0);

describe('character classes', () => {
  it.each([...' \t\n\f\r'])('counts %j as whitespace, and as the end of a tag name', (char) => {
    expect(isWhitespace(code(char))).toBe(true);
    expect(endsTagName(code(char))).toBe(true);
  });

  it.each([...'\u00a0\u000bx<'])('does not count %j as whitespace', (char) => {
    expect(isWhitespace(code(char))).toBe(false);
  });

  it('ends tag names at "/" and ">" only among the rest', () => {
    expect([...'/>a-:="\'<'].filter((char) => endsTagName(code(char)))).toEqual(['/', '>']);
  });

  it('takes ASCII letters (and digits, for names) only', () => {
    expect([...'aZ0é_@[`{'].filter((char) => isAsciiAlpha(code(char)))).toEqual(['a', 'Z']);
    expect([...'aZ0é_@[`{'].filter((char) => isNameCharacter(code(char)))).toEqual(['a', 'Z', '0']);
  });
});
