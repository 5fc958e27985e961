import type { SignCastConfig } from '../../model/config/config-schema.ts';
import { ConfigError } from '../../model/config/config-error.ts';
import { validateConfig } from '../../model/config/validate-config.ts';
import { CheckpointError } from './checkpoint-error.ts';
import { CHECKPOINT_FILES } from './checkpoint-layout.ts';
import type { TensorEntry } from './named-tensor.ts';
import { isSafetensorsDtype } from './safetensors-dtype.ts';

export const CHECKPOINT_FORMAT = 'signcast-checkpoint';
export const CHECKPOINT_FORMAT_VERSION = 1;

/** Where training stood when the checkpoint was taken. */
export interface TrainingPosition {
  /** Optimizer updates done; the next update is number step + 1 (AdamW's bias-correction t). */
  readonly step: number;
  /** Zero-based epoch the next update belongs to. */
  readonly epoch: number;
  /** Updates of that epoch already done: 0 at an epoch boundary, more after an interrupt mid-epoch. */
  readonly epochStep: number;
}

/** `checkpoint.json`: everything but the tensors, and the identity of the tensor file it belongs to. */
export interface CheckpointSidecar extends TrainingPosition {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly formatVersion: typeof CHECKPOINT_FORMAT_VERSION;
  readonly createdAt: string;
  readonly config: SignCastConfig;
  /** Model parameters, in the order the optimizer sees them. */
  readonly parameters: readonly TensorEntry[];
  /** Optimizer state tensors (e.g. AdamW's first and second moments). */
  readonly optimizerState: readonly TensorEntry[];
  /** A summary such as the last epoch's validation accuracy; null where a value was not finite. */
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly tensors: { readonly file: string; readonly bytes: number; readonly sha256: string };
}

export function parseCheckpointSidecar(value: unknown, source: string): CheckpointSidecar {
  const fail = (detail: string): never => {
    throw new CheckpointError('bad_sidecar', source, detail);
  };
  if (!isRecord(value)) return fail('not a JSON object');
  if (value.format !== CHECKPOINT_FORMAT) {
    fail(`format is ${JSON.stringify(value.format)}, expected "${CHECKPOINT_FORMAT}"`);
  }
  if (value.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    fail(`formatVersion ${JSON.stringify(value.formatVersion)} is not ${CHECKPOINT_FORMAT_VERSION}`);
  }
  for (const key of ['step', 'epoch', 'epochStep'] as const) {
    if (!isCount(value[key])) fail(`${key} must be a non-negative integer`);
  }
  if (typeof value.createdAt !== 'string') fail('createdAt must be a string');
  let config: SignCastConfig;
  try {
    config = validateConfig(value.config, `${source} config`);
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  const parameters = parseEntries(value.parameters, 'parameters', fail);
  const optimizerState = parseEntries(value.optimizerState, 'optimizerState', fail);
  // Checkpoints from before every random stream was keyed by (seed, epoch, step) carry an `rng` field
  // (always {}): nothing in it is needed to resume, so it is read past.
  const metrics = value.metrics;
  if (!isRecord(metrics) || !Object.values(metrics).every((m) => m === null || typeof m === 'number')) {
    fail('metrics must map names to numbers or null');
  }
  const tensors = value.tensors;
  if (
    !isRecord(tensors) ||
    tensors.file !== CHECKPOINT_FILES.tensors ||
    !isCount(tensors.bytes) ||
    typeof tensors.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(tensors.sha256)
  ) {
    fail(`tensors must be {file: "${CHECKPOINT_FILES.tensors}", bytes, sha256}`);
  }
  return {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    createdAt: value.createdAt as string,
    step: value.step as number,
    epoch: value.epoch as number,
    epochStep: value.epochStep as number,
    config,
    parameters,
    optimizerState,
    metrics: metrics as Record<string, number | null>,
    tensors: tensors as CheckpointSidecar['tensors'],
  };
}

function parseEntries(value: unknown, key: string, fail: (detail: string) => never): TensorEntry[] {
  if (!Array.isArray(value)) return fail(`${key} must be an array`);
  return value.map((e, i): TensorEntry => {
    if (
      !isRecord(e) ||
      typeof e.name !== 'string' ||
      !isSafetensorsDtype(e.dtype) ||
      !Array.isArray(e.shape) ||
      !e.shape.every(isCount)
    ) {
      return fail(`${key}[${i}] must be {name, dtype, shape}`);
    }
    return { name: e.name, dtype: e.dtype, shape: e.shape as number[] };
  });
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
