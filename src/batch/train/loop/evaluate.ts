import type * as ort from 'onnxruntime-node';
import { packedFeeds } from '../../model/frame-packing.ts';
import { toOrtTensor } from '../../onnx/ort-session.ts';
import type { ArtifactsManifest } from '../artifacts/artifacts-manifest.ts';
import { ConfusionMatrix } from '../metrics/confusion-matrix.ts';
import { argmax } from '../metrics/label-rank.ts';
import { MetricsAccumulator } from '../metrics/split-metrics.ts';
import type { SplitMetrics } from '../metrics/split-metrics.ts';
import { sequentialBatches } from '../sampler.ts';
import type { EpochBatches } from './step-batches.ts';
import type { ModelState } from './train-step.ts';

export interface Evaluation {
  readonly metrics: SplitMetrics;
  readonly confusion: ConfusionMatrix;
}

/**
 * The eval model (no dropout, no frame masking) over `rows` in plain batches of `batchSize`: mean loss,
 * top-1/5/10 accuracy and the confusion matrix of argmax predictions. The batches are packed by
 * `batches`, the training run's: on a GPU, one ahead on a worker thread, as in training.
 */
export async function evaluateRows(
  manifest: ArtifactsManifest,
  session: ort.InferenceSession,
  state: ModelState,
  batches: EpochBatches,
  rows: Uint32Array,
  batchSize: number,
  onBatch?: (done: number, total: number) => void,
): Promise<Evaluation> {
  const classes = manifest.config.model.classes;
  const acc = new MetricsAccumulator();
  const confusion = new ConfusionMatrix(classes);
  const feeds: Record<string, ort.Tensor> = state.parameterFeeds({});
  const { loss: lossName, probabilities: probName } = manifest.eval.outputs;
  let done = 0;
  const plan = sequentialBatches(rows, batchSize);
  batches.plan(plan.map((batch) => ({ rows: batch, masking: null })));
  for (const batch of plan) {
    const b = await batches.next();
    for (const [name, t] of Object.entries(packedFeeds(b, manifest.config.model.frames)))
      feeds[name] = toOrtTensor(t);
    const out = await session.run(feeds, [lossName, probName]);
    const probabilities = out[probName]!.data as Float32Array;
    acc.addBatch((out[lossName]!.data as Float32Array)[0]!, probabilities, b.labels, classes);
    for (let i = 0; i < batch.length; i++)
      confusion.add(b.labels[i]!, argmax(probabilities, i * classes, classes));
    done += batch.length;
    onBatch?.(done, rows.length);
  }
  return { metrics: acc.summary(), confusion };
}
