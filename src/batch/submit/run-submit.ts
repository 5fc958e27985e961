import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ModelVariant } from '../../shared/bundle/manifest.ts';
import { openBundle } from '../../shared/bundle/open-bundle.ts';
import type { VariantPreference } from '../../shared/bundle/select-variant.ts';
import { PREPROCESS_VERSION } from '../../shared/preprocess/constants.ts';
import { writeFileAtomic } from '../data/dataset/write-file-atomic.ts';
import { bundleDirSource } from '../export/bundle/bundle-dir.ts';
import { openSession } from '../onnx/ort-session.ts';
import { pendingChunks, planChunks } from './chunk-plan.ts';
import type { ClipOutcome } from './clip-outcome.ts';
import { listingDigest } from './clip-listing.ts';
import { encodeErrorsCsv, ERRORS_CSV } from './encode-errors-csv.ts';
import { encodeSubmission, type SubmissionFormat } from './encode-submission.ts';
import { evaluate, type Evaluation } from './evaluate-submission.ts';
import { JOURNAL_FORMAT, type JournalHeader } from './journal-header.ts';
import type { ScoringModel } from './infer-batch.ts';
import { resolveLabels } from './resolve-labels.ts';
import { resolveListing } from './resolve-listing.ts';
import { scoreChunks } from './score-chunks.ts';
import { zeroStageTimings, type StageTimings } from './stage-timings.ts';
import { SubmitError } from './submit-error.ts';
import { SubmitJournal } from './submit-journal.ts';
import { buildSubmissionTable } from './submission-table.ts';

/** Classes journalled per clip even without --top: what --evaluate's top-5 needs. */
const MIN_KEEP = 5;
export const JOURNAL_SUFFIX = '.journal';

export interface SubmitOptions {
  readonly dataDir: string;
  /** A listing CSV; default: test.csv, else train.csv in dataDir, else every parquet under it. */
  readonly csv?: string | null;
  readonly modelDir: string;
  readonly out: string;
  readonly format: SubmissionFormat;
  /** Signs per clip in the output (1 = Kaggle's form). */
  readonly top: number;
  readonly probs: boolean;
  readonly precision: VariantPreference;
  readonly batch: number;
  readonly workers: number;
  readonly intraOpThreads: number;
  readonly evaluate: boolean;
  /** Labels CSV for --evaluate when the listing has no sign column. */
  readonly labels?: string | null;
  /** Discard an existing journal instead of resuming (or refusing) it. */
  readonly restart?: boolean;
  /** Keep the journal after the output is written (by default it goes: its job is done). */
  readonly keepJournal?: boolean;
  /** Aborting stops after the batch being scored; the journal keeps everything scored so far. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: SubmitEvent) => void;
}

export type SubmitEvent =
  | {
      readonly type: 'planned';
      readonly clips: number;
      /** Clips already settled by an earlier run's journal. */
      readonly resumed: number;
      readonly toScore: number;
      readonly model: { readonly id: string; readonly variant: ModelVariant };
      readonly listing: string;
    }
  | { readonly type: 'batch'; readonly clips: number; readonly failed: number };

export interface SubmitSummary {
  readonly status: 'complete' | 'interrupted';
  readonly out: string;
  readonly format: SubmissionFormat;
  readonly errorsCsv: string;
  readonly journal: string;
  readonly listing: string;
  readonly model: { readonly id: string; readonly variant: ModelVariant; readonly sha256: string };
  readonly clips: number;
  readonly resumed: number;
  readonly scoredNow: number;
  /** Clips with the fallback prediction (all runs), by code. */
  readonly failed: number;
  readonly failuresByCode: Readonly<Record<string, number>>;
  readonly workers: number;
  readonly batch: number;
  readonly intraOpThreads: number;
  readonly timings: StageTimings;
  /** From the start of the call, model loading included. */
  readonly wallSeconds: number;
  /** The decode + inference pipeline alone. */
  readonly pipelineSeconds: number;
  readonly evaluation: Evaluation | null;
}

/**
 * Opens `models/<name>` for scoring with the shared bundle loader (typed BundleError refusals) on
 * onnxruntime-node's `scoring` session.
 */
export function openScoringBundle(
  modelDir: string,
  preference: VariantPreference,
  intraOpThreads: number,
): Promise<ScoringModel> {
  return openBundle(bundleDirSource(modelDir), preference, (bytes) =>
    openSession(bytes, { preset: 'scoring', threads: intraOpThreads }),
  );
}

/**
 * `npm run submit`: scores every listed clip and writes the submission atomically, journalling results
 * as they come so that the same call after a crash or an abort carries on where it stopped and writes
 * the same bytes as an uninterrupted run.
 */
export async function runSubmit(options: SubmitOptions): Promise<SubmitSummary> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => {});
  const out = resolve(options.out);
  const journalPath = `${out}${JOURNAL_SUFFIX}`;
  const errorsCsv = join(dirname(out), ERRORS_CSV);

  const listing = await resolveListing(options.dataDir, options.csv);
  const labels = options.evaluate ? await resolveLabels(listing, options.labels) : null;
  const model = await openScoringBundle(options.modelDir, options.precision, options.intraOpThreads);
  const { manifest } = model;
  const { clips } = listing;
  const top = Math.min(options.top, manifest.signs.length);
  const runHeader: JournalHeader = {
    format: JOURNAL_FORMAT,
    model: { id: manifest.modelId, variant: model.variant, sha256: model.file.sha256 },
    preprocessVersion: PREPROCESS_VERSION,
    listing: { clips: clips.length, sha256: listingDigest(clips) },
    batch: options.batch,
    classes: manifest.signs.length,
    keep: Math.min(manifest.signs.length, Math.max(top, MIN_KEEP)),
  };

  const timings = zeroStageTimings();
  let pipelineMs: number;
  let summary: SubmitSummary;
  try {
    await guardWrite(out, () => mkdir(dirname(out), { recursive: true }).then(() => undefined));
    const opened = await SubmitJournal.open(journalPath, runHeader, options.restart === true);
    const { journal, header, outcomes } = opened;
    const pending = pendingChunks(planChunks(clips.length, options.batch), outcomes);
    const toScore = pending.reduce((n, c) => n + c.end - c.start, 0);
    try {
      emit({
        type: 'planned',
        clips: clips.length,
        resumed: clips.length - toScore,
        toScore,
        model: { id: manifest.modelId, variant: model.variant },
        listing: listing.source,
      });
      const pipelineStart = performance.now();
      const cpuStart = process.cpuUsage();
      if (pending.length > 0 && options.signal?.aborted !== true) {
        await scoreChunks(pending, {
          clips,
          model,
          batch: options.batch,
          keep: header.keep,
          workers: options.workers,
          journal,
          timings,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          onBatch: (records) => {
            for (const { index, outcome } of records) outcomes.set(index, outcome);
            emit({
              type: 'batch',
              clips: records.length,
              failed: records.filter((r) => !r.outcome.ok).length,
            });
          },
        });
      }
      pipelineMs = performance.now() - pipelineStart;
      const cpu = process.cpuUsage(cpuStart);
      timings.cpuMs = (cpu.user + cpu.system) / 1000;
    } finally {
      await journal.close();
    }

    const complete = pendingChunks(planChunks(clips.length, options.batch), outcomes).length === 0;
    const settled: ClipOutcome[] = complete ? clips.map((_, i) => outcomes.get(i)!) : [...outcomes.values()];
    const failuresByCode: Record<string, number> = {};
    for (const o of settled) if (!o.ok) failuresByCode[o.code] = (failuresByCode[o.code] ?? 0) + 1;
    let evaluation: Evaluation | null = null;
    if (complete) {
      const table = buildSubmissionTable(clips, settled, manifest.signs, manifest.fallbackSign, {
        top,
        probs: options.probs,
      });
      await guardWrite(out, () => writeFileAtomic(out, encodeSubmission(table, options.format)));
      await guardWrite(errorsCsv, () => writeFileAtomic(errorsCsv, encodeErrorsCsv(clips, settled)));
      if (options.keepJournal !== true) await rm(journalPath, { force: true });
      if (labels !== null) evaluation = evaluate(settled, labels, manifest.signs, manifest.fallbackSign);
    }
    summary = {
      status: complete ? 'complete' : 'interrupted',
      out,
      format: options.format,
      errorsCsv,
      journal: journalPath,
      listing: listing.source,
      model: runHeader.model,
      clips: clips.length,
      resumed: clips.length - toScore,
      scoredNow: timings.decodedClips,
      failed: Object.values(failuresByCode).reduce((a, b) => a + b, 0),
      failuresByCode,
      workers: options.workers,
      batch: options.batch,
      intraOpThreads: options.intraOpThreads,
      timings,
      wallSeconds: (performance.now() - started) / 1000,
      pipelineSeconds: pipelineMs / 1000,
      evaluation,
    };
  } finally {
    await model.session.release();
  }
  return summary;
}

async function guardWrite(path: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (err) {
    throw new SubmitError('output_unwritable', path, (err as Error).message, { cause: err });
  }
}
