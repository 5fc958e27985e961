import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import type { Dataset } from '../../data/dataset/open-dataset.ts';
import { openSession, type SessionOptions } from '../../onnx/ort-session.ts';
import type { ArtifactsManifest } from '../artifacts/artifacts-manifest.ts';
import { latestCheckpoint, pruneCheckpoints } from '../checkpoint/latest-checkpoint.ts';
import { readCheckpoint } from '../checkpoint/read-checkpoint.ts';
import { saveCheckpoint } from '../checkpoint/write-checkpoint.ts';
import type { CheckpointContent } from '../checkpoint/write-checkpoint.ts';
import type { EpochRecord } from '../metrics/epoch-record.ts';
import { landmarkWeightPercentages, landmarkWeightsParameter } from '../metrics/landmark-weights.ts';
import { runPath } from '../run-dir/run-layout.ts';
import { createAllSignsSampler } from '../sampler.ts';
import { epochHyperparameters } from '../schedule.ts';
import { DynamicLossScale } from '../optimizer/loss-scale.ts';
import { writeBestModel } from './best-model.ts';
import { EpochProgress } from './epoch-progress.ts';
import { evaluateRows } from './evaluate.ts';
import type { Evaluation } from './evaluate.ts';
import { checkInitialPredictions } from './initial-check.ts';
import { BatchAssembler, defaultStaging, InlineBatches, StagedBatches } from './step-batches.ts';
import type { BatchRequest, BatchStaging, EpochBatches } from './step-batches.ts';
import { ModelState, stepGraphFor, stepOutputLocations, TrainStep } from './train-step.ts';
import { streamKey } from '../../random/counter-hash.ts';
import type { FrameMasking } from '../../model/frame-packing.ts';
import { combineObservers } from './training-observer.ts';
import type { TrainingObserver, TrainingOutcome, TrainingPlan } from './training-observer.ts';

export interface TrainingOptions {
  readonly runDir: string;
  readonly manifest: ArtifactsManifest;
  /** Holds the ONNX files and the initial checkpoint (a fresh run starts from it). */
  readonly artifactsDir: string;
  readonly dataset: Dataset;
  readonly trainRows: Uint32Array;
  /** null: no validation (--val none), so no best model either. */
  readonly valRows: Uint32Array | null;
  /** Where the steps run, and on how many threads (the `training` preset's defaults otherwise). */
  readonly session: Pick<SessionOptions, 'ep' | 'threads'>;
  readonly observers?: readonly TrainingObserver[];
  /** Aborting stops at the next step boundary, with a checkpoint of exactly where training stood. */
  readonly signal?: AbortSignal;
  /** Epoch checkpoints kept (older ones are deleted); default 3. */
  readonly keepCheckpoints?: number;
  /**
   * Where training and validation batches are packed: `worker` stages the next one on a worker
   * thread while the step runs (the default on a GPU), `inline` packs each when its step starts (the
   * default on the CPU, whose step uses every core). Results are the same either way.
   */
  readonly staging?: BatchStaging;
}

const BEST_ACCURACY = 'best/val_accuracy';
const BEST_EPOCH = 'best/epoch';

/**
 * The training run: from the run's newest checkpoint (or the artifacts' initial one) through every
 * remaining epoch. Per epoch: learning rate and weight decay from the schedule; the sampler's batches for
 * (seed, epoch), skipping those a resumed epoch already did; one TrainStep each with noise for (seed,
 * step); validation with the eval model; metrics to the observers; the best model by validation accuracy;
 * a checkpoint. Everything random is keyed by (seed, epoch, step), so a run resumed from any checkpoint
 * repeats what the uninterrupted run would have done.
 */
export async function runTraining(o: TrainingOptions): Promise<TrainingOutcome> {
  const { manifest, dataset } = o;
  const { config } = manifest;
  const train = config.train;
  const classes = config.model.classes;
  const observer = combineObservers(o.observers ?? []);

  const resumeDir = await latestCheckpoint(o.runDir);
  const checkpoint = await readCheckpoint(resumeDir ?? join(o.artifactsDir, manifest.checkpoint));
  const state = ModelState.fromCheckpoint(checkpoint, manifest.parameters);
  const position = checkpoint.sidecar;
  let step = position.step;
  const saved = position.metrics;
  let best =
    typeof saved[BEST_ACCURACY] === 'number' && typeof saved[BEST_EPOCH] === 'number'
      ? { epoch: saved[BEST_EPOCH], valAccuracy: saved[BEST_ACCURACY] }
      : null;

  const sampler = createAllSignsSampler({
    labels: dataset.labels,
    rows: o.trainRows,
    classes,
    perSign: train.batch_all_signs_n,
    mode: train.sampler,
    seed: train.seed,
  });
  const batchCapacity = Math.max(sampler.batchSize, o.valRows ? train.val_batch : 0);
  const ep = o.session.ep ?? 'cpu';
  const stepGraph = stepGraphFor(manifest, ep);
  const open = (
    file: string,
    outputLocation?: ReturnType<typeof stepOutputLocations>,
  ): Promise<ort.InferenceSession> =>
    openSession(join(o.artifactsDir, file), {
      preset: 'training',
      ...o.session,
      ...(outputLocation === undefined ? {} : { outputLocation }),
    });
  const sessions = {
    step: await open(stepGraph.file, stepOutputLocations(manifest, ep)),
    eval: await open(manifest.eval.file),
  };
  // Mixed precision: the loss scale continues from the checkpoint, as the rest of the state does.
  const lossScale =
    manifest.trainStep.lossScaleInput === undefined ? null : DynamicLossScale.fromCheckpoint(saved);
  const stepper = new TrainStep(manifest, sessions.step, state, stepGraph.form, sampler.batchSize, lossScale);
  const staging = o.staging ?? defaultStaging(ep);
  const packedBatches: EpochBatches =
    staging === 'worker'
      ? new StagedBatches(
          dataset.shards.map((s) => s.bytes),
          batchCapacity,
          config.model.frames,
        )
      : new InlineBatches(new BatchAssembler(dataset, batchCapacity, config.model.frames));
  try {
    return await trainEpochs();
  } finally {
    await packedBatches.close();
  }

  async function trainEpochs(): Promise<TrainingOutcome> {
    /** Random frame masking of update `n` (1-based): the host's draw, stream manifest.frameMask.stream. */
    const frameMasking = (n: number): FrameMasking | null =>
      manifest.frameMask.keep >= 1
        ? null
        : { key: streamKey(train.seed, n, manifest.frameMask.stream), keep: manifest.frameMask.keep };
    const landmarkParam = landmarkWeightsParameter(manifest.parameters.map((p) => p.name));

    const plan: TrainingPlan = {
      epochs: train.epochs,
      stepsPerEpoch: sampler.stepsPerEpoch,
      batchSize: sampler.batchSize,
      trainClips: o.trainRows.length,
      valClips: o.valRows?.length ?? 0,
      parameterCount: manifest.parameterCount,
      emptySigns: sampler.emptySigns,
      resumedFrom: resumeDir
        ? { dir: resumeDir, step, epoch: position.epoch, epochStep: position.epochStep }
        : null,
    };
    await observer.started(plan);

    const initialCheckPath = runPath(o.runDir, 'initialCheck');
    if (step === 0 && position.epochStep === 0 && !existsSync(initialCheckPath)) {
      packedBatches.plan([{ rows: sampler.epoch(0)[0]!, masking: null }]);
      const first = await packedBatches.next();
      const check = await checkInitialPredictions(manifest, sessions.eval, state, first);
      await writeFile(initialCheckPath, `${JSON.stringify(check, null, 2)}\n`);
      await observer.initialCheck(check);
    }

    let lastCheckpoint = resumeDir;
    /** `tensors`: the state on the host (state.checkpointTensors(), downloaded once per save on a GPU). */
    const checkpointContent = (
      tensors: Awaited<ReturnType<ModelState['checkpointTensors']>>,
      epoch: number,
      epochStep: number,
      metrics: Record<string, number | null>,
    ): CheckpointContent => ({
      step,
      epoch,
      epochStep,
      config,
      ...tensors,
      metrics: {
        ...metrics,
        ...(best ? { [BEST_ACCURACY]: best.valAccuracy, [BEST_EPOCH]: best.epoch } : {}),
        ...(lossScale ? lossScale.toCheckpoint() : {}),
      },
    });
    const outcome = (
      status: TrainingOutcome['status'],
      epoch: number,
      epochStep: number,
    ): TrainingOutcome => ({
      status,
      step,
      epoch,
      epochStep,
      best,
      lastCheckpoint,
    });
    const interrupt = async (
      epoch: number,
      epochStep: number,
      progress: EpochProgress,
    ): Promise<TrainingOutcome> => {
      lastCheckpoint = await saveCheckpoint(
        o.runDir,
        checkpointContent(await state.checkpointTensors(), epoch, epochStep, progress.toCheckpoint()),
      );
      await observer.checkpointSaved({ dir: lastCheckpoint, step, reason: 'interrupt' });
      await state.release();
      const result = outcome('interrupted', epoch, epochStep);
      await observer.finished(result);
      return result;
    };

    for (let epoch = position.epoch; epoch < train.epochs; epoch++) {
      const resumed = epoch === position.epoch;
      const firstStep = resumed ? position.epochStep : 0;
      const progress = resumed && firstStep > 0 ? EpochProgress.fromCheckpoint(saved) : new EpochProgress();
      const hyper = epochHyperparameters(train, epoch);
      const epochBatches = sampler.epoch(epoch);
      packedBatches.plan(
        epochBatches
          .slice(firstStep)
          .map((rows, i): BatchRequest => ({ rows, masking: frameMasking(step + 1 + i) })),
      );
      observer.epochStarted({
        epoch: epoch + 1,
        epochs: train.epochs,
        stepsPerEpoch: sampler.stepsPerEpoch,
        firstStep,
        batchSize: sampler.batchSize,
        learningRate: hyper.learningRate,
        weightDecay: hyper.weightDecay,
      });

      for (let k = firstStep; k < epochBatches.length; k++) {
        if (o.signal?.aborted) return interrupt(epoch, k, progress);
        const started = performance.now();
        const batch = await packedBatches.next();
        const result = await stepper.run(batch, hyper, train.seed, step + 1);
        step++;
        progress.add(result, batch.batch, (performance.now() - started) / 1000);
        const running = progress.train.summary();
        observer.stepDone({
          epoch: epoch + 1,
          epochStep: k + 1,
          stepsPerEpoch: epochBatches.length,
          step,
          loss: result.loss,
          gradNorm: result.gradNorm,
          batchSize: batch.batch,
          runningLoss: running.loss,
          runningAccuracy: running.accuracy,
        });
      }
      if (o.signal?.aborted) return interrupt(epoch, epochBatches.length, progress);

      let evaluation: Evaluation | null = null;
      const valStarted = performance.now();
      if (o.valRows) {
        observer.validationStarted(o.valRows.length);
        evaluation = await evaluateRows(
          manifest,
          sessions.eval,
          state,
          packedBatches,
          o.valRows,
          train.val_batch,
          (d, t) => observer.validationProgress(d, t),
        );
      }
      const trainSummary = progress.train.summary();
      const record: EpochRecord = {
        epoch: epoch + 1,
        epochs: train.epochs,
        step,
        learningRate: hyper.learningRate,
        weightDecay: hyper.weightDecay,
        train: trainSummary,
        val: evaluation?.metrics ?? null,
        gradNorm: progress.meanGradNorm,
        ...(lossScale
          ? { mixedPrecision: { lossScale: lossScale.scale, skippedSteps: progress.skippedSteps } }
          : {}),
        landmarkWeights: landmarkParam
          ? landmarkWeightPercentages(await state.parameterData(landmarkParam))
          : null,
        trainSeconds: progress.seconds,
        valSeconds: (performance.now() - valStarted) / 1000,
        samplesPerSecond: trainSummary.samples / progress.seconds,
        time: new Date().toISOString(),
      };
      const tensors = await state.checkpointTensors();
      const isBest = evaluation !== null && (best === null || evaluation.metrics.accuracy > best.valAccuracy);
      if (isBest && evaluation) {
        best = { epoch: epoch + 1, valAccuracy: evaluation.metrics.accuracy };
        await writeBestModel(
          o.runDir,
          checkpointContent(tensors, epoch + 1, 0, {}),
          evaluation,
          dataset.signs,
          epoch + 1,
        );
      }
      await observer.epochDone(record, evaluation, isBest);
      lastCheckpoint = await saveCheckpoint(
        o.runDir,
        checkpointContent(tensors, epoch + 1, 0, {
          'train/loss': trainSummary.loss,
          'train/accuracy': trainSummary.accuracy,
          ...(evaluation
            ? { 'val/loss': evaluation.metrics.loss, 'val/accuracy': evaluation.metrics.accuracy }
            : {}),
        }),
      );
      await pruneCheckpoints(o.runDir, o.keepCheckpoints ?? 3);
      await observer.checkpointSaved({ dir: lastCheckpoint, step, reason: 'epoch' });
    }
    await state.release();
    const result = outcome('complete', train.epochs, 0);
    await observer.finished(result);
    return result;
  }
}
