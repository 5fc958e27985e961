import type * as ort from 'onnxruntime-node';
import type { PackedBatch } from '../../model/frame-packing.ts';
import { packedFeeds } from '../../model/frame-packing.ts';
import { toOrtTensor } from '../../onnx/ort-session.ts';
import type { ArtifactsManifest } from '../artifacts/artifacts-manifest.ts';
import { softmaxHistogram } from '../metrics/softmax-histogram.ts';
import type { SoftmaxHistogram } from '../metrics/softmax-histogram.ts';
import type { ModelState } from './train-step.ts';
import { TrainError } from './train-error.ts';

/** What the untrained model did on one batch, kept in the run directory for the report. */
export interface InitialCheck {
  readonly batch: number;
  readonly loss: number;
  /** ln(classes): the loss of a uniform prediction, which an untrained model should be near. */
  readonly uniformLoss: number;
  readonly histogram: SoftmaxHistogram;
}

/**
 * The baseline's sanity check before training: the initialised model's predictions on one batch hold no
 * NaN (or infinity), and their softmax outputs sit around 1/classes. Throws when they are not finite:
 * training from such a start would only spread NaN through every parameter.
 */
export async function checkInitialPredictions(
  manifest: ArtifactsManifest,
  session: ort.InferenceSession,
  state: ModelState,
  batch: PackedBatch,
): Promise<InitialCheck> {
  const feeds = state.parameterFeeds({});
  for (const [name, t] of Object.entries(packedFeeds(batch, manifest.config.model.frames)))
    feeds[name] = toOrtTensor(t);
  const { loss: lossName, probabilities: probName } = manifest.eval.outputs;
  const out = await session.run(feeds, [lossName, probName]);
  const probabilities = out[probName]!.data as Float32Array;
  const loss = (out[lossName]!.data as Float32Array)[0]!;
  const bad = probabilities.findIndex((p) => !Number.isFinite(p));
  if (bad >= 0 || !Number.isFinite(loss)) {
    const classes = manifest.config.model.classes;
    const where = bad >= 0 ? ` (clip ${Math.floor(bad / classes)}, class ${bad % classes})` : '';
    throw new TrainError(
      'non_finite_init',
      `the initialised model predicts non-finite values on its first batch${where}: loss ${loss}`,
    );
  }
  const classes = manifest.config.model.classes;
  return {
    batch: batch.batch,
    loss,
    uniformLoss: Math.log(classes),
    histogram: softmaxHistogram(probabilities, classes),
  };
}
