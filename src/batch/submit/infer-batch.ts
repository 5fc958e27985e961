import * as ort from 'onnxruntime-node';
import { INPUT_SIZE, N_COORDS, N_POINTS } from '../../shared/preprocess/constants.ts';
import { FRAME_IDXS_INPUT, FRAMES_INPUT, type SubmitModel } from './load-model.ts';
import { FRAME_VALUES, IDX_VALUES } from './model-input-size.ts';
import { SubmitError } from './submit-error.ts';

/**
 * Runs the model on the first `rows` clips of the buffers; returns probabilities [rows, classes].
 * onnxruntime-node runs synchronously on this thread (its promise only defers the start), which is
 * why decoding lives in worker threads.
 */
export async function inferBatch(
  model: SubmitModel,
  frames: Float32Array,
  idxs: Float32Array,
  rows: number,
): Promise<Float32Array> {
  const feeds = {
    [FRAMES_INPUT]: new ort.Tensor('float32', frames.subarray(0, rows * FRAME_VALUES), [
      rows,
      INPUT_SIZE,
      N_POINTS,
      N_COORDS,
    ]),
    [FRAME_IDXS_INPUT]: new ort.Tensor('float32', idxs.subarray(0, rows * IDX_VALUES), [rows, INPUT_SIZE]),
  };
  const output = (await model.session.run(feeds))[model.outputName];
  const classes = model.manifest.signs.length;
  if (output === undefined || output.type !== 'float32' || output.data.length !== rows * classes) {
    const got = output === undefined ? 'nothing' : `${output.type} [${output.dims.join(', ')}]`;
    throw new SubmitError(
      'model_contract',
      model.dir,
      `output ${model.outputName} should be float32 [${rows}, ${classes}] (one column per sign), got ${got}`,
    );
  }
  return output.data as Float32Array;
}
