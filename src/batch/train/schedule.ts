import type { TrainConfig, WarmupMethod } from '../model/config/config-schema.ts';

/**
 * The baseline's per-epoch schedule (its `lrfn`, applied by a Keras LearningRateScheduler at the start of
 * each epoch, followed by a callback that sets weight decay = learning rate x WD_RATIO).
 *
 * For a zero-based epoch e, W warm-up epochs and E epochs in all:
 *   e < W:  lr_max * 0.1^(W - e)            ('log')   or   lr_max * 2^-(W - e)   ('exp')
 *   e >= W: lr_max * max(0, 0.5 * (1 + cos(pi * num_cycles * 2 * progress))),
 *           progress = (e - W) / max(1, E - W)
 * With num_cycles 0.5 this is half a cosine from lr_max towards 0, reached one epoch after the last.
 */
export interface LearningRateOptions {
  readonly lrMax: number;
  readonly warmupEpochs: number;
  readonly epochs: number;
  readonly numCycles: number;
  readonly warmupMethod: WarmupMethod;
}

export function learningRate(epoch: number, o: LearningRateOptions): number {
  if (epoch < o.warmupEpochs) {
    const left = o.warmupEpochs - epoch;
    return o.warmupMethod === 'log' ? o.lrMax * 0.1 ** left : o.lrMax * 2 ** -left;
  }
  const progress = (epoch - o.warmupEpochs) / Math.max(1, o.epochs - o.warmupEpochs);
  return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * o.numCycles * 2 * progress))) * o.lrMax;
}

/** tfa AdamW's weight decay is not scaled by the learning rate inside the optimizer, so the baseline ties it to lr here. */
export function weightDecay(lr: number, ratio: number): number {
  return lr * ratio;
}

export interface EpochHyperparameters {
  readonly epoch: number;
  readonly learningRate: number;
  readonly weightDecay: number;
}

export function epochHyperparameters(train: TrainConfig, epoch: number): EpochHyperparameters {
  const lr = learningRate(epoch, {
    lrMax: train.lr_max,
    warmupEpochs: train.warmup_epochs,
    epochs: train.epochs,
    numCycles: train.num_cycles,
    warmupMethod: train.warmup_method,
  });
  return { epoch, learningRate: lr, weightDecay: weightDecay(lr, train.weight_decay_ratio) };
}

/** Every epoch's values, for logging and the report's schedule chart. */
export function trainingSchedule(train: TrainConfig): EpochHyperparameters[] {
  return Array.from({ length: train.epochs }, (_, epoch) => epochHyperparameters(train, epoch));
}
