import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KaggleReadError } from '../../../../src/batch/data/kaggle/read-error.ts';
import { parseSignMap, readSignMap } from '../../../../src/batch/data/kaggle/read-sign-map.ts';
import { hasRealData, REAL_DIR } from '../../../shared/real-files.ts';

function codeOf(text: string): string {
  try {
    parseSignMap(text, 'map.json');
  } catch (err) {
    expect(err).toBeInstanceOf(KaggleReadError);
    expect((err as Error).message).toMatch(/^map\.json: /);
    return (err as KaggleReadError).code;
  }
  throw new Error('expected a KaggleReadError');
}

describe('readSignMap', () => {
  it.skipIf(!hasRealData)('reads the real map into prediction order', async () => {
    const signs = await readSignMap(join(REAL_DIR, 'sign_to_prediction_index_map.json'));
    expect(signs).toHaveLength(250);
    expect(new Set(signs).size).toBe(250);
    expect(signs.every((s) => typeof s === 'string' && s.length > 0)).toBe(true);
  });

  it('orders by index, not by key order', () => {
    expect(parseSignMap('{"b": 0, "a": 2, "c": 1}', 'm')).toEqual(['b', 'c', 'a']);
  });

  it('refuses maps whose indices are not exactly 0..N-1', () => {
    expect(codeOf('{"a": 0, "b": 2}')).toBe('sign_map_bad_index');
    expect(codeOf('{"a": 0, "b": 0}')).toBe('sign_map_bad_index');
    expect(codeOf('{"a": 1.5, "b": 0}')).toBe('sign_map_bad_index');
    expect(codeOf('{"a": "0"}')).toBe('sign_map_bad_index');
    expect(codeOf('{"a": -1}')).toBe('sign_map_bad_index');
    // A repeated name collapses in JSON.parse and shows as a missing index.
    expect(codeOf('{"a": 0, "a": 1, "b": 2}')).toBe('sign_map_bad_index');
  });

  it('refuses what is not a {name: index} object', () => {
    expect(codeOf('[1, 2]')).toBe('sign_map_malformed');
    expect(codeOf('{}')).toBe('sign_map_malformed');
    expect(codeOf('{"a": 0')).toBe('sign_map_malformed');
    expect(codeOf('{"": 0}')).toBe('sign_map_malformed');
  });
});
