import { argmax, labelRank } from './label-rank.ts';

/** An epoch's figures on one split (train or val): means over every clip seen. */
export interface SplitMetrics {
  readonly loss: number;
  /** Top-1 accuracy: argmax equals the label. */
  readonly accuracy: number;
  readonly top5: number;
  readonly top10: number;
  readonly samples: number;
}

/** The sums behind SplitMetrics; plain numbers so a mid-epoch checkpoint can store them exactly. */
export interface MetricSums {
  readonly lossSum: number;
  readonly samples: number;
  readonly top1: number;
  readonly top5: number;
  readonly top10: number;
}

/**
 * Accumulates loss and top-k counts over batches. Loss arrives as each batch's mean (what the graphs
 * output), weighted back by the batch size so batches of different sizes average correctly.
 */
export class MetricsAccumulator {
  private lossSum = 0;
  private samples = 0;
  private top1 = 0;
  private top5 = 0;
  private top10 = 0;

  static from(sums: MetricSums): MetricsAccumulator {
    const acc = new MetricsAccumulator();
    acc.lossSum = sums.lossSum;
    acc.samples = sums.samples;
    acc.top1 = sums.top1;
    acc.top5 = sums.top5;
    acc.top10 = sums.top10;
    return acc;
  }

  /**
   * `scores` holds `labels.length` rows of `classes` scores (logits or probabilities, row-major).
   * Returns the batch's top-1 hits, handy for a running accuracy.
   */
  addBatch(meanLoss: number, scores: Float32Array, labels: ArrayLike<number>, classes: number): number {
    const n = labels.length;
    if (scores.length < n * classes) {
      throw new RangeError(`${scores.length} scores cannot hold ${n} rows of ${classes} classes`);
    }
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const label = labels[i]!;
      const offset = i * classes;
      if (argmax(scores, offset, classes) === label) hits++;
      const rank = labelRank(scores, offset, classes, label);
      if (rank < 5) this.top5++;
      if (rank < 10) this.top10++;
    }
    this.top1 += hits;
    this.lossSum += meanLoss * n;
    this.samples += n;
    return hits;
  }

  /** A batch whose top-k counts were made elsewhere (on the device, by the training graph). */
  addCounts(meanLoss: number, n: number, hits: readonly [number, number, number]): void {
    this.top1 += hits[0];
    this.top5 += hits[1];
    this.top10 += hits[2];
    this.lossSum += meanLoss * n;
    this.samples += n;
  }

  get count(): number {
    return this.samples;
  }

  sums(): MetricSums {
    return {
      lossSum: this.lossSum,
      samples: this.samples,
      top1: this.top1,
      top5: this.top5,
      top10: this.top10,
    };
  }

  /** NaN figures when nothing was added (JSON writes them as null). */
  summary(): SplitMetrics {
    const n = this.samples;
    return {
      loss: this.lossSum / n,
      accuracy: this.top1 / n,
      top5: this.top5 / n,
      top10: this.top10 / n,
      samples: n,
    };
  }
}
