import type { BundleFile, BundleManifest, ModelVariant } from '../../shared/bundle/manifest.ts';
import { INPUT_SIZE, N_COORDS, N_POINTS } from '../../shared/preprocess/constants.ts';
import { ort } from './ort-in-workerd.ts';

/** What preprocessing hands the model for one clip (the shapes of the bundle's input contract). */
export interface ClipFeeds {
  readonly frames: Float32Array;
  readonly nonEmptyFrameIdxs: Float32Array;
}

/** How long this isolate took to make the model ready: the cold-start cost of the first request. */
export interface ModelLoadTimings {
  readonly readMs: number;
  readonly verifyMs: number;
  readonly sessionMs: number;
  readonly totalMs: number;
}

/**
 * A verified bundle with its onnxruntime-web session, shared by every request an isolate serves.
 * Runs are queued one at a time: the single-threaded WASM runtime gains nothing from overlap, and
 * a queue keeps each run's memory use bounded under concurrent requests.
 */
export class LoadedModel {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly manifest: BundleManifest,
    readonly variant: ModelVariant,
    readonly file: BundleFile,
    readonly source: 'assets' | 'r2',
    readonly load: ModelLoadTimings,
    private readonly session: ort.InferenceSession,
    private readonly outputName: string,
  ) {}

  /** Class probabilities for one clip, in the manifest's sign order. */
  run(feeds: ClipFeeds): Promise<Float32Array> {
    const result = this.queue.then(() => this.runNow(feeds));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow(feeds: ClipFeeds): Promise<Float32Array> {
    const outputs = await this.session.run({
      frames: new ort.Tensor('float32', feeds.frames, [1, INPUT_SIZE, N_POINTS, N_COORDS]),
      non_empty_frame_idxs: new ort.Tensor('float32', feeds.nonEmptyFrameIdxs, [1, INPUT_SIZE]),
    });
    const output = outputs[this.outputName];
    if (!output || !(output.data instanceof Float32Array))
      throw new Error(`model output ${this.outputName} is not float32`);
    return output.data;
  }
}
