/**
 * optimizer_model.onnx's graph, run in onnxruntime-node, against the plain TypeScript AdamW
 * (adamw-reference.ts) on random tensors: clipping active and inactive, first and later steps, and
 * the NaN policy. Tolerances: the reference rounds float64 results once to float32; the graph does
 * float32 arithmetic per element (a few roundings of 6e-8 each), so values agree to ~1e-6 of their
 * tensor's scale. The update p' - p is also compared on its own scale (it is ~lr, far below |p|),
 * where float32 rounding of p' (6e-8 |p|) allows ~1e-4: a wrong bias correction or step size
 * (percent-level) still fails by orders of magnitude.
 */
import type * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, toOrtTensor } from '../../../../src/batch/onnx/ort-session.ts';
import { tensorData } from '../../../../src/batch/onnx/tensor-data.ts';
import { adamwStep } from '../../../../src/batch/train/adamw-reference.ts';
import type { AdamWSlot } from '../../../../src/batch/train/adamw-reference.ts';
import { adamWStepScalars } from '../../../../src/batch/train/optimizer/adamw-update.ts';
import { buildOptimizerGraph } from '../../../../src/batch/train/optimizer/optimizer-graph.ts';
import {
  firstMomentName,
  GLOBAL_NORM,
  gradientName,
  secondMomentName,
  updatedName,
} from '../../../../src/batch/train/optimizer/optimizer-names.ts';
import { rng } from '../../autodiff/gradcheck.ts';

const hyper = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, clipNorm: 1 };
const PARAMS = [
  { name: 'block0/dense/kernel', shape: [7, 5] },
  { name: 'block0/dense/bias', shape: [5] },
  { name: 'weights', shape: [3] },
  { name: 'table', shape: [4, 2, 3] },
];

let session: ort.InferenceSession;
beforeAll(async () => {
  session = await createSession(buildOptimizerGraph(PARAMS, hyper));
});
afterAll(async () => {
  await session.release();
});

function randomSlots(seed: number, gradScale: number, fresh: boolean): AdamWSlot[] {
  const r = rng(seed);
  const u = (n: number, lo: number, hi: number) =>
    Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
  return PARAMS.map((p) => {
    const n = p.shape.reduce((a, b) => a * b, 1);
    return {
      param: u(n, -0.5, 0.5),
      grad: u(n, -gradScale, gradScale),
      m: fresh ? new Float32Array(n) : u(n, -0.01, 0.01),
      v: fresh ? new Float32Array(n) : u(n, 0, 1e-4),
    };
  });
}

async function runGraph(slots: readonly AdamWSlot[], step: number, lr: number, wd: number) {
  const feeds: Record<string, ort.Tensor> = {
    // The host's part: the step's scalars in float64, rounded once (adamWStepScalars).
    step_size: toOrtTensor(tensorData('float32', [adamWStepScalars(step, lr, wd, hyper).stepSize], [])),
    decay: toOrtTensor(tensorData('float32', [adamWStepScalars(step, lr, wd, hyper).decay], [])),
  };
  PARAMS.forEach((p, i) => {
    const s = slots[i]!;
    feeds[p.name] = toOrtTensor(tensorData('float32', s.param, p.shape));
    feeds[gradientName(p.name)] = toOrtTensor(tensorData('float32', s.grad, p.shape));
    feeds[firstMomentName(p.name)] = toOrtTensor(tensorData('float32', s.m, p.shape));
    feeds[secondMomentName(p.name)] = toOrtTensor(tensorData('float32', s.v, p.shape));
  });
  const out = await session.run(feeds);
  const get = (name: string) => out[name]!.data as Float32Array;
  return {
    params: PARAMS.map((p) => get(updatedName(p.name))),
    m: PARAMS.map((p) => get(updatedName(firstMomentName(p.name)))),
    v: PARAMS.map((p) => get(updatedName(secondMomentName(p.name)))),
    globalNorm: get(GLOBAL_NORM)[0]!,
  };
}

/** max |a - b| over the tensor, divided by the tensor's largest |b|. */
function scaledError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  let scale = 1e-30;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return worst / scale;
}

async function compare(seed: number, gradScale: number, step: number, lr: number, wd: number, fresh = false) {
  const slots = randomSlots(seed, gradScale, fresh);
  const expected = adamwStep(slots, hyper, { step, learningRate: lr, weightDecay: wd });
  const actual = await runGraph(slots, step, Math.fround(lr), Math.fround(wd));
  expect(Math.abs(actual.globalNorm - expected.globalNorm) / expected.globalNorm).toBeLessThan(1e-6);
  PARAMS.forEach((_, i) => {
    expect(scaledError(actual.m[i]!, expected.m[i]!)).toBeLessThan(1e-6);
    expect(scaledError(actual.v[i]!, expected.v[i]!)).toBeLessThan(1e-6);
    expect(scaledError(actual.params[i]!, expected.params[i]!)).toBeLessThan(1e-6);
    const p = slots[i]!.param;
    const delta = (q: ArrayLike<number>) => Array.from(p, (x, k) => q[k]! - x);
    expect(scaledError(delta(actual.params[i]!), delta(expected.params[i]!))).toBeLessThan(2e-4);
  });
  return expected;
}

describe('optimizer graph vs the TypeScript AdamW', () => {
  it('clipping inactive (global norm < 1), first step from zero moments', async () => {
    const r = await compare(1, 0.05, 1, 1e-3, 5e-5, true);
    expect(r.clipScale).toBe(1);
  });

  it('clipping active (global norm > 1), later step, non-zero moments', async () => {
    const r = await compare(2, 2, 37, 1e-2, 1e-3);
    expect(r.globalNorm).toBeGreaterThan(3);
    expect(r.clipScale).toBeLessThan(0.5);
  });

  it('large step numbers and zero weight decay', async () => {
    await compare(3, 0.3, 5000, 3e-4, 0);
  });

  it('a non-finite gradient poisons every updated value, as the reference does', async () => {
    const slots = randomSlots(4, 0.1, false);
    slots[1]!.grad[0] = Number.NaN;
    const actual = await runGraph(slots, 3, 1e-3, 1e-4);
    expect(Number.isNaN(actual.globalNorm)).toBe(true);
    for (const p of actual.params) expect(Array.from(p).every(Number.isNaN)).toBe(true);
  });
});
