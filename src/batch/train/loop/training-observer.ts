import type { EpochRecord } from '../metrics/epoch-record.ts';
import type { Evaluation } from './evaluate.ts';
import type { InitialCheck } from './initial-check.ts';

export interface TrainingPlan {
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly batchSize: number;
  readonly trainClips: number;
  readonly valClips: number;
  readonly parameterCount: number;
  /** Signs without training clips, left out of the batches. */
  readonly emptySigns: readonly number[];
  /** Where training (re)starts; null for a fresh run. */
  readonly resumedFrom: {
    readonly dir: string;
    readonly step: number;
    readonly epoch: number;
    readonly epochStep: number;
  } | null;
}

export interface EpochStart {
  /** 1-based. */
  readonly epoch: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** Steps of this epoch already done (a resumed epoch starts past 0). */
  readonly firstStep: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly weightDecay: number;
}

export interface StepDone {
  readonly epoch: number;
  /** 1-based within the epoch. */
  readonly epochStep: number;
  readonly stepsPerEpoch: number;
  /** Global optimizer steps done. */
  readonly step: number;
  readonly loss: number;
  readonly gradNorm: number;
  readonly batchSize: number;
  /** Means over the epoch so far. */
  readonly runningLoss: number;
  readonly runningAccuracy: number;
}

export interface CheckpointSaved {
  readonly dir: string;
  readonly step: number;
  readonly reason: 'epoch' | 'interrupt';
}

export interface TrainingOutcome {
  readonly status: 'complete' | 'interrupted';
  readonly step: number;
  /** Zero-based epoch the next step would belong to (= epochs when complete). */
  readonly epoch: number;
  readonly epochStep: number;
  readonly best: { readonly epoch: number; readonly valAccuracy: number } | null;
  readonly lastCheckpoint: string | null;
}

/**
 * What the loop reports, for the console, metrics.jsonl, TensorBoard, W&B and the report. Every method
 * is optional; the loop awaits the ones that return promises, so an observer must not wait on the network.
 */
export interface TrainingObserver {
  started?(plan: TrainingPlan): void | Promise<void>;
  initialCheck?(check: InitialCheck): void | Promise<void>;
  epochStarted?(info: EpochStart): void;
  stepDone?(info: StepDone): void;
  validationStarted?(clips: number): void;
  validationProgress?(done: number, total: number): void;
  /** After the epoch's metrics are final, before its checkpoint is written. */
  epochDone?(record: EpochRecord, evaluation: Evaluation | null, isBest: boolean): void | Promise<void>;
  checkpointSaved?(info: CheckpointSaved): void | Promise<void>;
  finished?(outcome: TrainingOutcome): void | Promise<void>;
}

/** Calls every observer in order. */
export function combineObservers(observers: readonly TrainingObserver[]): Required<TrainingObserver> {
  const each =
    <K extends keyof TrainingObserver>(key: K) =>
    async (...args: Parameters<NonNullable<TrainingObserver[K]>>): Promise<void> => {
      for (const o of observers) {
        const fn = o[key] as ((...a: typeof args) => void | Promise<void>) | undefined;
        if (fn) await fn.apply(o, args);
      }
    };
  const sync =
    <K extends keyof TrainingObserver>(key: K) =>
    (...args: Parameters<NonNullable<TrainingObserver[K]>>): void => {
      for (const o of observers) {
        const fn = o[key] as ((...a: typeof args) => void) | undefined;
        fn?.apply(o, args);
      }
    };
  return {
    started: each('started'),
    initialCheck: each('initialCheck'),
    epochStarted: sync('epochStarted'),
    stepDone: sync('stepDone'),
    validationStarted: sync('validationStarted'),
    validationProgress: sync('validationProgress'),
    epochDone: each('epochDone'),
    checkpointSaved: each('checkpointSaved'),
    finished: each('finished'),
  };
}
