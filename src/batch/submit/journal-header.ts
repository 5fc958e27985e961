import type { ModelVariant } from '../../shared/bundle/manifest.ts';

export const JOURNAL_FORMAT = 'signcast-submit-journal/1';

/**
 * The first line of a journal: what its results depend on. A journal is resumed only into a run with
 * the same model file, preprocessing, listing and batch size (the batch matters: the int8 model
 * quantizes activations per batch, so a clip's probabilities depend on the clips beside it).
 */
export interface JournalHeader {
  readonly format: typeof JOURNAL_FORMAT;
  readonly model: { readonly id: string; readonly variant: ModelVariant; readonly sha256: string };
  readonly preprocessVersion: string;
  readonly listing: { readonly clips: number; readonly sha256: string };
  readonly batch: number;
  readonly classes: number;
  /** Classes kept per clip (top-k with probabilities). */
  readonly keep: number;
}

/**
 * Why a journal's header does not fit this run, one phrase per difference; empty when it fits. A
 * journal that kept more classes than needed fits (the extra are ignored).
 */
export function headerMismatches(journal: JournalHeader, run: JournalHeader): string[] {
  const out: string[] = [];
  if (journal.model.sha256 !== run.model.sha256 || journal.model.variant !== run.model.variant) {
    out.push(
      `model ${journal.model.id} ${journal.model.variant} (sha256 ${journal.model.sha256.slice(0, 12)}…) ` +
        `instead of ${run.model.id} ${run.model.variant} (${run.model.sha256.slice(0, 12)}…)`,
    );
  }
  if (journal.preprocessVersion !== run.preprocessVersion) {
    out.push(`preprocessing ${journal.preprocessVersion} instead of ${run.preprocessVersion}`);
  }
  if (journal.listing.sha256 !== run.listing.sha256 || journal.listing.clips !== run.listing.clips) {
    out.push(
      `a listing of ${journal.listing.clips} clips that differs from this one (${run.listing.clips} clips)`,
    );
  }
  if (journal.batch !== run.batch) out.push(`--batch ${journal.batch} instead of ${run.batch}`);
  if (journal.classes !== run.classes) out.push(`${journal.classes} classes instead of ${run.classes}`);
  if (journal.keep < run.keep) out.push(`the top ${journal.keep} classes kept, this run needs ${run.keep}`);
  return out;
}

export function isJournalHeader(value: unknown): value is JournalHeader {
  const h = value as Partial<JournalHeader> | null;
  return (
    typeof h === 'object' &&
    h !== null &&
    h.format === JOURNAL_FORMAT &&
    typeof h.model?.sha256 === 'string' &&
    typeof h.model.id === 'string' &&
    (h.model.variant === 'float32' || h.model.variant === 'int8') &&
    typeof h.preprocessVersion === 'string' &&
    typeof h.listing?.sha256 === 'string' &&
    Number.isSafeInteger(h.listing.clips) &&
    [h.batch, h.classes, h.keep].every((v) => Number.isSafeInteger(v) && (v as number) > 0)
  );
}
