/**
 * sign_to_prediction_index_map.json as the real file writes it: one line, Python json.dumps spacing
 * ({"a": 0, "b": 1}), trailing newline, entries in index order. (The real map's keys are ASCII-sorted so that
 * index order is key order; invented sign names are sorted the same way before they get their indexes.)
 */

export const SIGN_MAP_FILE = 'sign_to_prediction_index_map.json';

/** `signs[i]` is the sign with prediction index i. */
export function formatSignMap(signs: readonly string[]): string {
  const seen = new Set<string>();
  for (const s of signs) {
    if (seen.has(s)) throw new Error(`sign "${s}" appears twice in the sign map`);
    seen.add(s);
  }
  return `{${signs.map((s, i) => `${JSON.stringify(s)}: ${i}`).join(', ')}}\n`;
}
