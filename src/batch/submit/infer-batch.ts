import * as ort from 'onnxruntime-node';
import { BundleError } from '../../shared/bundle/bundle-error.ts';
import { modelFeeds } from '../../shared/bundle/model-contract.ts';
import type { OpenBundle } from '../../shared/bundle/open-bundle.ts';

/** The bundle `npm run submit` scores with: onnxruntime-node's `scoring` session on its chosen variant. */
export type ScoringModel = OpenBundle<ort.InferenceSession>;

/**
 * Runs the model on the first `rows` clips of the buffers; returns probabilities [rows, classes].
 * onnxruntime-node runs synchronously on this thread (its promise only defers the start), which is
 * why decoding lives in worker threads.
 */
export async function inferBatch(
  model: ScoringModel,
  frames: Float32Array,
  idxs: Float32Array,
  rows: number,
): Promise<Float32Array> {
  const feeds = modelFeeds(frames, idxs, rows, (data, dims) => new ort.Tensor('float32', data, dims));
  const output = (await model.session.run(feeds))[model.outputName];
  const classes = model.manifest.signs.length;
  if (output === undefined || output.type !== 'float32' || output.data.length !== rows * classes) {
    const got = output === undefined ? 'nothing' : `${output.type} [${output.dims.join(', ')}]`;
    throw new BundleError(
      'model_contract_mismatch',
      `${model.file.path} (${model.variant}): output ${model.outputName} should be float32 [${rows}, ${classes}] (one column per sign), got ${got}`,
    );
  }
  return output.data as Float32Array;
}
