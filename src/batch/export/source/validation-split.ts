import type { Dataset } from '../../data/dataset/open-dataset.ts';
import { datasetClips, type LabeledClips } from '../evaluate/labeled-clips.ts';

export interface ValidationSplit {
  readonly clips: LabeledClips;
  /** Which rows, in words, for the summary and the manifest. */
  readonly description: string;
  /** The most frequent sign among the training rows: the prediction for a clip that cannot be read. */
  readonly fallbackSign: string;
}

/** The sign with the most rows (the lowest index on a tie, so the choice is stable). */
export function mostFrequentSign(ds: Dataset, rows: Uint32Array): string {
  const counts = new Int32Array(ds.signs.length);
  for (const row of rows) {
    const label = ds.labels[row]!;
    if (label >= 0 && label < counts.length) counts[label]!++;
  }
  let best = 0;
  for (let c = 1; c < counts.length; c++) if (counts[c]! > counts[best]!) best = c;
  const sign = ds.signs[best];
  if (sign === undefined || counts[best] === 0) throw new Error(`${ds.dir}: no labeled training rows`);
  return sign;
}

/**
 * The held-out participants' labeled rows for evaluation, the others for the fallback sign. Without
 * held-out participants (a dataset given for evaluation only) every labeled row is evaluated and the
 * fallback is its most frequent sign.
 */
export function validationSplit(
  ds: Dataset,
  heldOut: readonly number[] | undefined,
  /** How the description names the dataset. */
  datasetName: string = ds.dir,
): ValidationSplit {
  const labeled = (rows: Uint32Array) => rows.filter((r) => ds.labels[r]! >= 0);
  if (heldOut === undefined || heldOut.length === 0) {
    const rows = labeled(ds.rowsWhere(() => true));
    return {
      clips: datasetClips(ds, rows),
      description: `every labeled row of ${datasetName} (${rows.length} clips)`,
      fallbackSign: mostFrequentSign(ds, rows),
    };
  }
  const held = new Set(heldOut);
  const validation = labeled(ds.rowsWhere((id) => held.has(id)));
  const training = labeled(ds.rowsWhere((id) => !held.has(id)));
  return {
    clips: datasetClips(ds, validation),
    description: `${held.size} held-out participants of ${datasetName} (${validation.length} clips)`,
    fallbackSign: mostFrequentSign(ds, training),
  };
}
