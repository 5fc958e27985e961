import * as ort from 'onnxruntime-node';
import type { Dataset } from '../../data/dataset/open-dataset.ts';
import { MODEL_INPUTS } from '../../model/signcast-model.ts';
import { FRAME_VALUES, IDX_VALUES, modelFeeds } from '../../../shared/bundle/model-contract.ts';

export interface BatchFeeds {
  /** The graphs' batch inputs by name: the model's two, and labels. */
  readonly inputs: Readonly<Record<string, ort.Tensor>>;
  /** The same labels as numbers, for metrics. */
  readonly labelValues: Int16Array;
}

/**
 * The model's batch inputs, gathered from the dataset's zero-copy row views into buffers allocated once
 * for the largest batch and reused by every training and validation batch: fresh memory is slow to
 * touch on these machines, and a baseline training batch is 51 MB of frames. A batch of n rows is fed
 * as tensors over the first n rows of the buffers, built once per size.
 */
export class BatchBuffers {
  private readonly frames: Float32Array;
  private readonly idxs: Float32Array;
  private readonly labels: BigInt64Array;
  private readonly labelValues: Int16Array;
  private readonly feedsBySize = new Map<number, BatchFeeds>();

  constructor(
    private readonly dataset: Dataset,
    readonly capacity: number,
  ) {
    this.frames = new Float32Array(capacity * FRAME_VALUES);
    this.idxs = new Float32Array(capacity * IDX_VALUES);
    this.labels = new BigInt64Array(capacity);
    this.labelValues = new Int16Array(capacity);
  }

  /** Copies `rows` (global dataset rows) into the buffers and returns feeds over them. */
  gather(rows: Uint32Array): BatchFeeds {
    const n = rows.length;
    if (n === 0 || n > this.capacity) throw new RangeError(`batch of ${n} rows, capacity ${this.capacity}`);
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      this.frames.set(this.dataset.frames(row), i * FRAME_VALUES);
      this.idxs.set(this.dataset.nonEmptyFrameIdxs(row), i * IDX_VALUES);
      const label = this.dataset.labels[row]!;
      if (label < 0) throw new RangeError(`row ${row} has no label`);
      this.labels[i] = BigInt(label);
      this.labelValues[i] = label;
    }
    return this.feeds(n);
  }

  private feeds(n: number): BatchFeeds {
    let feeds = this.feedsBySize.get(n);
    if (!feeds) {
      feeds = {
        inputs: {
          ...modelFeeds(this.frames, this.idxs, n, (data, dims) => new ort.Tensor('float32', data, dims)),
          [MODEL_INPUTS.labels]: new ort.Tensor('int64', this.labels.subarray(0, n), [n]),
        },
        labelValues: this.labelValues.subarray(0, n),
      };
      this.feedsBySize.set(n, feeds);
    }
    return feeds;
  }
}
