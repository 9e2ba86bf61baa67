/**
 * The conformance corpus (`../shared/conformance/`, 1,562 feeds with expectations) through
 * Dispatch's whole byte-to-feed path, as its README asks: bytes with the recorded headers
 * and document URL in, every expectation compared (rules in `corpus.ts`). The corpus is read
 * where it lies (`DISPATCH_CONFORMANCE_DIR` overrides), never copied into the project; when it
 * is missing every test here fails and says where it looked.
 *
 * Required expectations must pass at `REQUIRED_RATE` or better; the pass counts per format and
 * per category, and the advisory count, are printed so `npm test` shows them.
 */
import { type ConformanceReport, formatReport, runConformance } from './corpus';

/** The feed-engine issue's goal: at least 98% of the required expectations. */
const REQUIRED_RATE = 0.98;

let report: ConformanceReport | undefined;

/** Runs the corpus once for all tests below (about a second). */
function conformance(): ConformanceReport {
  report ??= runConformance();
  return report;
}

describe('conformance corpus', () => {
  it(`passes at least ${REQUIRED_RATE * 100}% of the required expectations`, () => {
    const { required } = conformance();
    // Printed here so the figures reach the terminal whenever this file runs.
    console.log(formatReport(conformance()).join('\n'));

    expect(required.total).toBeGreaterThan(600);
    expect(required.passed / required.total).toBeGreaterThanOrEqual(REQUIRED_RATE);
  });

  it('never throws except with the feed-level error the corpus expects', () => {
    expect(conformance().unexpectedThrows).toEqual([]);
  });

  it('returns the expected entries, distinct ids and feed-level errors of every JSON Feed', () => {
    const { structure, structureFailures } = conformance();

    expect(structureFailures).toEqual([]);
    expect(structure.total).toBeGreaterThanOrEqual(19);
  });

  it('decodes every encoding case with the recommended encoding', () => {
    const { encodings, encodingFailures } = conformance();

    expect(encodingFailures).toEqual([]);
    expect(encodings.total).toBe(90);
  });

  it('stores no active content from any file, hostile ones included', () => {
    const { hostileSafe, safetyFailures } = conformance();

    expect(safetyFailures).toEqual([]);
    expect(hostileSafe.total).toBeGreaterThanOrEqual(300);
  });
});
