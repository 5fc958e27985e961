/**
 * Finite-difference gradient checking through onnxruntime-node: the analytic gradients come from the
 * autodiff engine's backward graph run in a real session; the numerical ones from central differences
 * of the forward graph, run in a real session too.
 *
 * Usable on any graph (one operator, or a whole model at small sizes):
 *
 *   const report = await gradCheck({ graph, output: y, feeds: { x: ... }, wrt: ['x', 'w'] });
 *   expect(report.maxError).toBeLessThan(1e-5);
 *
 * The output y (any static shape) is reduced to the scalar L = sum(y * R), R a fixed random tensor, so
 * every element of y matters and symmetric mistakes (a transposed gradient of a symmetric loss) show.
 * Error per tensor: max_i |analytic_i - numeric_i| / max(|numeric|_inf, |analytic|_inf, 1e-6), i.e.
 * relative to the gradient's own scale, which stays meaningful where single elements are ~0.
 */
import type * as ort from 'onnxruntime-node';
import type { DType, FloatDType } from '../../../src/batch/onnx/dtype.ts';
import { allocate, isFloat } from '../../../src/batch/onnx/dtype.ts';
import type { Graph } from '../../../src/batch/onnx/graph.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import { createSession, fromOrtTensor, toOrtTensor } from '../../../src/batch/onnx/ort-session.ts';
import { isStatic, formatShape } from '../../../src/batch/onnx/shape.ts';
import type { TensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import type { Tensor } from '../../../src/batch/onnx/tensor.ts';
import { buildGradientGraph } from '../../../src/batch/autodiff/engine.ts';
import { seededUniform } from '../../../src/batch/random/pinned-generators.ts';

/** A seeded PRNG in [0, 1), so every check is reproducible. */
export const rng = seededUniform;

/** Uniform random values in [lo, hi) of a float dtype. */
export function randomData(
  dtype: FloatDType,
  dims: readonly number[],
  random: () => number,
  [lo, hi]: readonly [number, number] = [-1, 1],
): TensorData {
  const n = dims.reduce((a, b) => a * b, 1);
  return tensorData(
    dtype,
    Array.from({ length: n }, () => lo + (hi - lo) * random()),
    dims,
  );
}

export interface GradCheckOptions {
  /** The forward graph (left untouched: the check works on copies). */
  readonly graph: Graph;
  /** A float tensor of static shape in `graph`. */
  readonly output: Tensor;
  /** Values of the graph inputs; parameters default to their initial values. */
  readonly feeds: Readonly<Record<string, TensorData>>;
  /** Names of the inputs/parameters to check. */
  readonly wrt: readonly string[];
  /** Central-difference step (default 1e-5 for float64, 1e-2 for float32). */
  readonly step?: number;
  /** Check at most this many elements per tensor, chosen at random (default: all). */
  readonly maxElements?: number;
  readonly seed?: number;
}

export interface GradCheckReport {
  /** Largest error over all checked tensors. */
  readonly maxError: number;
  readonly errors: Readonly<Record<string, number>>;
  /** The backward graph that produced the analytic gradients (for structural assertions). */
  readonly gradientGraph: Graph;
}

function readNumbers(t: TensorData): number[] {
  return Array.from(t.data as ArrayLike<number>, Number);
}

export async function gradCheck(options: GradCheckOptions): Promise<GradCheckReport> {
  const random = rng(options.seed ?? 1234);
  const forward = options.graph.clone();
  const y = forward.tensor(options.output.name);
  if (!isFloat(y.dtype) || !isStatic(y.shape)) {
    throw new Error(
      `gradCheck output ${y.name} must be float with a static shape, got ${formatShape(y.shape)}`,
    );
  }
  // Weights of magnitude 0.5-1.5 with random signs: none so small that it hides an element. They are
  // fed as an input, not a constant: ORT folds MatMul * constant-scalar into FusedMatMul's float32
  // alpha, which would round a float64 graph's loss.
  const n = y.shape.reduce((a, b) => a * b, 1);
  const w = Array.from({ length: n }, () => (random() < 0.5 ? -1 : 1) * (0.5 + random()));
  const weights = forward.input('gradcheck_weights', y.dtype, y.shape);
  forward.output(op.reduceSum(op.mul(y, weights), undefined, { name: 'gradcheck/loss' }), 'gradcheck_loss');

  const feeds: Record<string, TensorData> = {
    ...forward.parameterValues(),
    ...options.feeds,
    gradcheck_weights: tensorData(y.dtype, w, y.shape),
  };
  const { graph: backward } = buildGradientGraph(forward, { loss: 'gradcheck_loss', wrt: options.wrt });
  const backwardSession = await createSession(backward, { parameters: 'inputs' });
  const forwardSession = await createSession(forward, { parameters: 'inputs' });

  const toOrt = (f: Record<string, TensorData>, session: ort.InferenceSession) => {
    const out: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      const v = f[name];
      if (v === undefined) throw new Error(`gradCheck: no value for input ${name}`);
      out[name] = toOrtTensor(v);
    }
    return out;
  };
  const analytic = await backwardSession.run(
    toOrt(feeds, backwardSession),
    options.wrt.map((n) => `${n}_grad`),
  );

  const lossAt = async (f: Record<string, TensorData>) => {
    const r = await forwardSession.run(toOrt(f, forwardSession), ['gradcheck_loss']);
    return Number(fromOrtTensor(r.gradcheck_loss!).data[0]);
  };

  const errors: Record<string, number> = {};
  for (const name of options.wrt) {
    const base = feeds[name];
    if (base === undefined) throw new Error(`gradCheck: no value for ${name}`);
    const dtype = base.dtype as DType;
    const step = options.step ?? (dtype === 'float64' ? 1e-5 : 1e-2);
    const a = readNumbers(fromOrtTensor(analytic[`${name}_grad`]!));
    const n = base.data.length;
    let indices = Array.from({ length: n }, (_, i) => i);
    if (options.maxElements !== undefined && n > options.maxElements) {
      indices = indices.sort(() => random() - 0.5).slice(0, options.maxElements);
    }
    const numeric = new Map<number, number>();
    for (const i of indices) {
      const values = readNumbers(base);
      const shifted = (delta: number) => {
        const data = allocate(dtype, n) as Float64Array;
        data.set(values);
        data[i] = values[i]! + delta;
        return tensorData(dtype, data as TensorData['data'], base.dims);
      };
      // The step actually taken, after rounding x +- h to the input's precision.
      const plus = shifted(step);
      const minus = shifted(-step);
      const h2 = Number(plus.data[i]) - Number(minus.data[i]);
      const up = await lossAt({ ...feeds, [name]: plus });
      const down = await lossAt({ ...feeds, [name]: minus });
      numeric.set(i, (up - down) / h2);
    }
    let scale = 1e-6;
    for (const i of indices) scale = Math.max(scale, Math.abs(numeric.get(i)!), Math.abs(a[i]!));
    let worst = 0;
    for (const i of indices) worst = Math.max(worst, Math.abs(a[i]! - numeric.get(i)!) / scale);
    errors[name] = worst;
  }
  await backwardSession.release();
  await forwardSession.release();
  return { maxError: Math.max(0, ...Object.values(errors)), errors, gradientGraph: backward };
}
