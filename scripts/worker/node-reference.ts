import { openNodeRunner, type ModelRunner } from '../../src/batch/export/runtime/model-runner.ts';
import type { Clip } from '../../src/shared/landmarks/clip.ts';
import { readLandmarkArrow } from '../../src/shared/landmarks/read-arrow.ts';
import { readLandmarkJson } from '../../src/shared/landmarks/read-json.ts';
import { readLandmarkParquet } from '../../src/shared/landmarks/read-parquet.ts';
import type { ModelInputs } from '../../src/shared/preprocess/model-inputs.ts';
import { preprocessClip } from '../../src/shared/preprocess/preprocess-clip.ts';
import type { ClipFormat } from './clip-encodings.ts';

/**
 * The batch side's answer for a clip: the same shared reader and preprocessing, then
 * onnxruntime-node. The Worker must agree with it (tests), and it is the bench's native yardstick.
 */
export class NodeReference {
  private constructor(private readonly runner: ModelRunner) {}

  static async create(modelBytes: Uint8Array, threads = 1): Promise<NodeReference> {
    return new NodeReference(await openNodeRunner(modelBytes, threads));
  }

  static async decode(body: Uint8Array, format: ClipFormat, source: string): Promise<Clip> {
    if (format === 'parquet') return readLandmarkParquet(body, source);
    if (format === 'arrow') return readLandmarkArrow(body, source);
    return readLandmarkJson(body, source);
  }

  run(inputs: ModelInputs): Promise<Float32Array> {
    return this.runner.run({ ...inputs, batch: 1 });
  }

  async predict(body: Uint8Array, format: ClipFormat, source: string): Promise<Float32Array> {
    return this.run(preprocessClip(await NodeReference.decode(body, format, source)));
  }

  release(): Promise<void> {
    return this.runner.release();
  }
}
