import * as ort from 'onnxruntime-node';
import type { Clip } from '../../src/shared/landmarks/clip.ts';
import { readLandmarkArrow } from '../../src/shared/landmarks/read-arrow.ts';
import { readLandmarkJson } from '../../src/shared/landmarks/read-json.ts';
import { readLandmarkParquet } from '../../src/shared/landmarks/read-parquet.ts';
import type { ModelInputs } from '../../src/shared/preprocess/model-inputs.ts';
import { preprocessClip } from '../../src/shared/preprocess/preprocess.ts';
import { INPUT_SIZE, N_COORDS, N_POINTS } from '../../src/shared/preprocess/constants.ts';
import type { ClipFormat } from './clip-encodings.ts';

/**
 * The batch side's answer for a clip: the same shared reader and preprocessing, then
 * onnxruntime-node. The Worker must agree with it (tests), and it is the bench's native yardstick.
 */
export class NodeReference {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async create(modelBytes: Uint8Array, threads = 1): Promise<NodeReference> {
    const session = await ort.InferenceSession.create(modelBytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    return new NodeReference(session);
  }

  static async decode(body: Uint8Array, format: ClipFormat, source: string): Promise<Clip> {
    if (format === 'parquet') return readLandmarkParquet(body, source);
    if (format === 'arrow') return readLandmarkArrow(body, source);
    return readLandmarkJson(body, source);
  }

  async run(inputs: ModelInputs): Promise<Float32Array> {
    const outputs = await this.session.run({
      frames: new ort.Tensor('float32', inputs.frames, [1, INPUT_SIZE, N_POINTS, N_COORDS]),
      non_empty_frame_idxs: new ort.Tensor('float32', inputs.nonEmptyFrameIdxs, [1, INPUT_SIZE]),
    });
    return outputs['probabilities']!.data as Float32Array;
  }

  async predict(body: Uint8Array, format: ClipFormat, source: string): Promise<Float32Array> {
    return this.run(preprocessClip(await NodeReference.decode(body, format, source)));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
