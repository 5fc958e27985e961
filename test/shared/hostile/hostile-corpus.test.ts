import { describe, expect, it } from 'vitest';
import { readOutcome, type HostileCase, type Outcome } from './check-outcome.ts';
import { allCases } from './hostile-cases.ts';
import { runCorpus, summarize } from './run-corpus.ts';

const read = (c: HostileCase): Promise<Outcome> => readOutcome(c.format, c.bytes, c.name);

/** The process's peak RSS (kernel high-water mark): a case that touches gigabytes moves it. */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

/**
 * What one case may cost: 16x its body (the budget) plus room for the largest clip the limits
 * allow (~30 MB of columns and tensor) and the garbage collector's slack. A ceiling that catches the
 * gigabyte-class failures (1.5 GB for 841 bytes before), not a measurement.
 */
const budget = (bodyBytes: number): number => 16 * bodyBytes + 128 * 2 ** 20;

describe('the hostile corpus, read in Node', () => {
  it('ends every case in a typed error or a correct clip, within time and memory bounds', async () => {
    let rssBefore = 0;
    let peakBefore = 0;
    const report = await runCorpus(allCases(), {
      read,
      budget,
      memory: {
        before: () => {
          rssBefore = process.memoryUsage.rss();
          peakBefore = peakRss();
        },
        growth: () => {
          const peak = peakRss();
          return peak > peakBefore ? peak - rssBefore : 0;
        },
      },
    });
    console.log(summarize('Node readers', report));
    expect(report.failures.slice(0, 200)).toEqual([]);
    expect(report.cases).toBeGreaterThan(7000);
    expect(report.worstMs.ms).toBeLessThan(10_000);
  }, 600_000);
});
