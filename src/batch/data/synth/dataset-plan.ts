/**
 * Which clips a synthetic dataset has: for each, its split, sign, signer, participant and sequence ids, file
 * path and generator seed. Everything follows from the options, so any worker can generate any clip.
 */
import { landmarkPath } from '../kaggle/clip-index-csv.ts';
import { TRAIN_DIR } from '../kaggle/write-train-csv.ts';
import { TEST_DIR } from '../kaggle/write-test-csv.ts';
import { deriveSeed, SynthRandom } from '../../random/pinned-generators.ts';
import type { SignSpec } from './sign-spec.ts';
import { makeSignSpecs } from './sign-spec.ts';
import { inventSignNames } from './sign-names.ts';
import type { SignerSpec } from './signer.ts';
import { makeSigners } from './signer.ts';

export interface SynthOptions {
  readonly seed: number;
  readonly signs: number;
  readonly signers: number;
  /** Labelled clips (train.csv). */
  readonly clips: number;
  /** Held-out clips (test.csv + test_labels.csv); 0 for none. */
  readonly testClips: number;
  /** Sign names in index order (from a real map); invented when absent. */
  readonly signNames?: readonly string[];
}

export type Split = 'train' | 'test';

export interface PlannedClip {
  readonly split: Split;
  readonly sign: number;
  readonly signer: number;
  readonly participantId: number;
  readonly sequenceId: number;
  readonly seed: number;
  /** Relative to the dataset directory. */
  readonly path: string;
}

export interface DatasetPlan {
  readonly names: readonly string[];
  readonly signs: readonly SignSpec[];
  readonly signers: readonly SignerSpec[];
  readonly clips: readonly PlannedClip[];
}

/** The full Kaggle ASL-Signs training set size. */
export const FULL_CLIPS = 94_477;
const MAX_SEQUENCE_ID = 4_294_967_295;

export function validateSynthOptions(o: SynthOptions): void {
  const positive = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  };
  positive('seed', o.seed, 0);
  positive('signs', o.signs, 1);
  positive('signers', o.signers, 1);
  positive('clips', o.clips, 0);
  positive('testClips', o.testClips, 0);
  if (o.signers > 50_000) throw new RangeError('at most 50000 signers (5-digit participant ids)');
  if (o.signNames && o.signNames.length < o.signs) {
    throw new RangeError(`the sign map has ${o.signNames.length} signs, fewer than the ${o.signs} asked for`);
  }
}

/** Balanced signs (counts differ by at most one), signers drawn with uneven weights as in the real set. */
function assign(
  count: number,
  signs: number,
  signerWeights: readonly number[],
  rng: SynthRandom,
): [number, number][] {
  const extra = rng.shuffle([...Array(signs).keys()]);
  const perSign = Math.floor(count / signs);
  const signOf: number[] = [];
  for (let s = 0; s < signs; s++) for (let k = 0; k < perSign; k++) signOf.push(s);
  for (let k = 0; k < count - perSign * signs; k++) signOf.push(extra[k]!);
  rng.shuffle(signOf);
  return signOf.map((sign) => [sign, rng.weightedIndex(signerWeights)]);
}

export function planDataset(o: SynthOptions): DatasetPlan {
  validateSynthOptions(o);
  const names = o.signNames ? o.signNames.slice(0, o.signs) : inventSignNames(o.signs, o.seed);
  const signs = makeSignSpecs(o.signs, o.seed);
  const signers = makeSigners(o.signers, o.seed);
  const rng = SynthRandom.from(o.seed, 'plan');
  const signerWeights = signers.map(() => rng.logNormal(1, 0.3));
  const usedIds = new Set<number>();
  const clips: PlannedClip[] = [];
  for (const [split, count] of [
    ['train', o.clips],
    ['test', o.testClips],
  ] as const) {
    const dir = split === 'train' ? TRAIN_DIR : TEST_DIR;
    for (const [sign, signer] of assign(
      count,
      o.signs,
      signerWeights,
      SynthRandom.from(o.seed, 'assign', split),
    )) {
      let sequenceId: number;
      do sequenceId = rng.int(100_000, MAX_SEQUENCE_ID);
      while (usedIds.has(sequenceId));
      usedIds.add(sequenceId);
      const participantId = signers[signer]!.participantId;
      clips.push({
        split,
        sign,
        signer,
        participantId,
        sequenceId,
        seed: deriveSeed(o.seed, 'clip', sequenceId),
        path: landmarkPath(dir, participantId, sequenceId),
      });
    }
  }
  return { names, signs, signers, clips };
}
