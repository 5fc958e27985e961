import { describe, expect, it } from 'vitest';
import { LandmarkFileError } from '../../../src/shared/landmarks/landmark-file-error.ts';
import { readLandmarkArrow } from '../../../src/shared/landmarks/read-arrow.ts';
import { readLandmarkJson } from '../../../src/shared/landmarks/read-json.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import type { HostileCase, Outcome } from './check-outcome.ts';
import { allCases } from './hostile-cases.ts';
import { runCorpus, summarize } from './run-corpus.ts';

async function read(c: HostileCase): Promise<Outcome> {
  try {
    const clip =
      c.format === 'parquet'
        ? await readLandmarkParquet(c.bytes, c.name)
        : c.format === 'arrow'
          ? readLandmarkArrow(c.bytes, c.name)
          : readLandmarkJson(c.bytes, c.name);
    return { kind: 'clip', clip };
  } catch (error) {
    if (error instanceof LandmarkFileError)
      return { kind: 'error', code: error.code, message: error.message };
    return {
      kind: 'untyped',
      description: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

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
