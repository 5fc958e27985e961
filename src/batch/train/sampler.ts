import type { SamplerMode } from '../model/config/config-schema.ts';
import { Random } from '../random/random.ts';

/**
 * Which rows go into each training and validation batch. Pure: it sees label arrays and row numbers
 * (global dataset rows, as Dataset.rowsWhere returns them), never the frames.
 *
 * Training follows the baseline's get_train_batch_all_signs: every batch holds each sign `perSign` times,
 * ordered by sign (sign 0 x N, sign 1 x N, ...), and an epoch is rows // (signs x N) steps. Per sign, the N
 * rows are drawn
 * - 'with_replacement': uniformly with replacement, as np.random.choice(idxs, N) did;
 * - 'cycle': from a shuffled copy of the sign's rows, reshuffled when used up, so each row is drawn about
 *   once per epoch. A sign with fewer than N rows repeats rows in a batch either way.
 * Signs that have no rows in the subset are left out of the batches (and reported), so a small or
 * partial dataset still trains; the real dataset has every sign in every split.
 */

export interface AllSignsSamplerOptions {
  /** Label of every dataset row (-1 = unknown sign, never sampled). */
  readonly labels: Int16Array;
  /** Rows to sample from, e.g. the training signers' rows; all rows when absent. */
  readonly rows?: Uint32Array;
  readonly classes: number;
  /** BATCH_ALL_SIGNS_N. */
  readonly perSign: number;
  readonly mode: SamplerMode;
  readonly seed: number;
}

export interface AllSignsSampler {
  /** (signs with rows) x perSign. */
  readonly batchSize: number;
  /** Labelled rows in the subset // batchSize, at least 1. */
  readonly stepsPerEpoch: number;
  /** Signs with no rows in the subset, left out of every batch. */
  readonly emptySigns: readonly number[];
  /** The label of each position in every batch (batches are ordered by sign). */
  readonly batchLabels: Int16Array;
  /** Every batch of a (zero-based) epoch: the same (seed, epoch) always gives the same batches. */
  epoch(epoch: number): Uint32Array[];
}

export function createAllSignsSampler(options: AllSignsSamplerOptions): AllSignsSampler {
  const { classes, perSign, mode, seed } = options;
  if (!Number.isInteger(perSign) || perSign < 1) {
    throw new RangeError(`perSign ${perSign} must be a positive integer`);
  }
  const groups = rowsBySign(options.labels, options.rows, classes);
  const present = groups.map((g, sign) => ({ sign, rows: g })).filter((g) => g.rows.length > 0);
  if (present.length === 0) throw new RangeError('no labelled rows to sample from');
  const emptySigns = groups.flatMap((g, sign) => (g.length === 0 ? [sign] : []));
  const labelled = present.reduce((n, g) => n + g.rows.length, 0);
  const batchSize = present.length * perSign;
  const stepsPerEpoch = Math.max(1, Math.floor(labelled / batchSize));
  const batchLabels = new Int16Array(batchSize);
  present.forEach((g, i) => batchLabels.fill(g.sign, i * perSign, (i + 1) * perSign));

  const epoch = (epochIndex: number): Uint32Array[] => {
    const rng = Random.seeded(seed, 'all-signs-sampler', epochIndex);
    const draws = present.map((g) =>
      mode === 'cycle' ? cyclingDraw(g.rows, rng) : replacementDraw(g.rows, rng),
    );
    const batches: Uint32Array[] = [];
    for (let step = 0; step < stepsPerEpoch; step++) {
      const batch = new Uint32Array(batchSize);
      draws.forEach((draw, i) => {
        for (let k = 0; k < perSign; k++) batch[i * perSign + k] = draw();
      });
      batches.push(batch);
    }
    return batches;
  };
  return { batchSize, stepsPerEpoch, emptySigns, batchLabels, epoch };
}

/** Rows of each sign 0..classes-1, in ascending row order; unknown-sign rows (-1) are skipped. */
export function rowsBySign(
  labels: Int16Array,
  rows: Uint32Array | undefined,
  classes: number,
): Uint32Array[] {
  const pick = rows ?? Uint32Array.from({ length: labels.length }, (_, i) => i);
  const counts = new Uint32Array(classes);
  for (const row of pick) {
    const label = labelAt(labels, row, classes);
    if (label >= 0) counts[label]!++;
  }
  const groups = Array.from(counts, (n) => new Uint32Array(n));
  const filled = new Uint32Array(classes);
  for (const row of [...pick].sort((a, b) => a - b)) {
    const label = labelAt(labels, row, classes);
    if (label >= 0) groups[label]![filled[label]!++] = row;
  }
  return groups;
}

/** Validation and evaluation batches: the rows in order, `batchSize` at a time, the last one shorter. */
export function sequentialBatches(rows: Uint32Array, batchSize: number): Uint32Array[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batch size ${batchSize} must be a positive integer`);
  }
  const batches: Uint32Array[] = [];
  for (let start = 0; start < rows.length; start += batchSize)
    batches.push(rows.subarray(start, start + batchSize));
  return batches;
}

function labelAt(labels: Int16Array, row: number, classes: number): number {
  const label = labels[row];
  if (label === undefined) throw new RangeError(`row ${row} is outside the ${labels.length} labels`);
  if (label >= classes) {
    throw new RangeError(`row ${row} has label ${label}, but the config has ${classes} classes`);
  }
  return label;
}

function replacementDraw(rows: Uint32Array, rng: Random): () => number {
  return () => rows[rng.below(rows.length)]!;
}

function cyclingDraw(rows: Uint32Array, rng: Random): () => number {
  const order = rows.slice();
  let next = order.length;
  return () => {
    if (next === order.length) {
      rng.shuffle(order);
      next = 0;
    }
    return order[next++]!;
  };
}
