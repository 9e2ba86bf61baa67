import { describe, expect, it } from 'vitest';
import { unexpectedLintProblems } from '../../scripts/firefox.mjs';

/** A minified chunk with Preact's `dangerouslySetInnerHTML` handling, as the build writes it. */
const PREACT_CHUNK =
  'var a=1;for(d in E)b=E[d],d==`dangerouslySetInnerHTML`?f=b:0;f?(c||(t.innerHTML=f.__html)):0;';
const PREACT_COLUMN = PREACT_CHUNK.indexOf('t.innerHTML') + 1;

const unsafe = (file: string, column: number, line = 1) => ({
  code: 'UNSAFE_VAR_ASSIGNMENT',
  message: 'Unsafe assignment to innerHTML',
  file,
  line,
  column,
});

/** Our own code assigning feed text to `innerHTML`, bundled into the same chunk. */
const OURS = `${PREACT_CHUNK}\nfunction show(el,post){el.innerHTML=post.summary}`;

describe('unexpectedLintProblems', () => {
  const files: Record<string, string> = {
    'chunks/styles-x.js': PREACT_CHUNK,
    'chunks/mixed-x.js': OURS,
    'popup.js': 'el.innerHTML=post.__html',
  };
  const read = (file: string) => files[file];

  it('allows Preact’s one innerHTML assignment in its runtime chunk', () => {
    const report = { errors: [], warnings: [unsafe('chunks/styles-x.js', PREACT_COLUMN)] };

    expect(unexpectedLintProblems(report, read)).toEqual([]);
  });

  it.each([
    ['an innerHTML of feed text in the Preact chunk', unsafe('chunks/mixed-x.js', 24, 2)],
    ['the same statement in a file without Preact', unsafe('popup.js', 1)],
    ['a warning that points nowhere', { ...unsafe('chunks/styles-x.js', 0), line: undefined }],
    ['a warning in a file that is not in the build', unsafe('../elsewhere.js', 1)],
  ])('fails on %s', (_kind, warning) => {
    expect(unexpectedLintProblems({ errors: [], warnings: [warning] }, read)).toEqual([warning]);
  });

  it('allows the Preact warning only once', () => {
    const twice = [
      unsafe('chunks/styles-x.js', PREACT_COLUMN),
      unsafe('chunks/styles-x.js', PREACT_COLUMN),
    ];

    expect(unexpectedLintProblems({ errors: [], warnings: twice }, read)).toEqual([twice[1]]);
  });

  it('fails on every error and on warnings of other codes', () => {
    const error = { code: 'MANIFEST_FIELD_INVALID', message: 'bad' };
    const other = { code: 'DANGEROUS_EVAL', message: 'eval', file: 'chunks/styles-x.js' };

    expect(unexpectedLintProblems({ errors: [error], warnings: [other] }, read)).toEqual([
      error,
      other,
    ]);
  });
});
