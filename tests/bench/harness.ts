/**
 * A small timing harness for `npm run bench`: medians over repeated runs, printed side by side
 * with the variant they are compared to and the limit they must stay under. Medians, because a
 * 2-core machine running other work produces outliers that would skew a mean.
 */

export interface Measurement {
  name: string;
  medianMs: number;
  runs: number;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times, and returns the median duration. */
export async function measure(
  name: string,
  fn: () => unknown,
  { runs = 15, warmup = 2 }: { runs?: number; warmup?: number } = {},
): Promise<Measurement> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return { name, medianMs: median(times), runs };
}

/**
 * Measures two variants in alternation (a, b, a, b…), so drift on a shared machine — garbage
 * collection, another process — falls on both alike. Returns `[a, b]`.
 */
export async function measurePair(
  a: { name: string; fn: () => unknown },
  b: { name: string; fn: () => unknown },
  { runs = 15, warmup = 2 }: { runs?: number; warmup?: number } = {},
): Promise<[Measurement, Measurement]> {
  for (let i = 0; i < warmup; i += 1) {
    await a.fn();
    await b.fn();
  }
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i += 1) {
    for (const [index, variant] of [a, b].entries()) {
      const start = performance.now();
      await variant.fn();
      times[index]!.push(performance.now() - start);
    }
  }
  return [
    { name: a.name, medianMs: median(times[0]), runs },
    { name: b.name, medianMs: median(times[1]), runs },
  ];
}

/**
 * Measures any number of variants interleaved run by run (a, b, c, a, b, c…) after `warmup`
 * unmeasured rounds, so drift falls on all of them alike; the order within a round rotates so
 * none always runs right after the same neighbour (garbage left by one lands on the next).
 * Returns one measurement per variant, in the order given.
 */
export async function measureInterleaved(
  variants: readonly { name: string; fn: () => unknown }[],
  { runs = 15, warmup = 2 }: { runs?: number; warmup?: number } = {},
): Promise<Measurement[]> {
  for (let i = 0; i < warmup; i += 1) {
    for (const variant of variants) await variant.fn();
  }
  const times: number[][] = variants.map(() => []);
  for (let i = 0; i < runs; i += 1) {
    for (let j = 0; j < variants.length; j += 1) {
      const index = (i + j) % variants.length;
      const start = performance.now();
      await variants[index]!.fn();
      times[index]!.push(performance.now() - start);
    }
  }
  return variants.map((variant, index) => ({
    name: variant.name,
    medianMs: median(times[index]!),
    runs,
  }));
}

/** The median of `values` (for timings taken elsewhere, e.g. in a browser page). */
export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface Row {
  subject: Measurement;
  /** The variant the subject is compared with (a naive approach or a peer), if any. */
  baseline?: Measurement;
  /** The budget in milliseconds, if any. */
  limitMs?: number;
}

/** `2.2× faster`, or `1.3× slower` when the subject is the slower one. */
const speedup = (ratio: number) =>
  ratio >= 1 ? `${ratio.toFixed(1)}× faster` : `${(1 / ratio).toFixed(1)}× slower`;

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;

/** Prints one section of the report as an aligned table. */
export function report(title: string, rows: Row[]): void {
  const lines = rows.map(({ subject, baseline, limitMs }) => [
    subject.name,
    ms(subject.medianMs),
    baseline ? `${baseline.name}: ${ms(baseline.medianMs)}` : '',
    baseline ? speedup(baseline.medianMs / subject.medianMs) : '',
    limitMs === undefined
      ? ''
      : `limit ${ms(limitMs)} ${subject.medianMs <= limitMs ? 'OK' : 'OVER'}`,
  ]);
  const widths = [0, 1, 2, 3, 4].map((col) => Math.max(...lines.map((line) => line[col]!.length)));
  const out = [
    `\n## ${title}`,
    ...lines.map((line) =>
      line
        .map((cell, col) => cell.padEnd(widths[col]!))
        .join('  ')
        .trimEnd(),
    ),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
