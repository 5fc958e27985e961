import type { PreprocessSummary } from './run-preprocess.ts';

/** The human summary printed at the end of a run (complete or interrupted). */
export function formatPreprocessSummary(summary: PreprocessSummary, resumeCommand: string): string {
  const codes = Object.entries(summary.rejectsByCode)
    .sort(([, a], [, b]) => b - a)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  const lines = [
    `files ok: ${summary.ok}, rejected: ${summary.rejected}${codes === '' ? '' : ` (${codes})`}, listed: ${summary.listed}`,
    `shards: ${summary.shardsDone}/${summary.shards} (${summary.shardsReused} reused from an earlier run)`,
    `time: ${summary.seconds.toFixed(1)} s, ${summary.filesProcessed} files processed, ${summary.filesPerSecond.toFixed(1)} files/s`,
  ];
  if (summary.status === 'complete') {
    lines.push(
      `dataset: ${summary.outDir} (${summary.rejected > 0 ? 'see rejects.csv for the rejected files' : 'no rejects'})`,
    );
  } else {
    lines.push(
      `interrupted: unfinished shards were dropped; to resume, run the same command again:`,
      `  ${resumeCommand}`,
    );
  }
  return lines.join('\n');
}
