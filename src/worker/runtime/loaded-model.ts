import type { BundleFile, BundleManifest, ModelVariant } from '../../shared/bundle/manifest.ts';
import { modelFeeds } from '../../shared/bundle/model-contract.ts';
import type { BundleOpenTimings, OpenBundle } from '../../shared/bundle/open-bundle.ts';
import { webTensor, type WebSession } from '../../shared/ort-web-session.ts';
import type { ModelInputs } from '../../shared/preprocess/model-inputs.ts';

/**
 * A verified bundle with its onnxruntime-web session, shared by every request an isolate serves.
 * Runs are queued one at a time: the single-threaded WASM runtime gains nothing from overlap, and
 * a queue keeps each run's memory use bounded under concurrent requests.
 */
export class LoadedModel {
  readonly manifest: BundleManifest;
  readonly variant: ModelVariant;
  readonly file: BundleFile;
  /** How long this isolate took to make the model ready: the cold-start cost of the first request. */
  readonly load: BundleOpenTimings;
  private readonly session: WebSession;
  private readonly outputName: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    bundle: OpenBundle<WebSession>,
    readonly source: 'assets' | 'r2',
  ) {
    this.manifest = bundle.manifest;
    this.variant = bundle.variant;
    this.file = bundle.file;
    this.load = bundle.timings;
    this.session = bundle.session;
    this.outputName = bundle.outputName;
  }

  /** Class probabilities for one clip, in the manifest's sign order. */
  run(inputs: ModelInputs): Promise<Float32Array> {
    const result = this.queue.then(() => this.runNow(inputs));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow(inputs: ModelInputs): Promise<Float32Array> {
    const outputs = await this.session.run(modelFeeds(inputs.frames, inputs.nonEmptyFrameIdxs, 1, webTensor));
    const output = outputs[this.outputName];
    if (!output || !(output.data instanceof Float32Array))
      throw new Error(`model output ${this.outputName} is not float32`);
    return output.data;
  }
}
