import type { ClipOutcome } from './clip-outcome.ts';
import type { ListedClip } from './clip-listing.ts';

export interface SubmissionShape {
  /** Signs per clip (>= 1): `sign`, then `sign_2` ... `sign_<top>`. */
  readonly top: number;
  /** Adds `prob` (and `prob_<i>`) after each sign. */
  readonly probs: boolean;
}

/** The submission as columns, in listing order. Nulls are cells a failed clip leaves empty. */
export interface SubmissionTable {
  readonly sequenceIds: readonly string[];
  readonly columns: readonly SubmissionColumn[];
}

export type SubmissionColumn =
  | { readonly name: string; readonly kind: 'sign'; readonly values: readonly (string | null)[] }
  | { readonly name: string; readonly kind: 'prob'; readonly values: readonly (number | null)[] };

/**
 * Kaggle's form (`sequence_id,sign`), optionally with the next most probable signs and probabilities.
 * A clip that could not be scored gets the manifest's fallback sign and nothing else.
 */
export function buildSubmissionTable(
  clips: readonly ListedClip[],
  outcomes: readonly ClipOutcome[],
  signs: readonly string[],
  fallbackSign: string,
  shape: SubmissionShape,
): SubmissionTable {
  const columns: SubmissionColumn[] = [];
  for (let rank = 0; rank < shape.top; rank++) {
    const suffix = rank === 0 ? '' : `_${rank + 1}`;
    columns.push({
      name: `sign${suffix}`,
      kind: 'sign',
      values: outcomes.map((o) => {
        if (!o.ok) return rank === 0 ? fallbackSign : null;
        const index = o.top[rank];
        return index === undefined ? null : signs[index]!;
      }),
    });
    if (shape.probs) {
      columns.push({
        name: `prob${suffix}`,
        kind: 'prob',
        values: outcomes.map((o) => (o.ok ? (o.probs[rank] ?? null) : null)),
      });
    }
  }
  return { sequenceIds: clips.map((c) => c.sequenceId), columns };
}
