import { judge, type HostileCase, type Outcome } from './check-outcome.ts';

/** What running a corpus found: counts, failures, and the worst time and memory per case. */
export interface CorpusReport {
  cases: number;
  readonly byCategory: Record<string, number>;
  readonly byOutcome: Record<string, number>;
  readonly failures: string[];
  worstMs: { readonly ms: number; readonly name: string };
  worstGrowthBytes: { readonly bytes: number; readonly name: string };
}

export interface CorpusRunner {
  /** Reads one case the way the caller serves it (a reader in Node, the Worker in workerd). */
  read(c: HostileCase): Promise<Outcome>;
  /**
   * Peak memory growth probe, when the runtime has one: called before and after each case, it
   * returns how far the process's peak memory rose above what it used before the case.
   */
  memory?: { before(): void; growth(): number };
  /** The most a case may grow peak memory by, given its body; a case beyond it is a failure. */
  budget?: (bodyBytes: number) => number;
}

/** Runs every case, judging each as it goes; never throws for a case, it records it. */
export async function runCorpus(
  cases: Iterable<HostileCase>,
  runner: CorpusRunner,
  limit = Infinity,
): Promise<CorpusReport> {
  const report: CorpusReport = {
    cases: 0,
    byCategory: {},
    byOutcome: {},
    failures: [],
    worstMs: { ms: 0, name: '' },
    worstGrowthBytes: { bytes: 0, name: '' },
  };
  for (const c of cases) {
    if (report.cases >= limit) break;
    runner.memory?.before();
    const start = performance.now();
    const outcome = await runner.read(c);
    const ms = performance.now() - start;
    const growth = runner.memory?.growth() ?? 0;
    report.cases++;
    report.byCategory[`${c.format} ${c.category}`] =
      (report.byCategory[`${c.format} ${c.category}`] ?? 0) + 1;
    const key = outcome.kind === 'error' ? outcome.code : outcome.kind;
    report.byOutcome[key] = (report.byOutcome[key] ?? 0) + 1;
    if (ms > report.worstMs.ms) report.worstMs = { ms, name: c.name };
    if (growth > report.worstGrowthBytes.bytes) report.worstGrowthBytes = { bytes: growth, name: c.name };
    const problem = judge(c, outcome);
    if (problem !== undefined) report.failures.push(`${c.name}: ${problem}`);
    const budget = runner.budget?.(c.bytes.length);
    if (budget !== undefined && growth > budget) {
      report.failures.push(
        `${c.name}: peak memory grew ${(growth / 2 ** 20).toFixed(0)} MiB, over its budget`,
      );
    }
  }
  return report;
}

export function summarize(title: string, r: CorpusReport): string {
  return [
    `${title}: ${r.cases} cases, ${r.failures.length} failures`,
    `  worst time ${r.worstMs.ms.toFixed(1)} ms (${r.worstMs.name})`,
    `  worst peak memory growth ${(r.worstGrowthBytes.bytes / 2 ** 20).toFixed(1)} MiB (${r.worstGrowthBytes.name || '-'})`,
    `  by category: ${JSON.stringify(r.byCategory)}`,
    `  by outcome: ${JSON.stringify(r.byOutcome)}`,
  ].join('\n');
}
