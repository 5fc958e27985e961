import { Random } from '../../random/random.ts';

/** The share of signers held out with --val participants (the baseline's USE_VAL). */
export const VALIDATION_SIGNER_FRACTION = 0.1;

/**
 * Which signers validate: ceil(10%) of the participants (as scikit-learn's GroupShuffleSplit rounds a
 * test fraction), chosen by shuffling their sorted ids with the run seed, so the same seed and data give
 * the same split on every machine. At least one signer trains.
 */
export function heldOutSigners(
  participantIds: ArrayLike<number>,
  seed: number,
  fraction = VALIDATION_SIGNER_FRACTION,
): number[] {
  const signers = [...new Set(Array.from(participantIds))].sort((a, b) => a - b);
  if (signers.length < 2) return [];
  const count = Math.min(signers.length - 1, Math.ceil(fraction * signers.length));
  const order = Random.seeded(seed, 'validation-signers').shuffle([...signers]);
  return order.slice(0, count).sort((a, b) => a - b);
}
