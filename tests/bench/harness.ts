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
  times.sort((a, b) => a - b);
  const middle = Math.floor(times.length / 2);
  const medianMs = times.length % 2 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
  return { name, medianMs, runs };
}

export interface Row {
  subject: Measurement;
  /** The variant the subject is compared with (a naive approach or a peer), if any. */
  baseline?: Measurement;
  /** The budget in milliseconds, if any. */
  limitMs?: number;
}

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;

/** Prints one section of the report as an aligned table. */
export function report(title: string, rows: Row[]): void {
  const lines = rows.map(({ subject, baseline, limitMs }) => [
    subject.name,
    ms(subject.medianMs),
    baseline ? `${baseline.name}: ${ms(baseline.medianMs)}` : '',
    baseline ? `${(baseline.medianMs / subject.medianMs).toFixed(1)}× faster` : '',
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
