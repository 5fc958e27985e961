import { KaggleReadError } from './read-error.ts';
import { readIndexFile } from './read-index-file.ts';

export async function readSignMap(path: string): Promise<readonly string[]> {
  return parseSignMap(await readIndexFile(path), path);
}

/**
 * Parses sign_to_prediction_index_map.json into the sign names in prediction order (index = label).
 * The indices must be exactly 0..N-1, each once: a gap or a repeat would shift every label after it.
 * (Repeated names cannot survive JSON.parse; they show up here as a missing index.)
 */
export function parseSignMap(text: string, source: string): readonly string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new KaggleReadError('sign_map_malformed', source, `not JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KaggleReadError('sign_map_malformed', source, 'expected an object {sign: index}');
  }
  const entries = Object.entries(value);
  if (entries.length === 0) throw new KaggleReadError('sign_map_malformed', source, 'no signs');
  const signs = new Array<string | undefined>(entries.length).fill(undefined);
  for (const [name, index] of entries) {
    if (name.trim() === '') throw new KaggleReadError('sign_map_malformed', source, 'empty sign name');
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= entries.length) {
      throw new KaggleReadError(
        'sign_map_bad_index',
        source,
        `"${name}" has index ${JSON.stringify(index)}; indices must be 0..${entries.length - 1}`,
      );
    }
    const taken = signs[index];
    if (taken !== undefined) {
      throw new KaggleReadError(
        'sign_map_bad_index',
        source,
        `"${taken}" and "${name}" share index ${index}`,
      );
    }
    signs[index] = name;
  }
  return signs as string[];
}
