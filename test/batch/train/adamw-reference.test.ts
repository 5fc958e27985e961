import { describe, expect, it } from 'vitest';
import { adamwStep, clipScale, globalNorm } from '../../../src/batch/train/adamw-reference.ts';
import type { AdamWSlot } from '../../../src/batch/train/adamw-reference.ts';

const hyper = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, clipNorm: 1 };

function slot(param: number[], grad: number[], m?: number[], v?: number[]): AdamWSlot {
  return {
    param: Float32Array.from(param),
    grad: Float32Array.from(grad),
    m: Float32Array.from(m ?? param.map(() => 0)),
    v: Float32Array.from(v ?? param.map(() => 0)),
  };
}

/** Within float32 rounding of the expected float64 value. */
function expectClose(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) =>
    expect(Math.abs(actual[i]! - e)).toBeLessThanOrEqual(2e-7 * Math.abs(e) + 1e-12),
  );
}

// Expected values were computed separately in Python (float64) with PyTorch's form of the update,
// p - wd * p - lr * m_hat / (sqrt(v_hat) + eps / sqrt(1 - b2^t)), which is algebraically Keras's form.
describe('AdamW reference', () => {
  it('one step from zero moments (no clipping: norm 0.5)', () => {
    const r = adamwStep([slot([1, -2], [0.3, -0.4])], hyper, {
      step: 1,
      learningRate: 0.01,
      weightDecay: 0.001,
    });
    expect(r.globalNorm).toBeCloseTo(0.5, 7);
    expect(r.clipScale).toBe(1);
    expectClose(r.params[0]!, [0.9890001054081442, -1.9880000790563166]);
    expectClose(r.m[0]!, [0.03, -0.04]);
    expectClose(r.v[0]!, [9e-5, 1.6e-4]);
  });

  it('a second step continues from the stored float32 state with t = 2', () => {
    const first = adamwStep([slot([1, -2], [0.3, -0.4])], hyper, {
      step: 1,
      learningRate: 0.01,
      weightDecay: 0.001,
    });
    const second = adamwStep(
      [{ param: first.params[0]!, grad: Float32Array.from([-0.1, 0.2]), m: first.m[0]!, v: first.v[0]! }],
      hyper,
      { step: 2, learningRate: 0.005, weightDecay: 0.00025 },
    );
    expect(second.globalNorm).toBeCloseTo(0.22360680108197992, 7);
    expectClose(second.params[0]!, [0.9867517592606665, -1.9861713595812591]);
    expectClose(second.m[0]!, [0.016999999247491362, -0.01599999889731408]);
    expectClose(second.v[0]!, [9.991000166104642e-5, 1.998399971541949e-4]);
  });

  it('clips by the global norm over all tensors, not per tensor', () => {
    // Norm of (3, 4) is 5: both gradients are scaled by 1/5. Per-tensor clipping would give m = 0.1 and 0.1.
    const r = adamwStep([slot([0.5], [3]), slot([-0.5], [4])], hyper, {
      step: 1,
      learningRate: 0.001,
      weightDecay: 0,
    });
    expect(r.globalNorm).toBe(5);
    expect(r.clipScale).toBeCloseTo(0.2, 15);
    expectClose(r.m[0]!, [0.06]);
    expectClose(r.m[1]!, [0.08]);
    expectClose(r.v[0]!, [3.6e-4]);
    expectClose(r.params[0]!, [0.499000005270435]);
    expectClose(r.params[1]!, [-0.5009999960471685]);
  });

  it("puts epsilon where Keras does, which matters for tiny gradients (PyTorch's form gives 0.0900990, 0.2095238)", () => {
    const r = adamwStep([slot([0.1, 0.2], [1e-5, -2e-6])], hyper, {
      step: 1,
      learningRate: 0.01,
      weightDecay: 0,
    });
    expectClose(r.params[0]!, [0.09240253077963177, 0.203874258861236]);
  });

  it('does not scale weight decay by the learning rate (tfa AdamW): lr 0 still decays', () => {
    const r = adamwStep([slot([2, -4], [0.5, 0.5])], hyper, { step: 1, learningRate: 0, weightDecay: 0.1 });
    expectClose(r.params[0]!, [1.8, -3.6]);
  });

  it('leaves its inputs untouched', () => {
    const s = slot([1, 2], [0.1, 0.2], [0.01, 0.02], [0.001, 0.002]);
    const copy = { param: s.param.slice(), grad: s.grad.slice(), m: s.m.slice(), v: s.v.slice() };
    adamwStep([s], hyper, { step: 3, learningRate: 0.1, weightDecay: 0.01 });
    expect(s).toEqual(copy);
  });

  it('handles a zero gradient, and lets a non-finite gradient poison the update', () => {
    expect(clipScale(0, 1)).toBe(1);
    expect(clipScale(0.5, 1)).toBe(1);
    expect(clipScale(4, 1)).toBe(0.25);
    const zero = adamwStep([slot([1], [0])], hyper, { step: 1, learningRate: 0.01, weightDecay: 0 });
    expectClose(zero.params[0]!, [1]);
    const nan = adamwStep([slot([1, 2], [Number.NaN, 1]), slot([3], [1])], hyper, {
      step: 1,
      learningRate: 0.01,
      weightDecay: 0,
    });
    expect(Number.isNaN(nan.globalNorm)).toBe(true);
    expect([...nan.params[0]!, ...nan.params[1]!].every(Number.isNaN)).toBe(true);
    expect(globalNorm([Float32Array.from([Number.POSITIVE_INFINITY])])).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses a step below 1 and mismatched lengths', () => {
    expect(() => adamwStep([slot([1], [1])], hyper, { step: 0, learningRate: 0.01, weightDecay: 0 })).toThrow(
      RangeError,
    );
    const bad = { ...slot([1, 2], [1, 2]), m: new Float32Array(1) };
    expect(() => adamwStep([bad], hyper, { step: 1, learningRate: 0.01, weightDecay: 0 })).toThrow(
      /lengths differ/,
    );
  });
});
