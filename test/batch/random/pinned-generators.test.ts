import { describe, expect, it } from 'vitest';
import {
  deriveSeed,
  seededNormal,
  seededUniform,
  SynthRandom,
} from '../../../src/batch/random/pinned-generators.ts';

// Values recorded before the generators moved into random/: committed files depend on them.
describe('the generators committed files depend on', () => {
  it('sfc32 (synthetic data, and the demo model sign names) keeps its numbers', () => {
    expect(deriveSeed(42, 'sign-names')).toBe(922860749);
    const rng = SynthRandom.from(42, 'sign-names');
    expect(Array.from({ length: 4 }, () => rng.nextUint32())).toEqual([
      3788479491, 88900916, 3648226707, 3891095666,
    ]);
  });

  it('mulberry32 (fixture weights, sample clips) keeps its numbers', () => {
    const uniform = seededUniform(7);
    expect(Array.from({ length: 4 }, () => uniform() * 2 ** 32)).toEqual([
      50271532, 266108690, 4195786334, 3002305430,
    ]);
    const normal = seededNormal(7);
    expect([normal(), normal()]).toEqual([2.759372987028844, -0.06805135650735404]);
  });
});
