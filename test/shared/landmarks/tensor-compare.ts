import { expect } from 'vitest';
import type { Clip } from '../../../src/shared/landmarks/clip.ts';

/** Index of the first value that differs (NaN equals NaN), or -1. */
export function firstMismatch(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return i;
  }
  return -1;
}

export function expectSameClip(actual: Clip, expected: Clip): void {
  expect(actual.frameCount).toBe(expected.frameCount);
  expect(actual.firstFrame).toBe(expected.firstFrame);
  const at = firstMismatch(actual.data, expected.data);
  if (at >= 0) expect.fail(`tensors differ at value ${at}: ${actual.data[at]} vs ${expected.data[at]}`);
}
