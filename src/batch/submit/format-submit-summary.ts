import type { SubmitSummary } from './run-submit.ts';

interface StageLine {
  readonly name: string;
  readonly ms: number;
  readonly clips: number;
  /** Threads the stage ran on at once (its clips/s is per-thread speed times this). */
  readonly threads: number;
  readonly note: string;
}

/** The human summary printed at the end of a run (complete or interrupted). */
export function formatSubmitSummary(s: SubmitSummary, resumeCommand: string): string {
  const t = s.timings;
  const codes = Object.entries(s.failuresByCode)
    .sort(([, a], [, b]) => b - a)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  const lines = [
    `model ${s.model.id} ${s.model.variant} (sha256 ${s.model.sha256.slice(0, 12)}…), clips from ${s.listing}`,
    `clips ${s.clips}: ${s.scoredNow} scored now, ${s.resumed} from the journal of an earlier run; ` +
      `${s.failed} got the fallback${codes === '' ? '' : ` (${codes})`}`,
    `wall ${s.wallSeconds.toFixed(1)} s (pipeline ${s.pipelineSeconds.toFixed(1)} s: ` +
      `${rate(s.scoredNow, s.pipelineSeconds * 1000)} clips/s end to end, ${s.workers} decode workers, ` +
      `batch ${s.batch}, ${s.intraOpThreads} intra-op threads)`,
  ];
  const stages: StageLine[] = [
    { name: 'read', ms: t.decode.readMs, clips: t.decodedClips, threads: s.workers, note: 'worker threads' },
    {
      name: 'decode',
      ms: t.decode.decodeMs,
      clips: t.decodedClips,
      threads: s.workers,
      note: 'parquet -> clip',
    },
    {
      name: 'preprocess',
      ms: t.decode.preprocessMs,
      clips: t.decodedClips,
      threads: s.workers,
      note: 'clip -> model inputs',
    },
    {
      name: 'inference',
      ms: t.inferenceMs,
      clips: t.inferredClips,
      threads: 1,
      note: `${t.batches} batches`,
    },
    { name: 'journal', ms: t.journalMs, clips: t.decodedClips, threads: 1, note: 'top-k + append' },
  ];
  if (s.scoredNow > 0) {
    lines.push(
      `  ${'stage'.padEnd(10)} ${'total s'.padStart(8)} ${'ms/clip'.padStart(8)} ${'clips/s'.padStart(9)}`,
      ...stages.map(
        (st) =>
          `  ${st.name.padEnd(10)} ${(st.ms / 1000).toFixed(1).padStart(8)} ${perClip(st.ms, st.clips).padStart(8)} ` +
          `${rate(st.clips * st.threads, st.ms).padStart(9)}  ${st.note}`,
      ),
      `  the main thread waited ${(t.waitMs / 1000).toFixed(1)} s for decoded batches ` +
        `(${s.pipelineSeconds > 0 ? ((100 * t.waitMs) / 1000 / s.pipelineSeconds).toFixed(0) : 0}% of the pipeline)`,
      `  CPU ${perClip(t.cpuMs, s.scoredNow)} ms per clip over all threads, ` +
        `${s.pipelineSeconds > 0 ? (t.cpuMs / 1000 / s.pipelineSeconds).toFixed(2) : '-'} cores busy on average`,
    );
  }
  if (s.status === 'complete') {
    lines.push(
      `wrote ${s.out} (${s.format})${s.failed > 0 ? `; the ${s.failed} failed clips are listed in ${s.errorsCsv}` : ''}`,
    );
  } else {
    lines.push(
      `interrupted: results so far are kept in ${s.journal}; to continue, run the same command again:`,
      `  ${resumeCommand}`,
    );
  }
  return lines.join('\n');
}

function perClip(ms: number, clips: number): string {
  return clips > 0 ? (ms / clips).toFixed(2) : '-';
}

/** Clips per second; `clips` already multiplied by the stage's parallel threads. */
function rate(clips: number, ms: number): string {
  return ms > 0 ? ((clips * 1000) / ms).toFixed(0) : '-';
}
