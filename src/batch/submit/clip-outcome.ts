import type { ClipFailureCode } from './clip-failure.ts';

/** What scoring decided for one listed clip: its most probable classes, or why it got the fallback. */
export type ClipOutcome =
  | {
      readonly ok: true;
      /** Class indices, most probable first. */
      readonly top: readonly number[];
      /** Their probabilities (float32 values, exact). */
      readonly probs: readonly number[];
    }
  | { readonly ok: false; readonly code: ClipFailureCode; readonly message: string };
