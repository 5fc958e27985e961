/**
 * Every gradient rule in the table, checked against central finite differences through
 * onnxruntime-node (gradcheck.ts). float64 (error < 1e-5) wherever ORT's CPU build has a double kernel
 * for the operator; Erf and Gelu have float32 kernels only (measured: ORT reports no implementation
 * for Erf(13) in double), so they are checked in float32 with tolerance 2e-3: with step h = 1e-2 the
 * truncation error of a central difference is h^2/6 |f'''| <= 4e-5 (|erf'''| <= 2.3) and the rounding
 * error of a float32 loss of ~24 terms is ~24 * 6e-8 / (2h) ~ 7e-5, both well under 2e-3, while a
 * wrong rule (a lost factor, a wrong sign) is off by O(1). Mean is float32-only in ORT CPU too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DType, FloatDType } from '../../../src/batch/onnx/dtype.ts';
import { isFloat } from '../../../src/batch/onnx/dtype.ts';
import { Graph } from '../../../src/batch/onnx/graph.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import type { Dim } from '../../../src/batch/onnx/shape.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import type { TensorData } from '../../../src/batch/onnx/tensor-data.ts';
import type { Tensor } from '../../../src/batch/onnx/tensor.ts';
import { GRAD_RULES } from '../../../src/batch/autodiff/rules/index.ts';
import { gradCheck, randomData, rng } from './gradcheck.ts';

interface InputSpec {
  readonly shape: readonly number[];
  /** Declared shape, when it should be symbolic (e.g. ['batch', 3]); defaults to `shape`. */
  readonly declared?: readonly Dim[];
  readonly dtype?: DType;
  readonly range?: readonly [number, number];
  readonly values?: readonly (number | bigint)[];
  /** Differentiate with respect to this input (default: float inputs). */
  readonly wrt?: boolean;
}

interface Case {
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly build: (x: Record<string, Tensor>) => Tensor;
  readonly dtype?: FloatDType;
}

const TOLERANCE: Record<string, number> = { float64: 1e-5, float32: 2e-3 };
const checkedOps = new Set<string>();

async function check(c: Case): Promise<number> {
  const dtype = c.dtype ?? 'float64';
  const random = rng(42);
  const g = new Graph({ name: 'check' });
  const xs: Record<string, Tensor> = {};
  const feeds: Record<string, TensorData> = {};
  const wrt: string[] = [];
  for (const [name, spec] of Object.entries(c.inputs)) {
    const d = spec.dtype ?? dtype;
    xs[name] = g.input(name, d, spec.declared ?? spec.shape);
    feeds[name] =
      spec.values !== undefined
        ? tensorData(d, spec.values, spec.shape)
        : randomData(d as FloatDType, spec.shape, random, spec.range ?? [-1, 1]);
    if (spec.wrt ?? isFloat(d)) wrt.push(name);
  }
  const y = c.build(xs);
  for (const n of g.nodes) checkedOps.add(n.opType);
  const report = await gradCheck({ graph: g, output: y, feeds, wrt });
  expect(report.maxError).toBeLessThan(TOLERANCE[dtype]!);
  return report.maxError;
}

/** Values in [0.5, 2] or [-2, -0.5]: away from 0 for Abs, Relu, Log, Div. */
const awayFromZero = (n: number, seed: number) => {
  const r = rng(seed);
  return Array.from({ length: n }, () => (r() < 0.5 ? -1 : 1) * (0.5 + 1.5 * r()));
};

describe('elementwise-unary.ts: shape-preserving unary operators', () => {
  it('Neg, Exp, Tanh, Sigmoid, Identity', async () => {
    const inputs = { x: { shape: [3, 4] } };
    await check({ inputs, build: ({ x }) => op.neg(x!) });
    await check({ inputs, build: ({ x }) => op.exp(x!) });
    await check({ inputs, build: ({ x }) => op.tanh(x!) });
    await check({ inputs, build: ({ x }) => op.sigmoid(x!) });
    await check({ inputs, build: ({ x }) => op.identity(x!) });
  });
  it('Log, Sqrt, Reciprocal on positive inputs', async () => {
    const inputs = { x: { shape: [3, 4], range: [0.3, 3] as const } };
    await check({ inputs, build: ({ x }) => op.log(x!) });
    await check({ inputs, build: ({ x }) => op.sqrt(x!) });
    await check({ inputs, build: ({ x }) => op.reciprocal(x!) });
  });
  it('Abs and Relu away from their kink', async () => {
    const inputs = { x: { shape: [3, 4], values: awayFromZero(12, 7) } };
    await check({ inputs, build: ({ x }) => op.abs(x!) });
    await check({ inputs, build: ({ x }) => op.relu(x!) });
  });
  it('Cast float32 -> float64 passes the gradient back in float32', async () => {
    await check({
      dtype: 'float32',
      inputs: { x: { shape: [2, 3] } },
      build: ({ x }) => op.exp(op.cast(x!, 'float64')),
    });
  });
  it('Erf (float32: no double kernel in ORT CPU)', async () => {
    await check({
      dtype: 'float32',
      inputs: { x: { shape: [4, 6], range: [-2, 2] } },
      build: ({ x }) => op.erf(x!),
    });
  });
  it('Gelu exact and tanh-approximate (float32)', async () => {
    const inputs = { x: { shape: [4, 6], range: [-3, 3] as const } };
    await check({ dtype: 'float32', inputs, build: ({ x }) => op.gelu(x!) });
    await check({ dtype: 'float32', inputs, build: ({ x }) => op.gelu(x!, { approximate: 'tanh' }) });
  });
});

describe('arithmetic.ts: broadcasting arithmetic, Where and Clip', () => {
  it('Add: same shape, trailing and middle broadcast, both sides', async () => {
    await check({
      inputs: { a: { shape: [2, 3, 4] }, b: { shape: [4] } },
      build: ({ a, b }) => op.add(a!, b!),
    });
    await check({
      inputs: { a: { shape: [2, 1, 4] }, b: { shape: [3, 1] } },
      build: ({ a, b }) => op.add(a!, b!),
    });
  });
  it('Sub: broadcast on both operands', async () => {
    await check({
      inputs: { a: { shape: [3, 1] }, b: { shape: [1, 4] } },
      build: ({ a, b }) => op.sub(a!, b!),
    });
  });
  it('Mul: broadcast, and x * x (fan-out into one node)', async () => {
    await check({
      inputs: { a: { shape: [2, 3] }, b: { shape: [2, 1] } },
      build: ({ a, b }) => op.mul(a!, b!),
    });
    await check({ inputs: { a: { shape: [5] } }, build: ({ a }) => op.mul(a!, a!) });
  });
  it('Div: broadcast numerator and denominator', async () => {
    await check({
      inputs: { a: { shape: [2, 3] }, b: { shape: [3], range: [0.5, 2] } },
      build: ({ a, b }) => op.div(a!, b!),
    });
  });
  it('Pow: constant exponents 2 and 3, and a tensor exponent', async () => {
    await check({ inputs: { x: { shape: [2, 3] } }, build: ({ x }) => op.pow(x!, 2) });
    await check({ inputs: { x: { shape: [2, 3] } }, build: ({ x }) => op.pow(x!, 3) });
    await check({
      inputs: { x: { shape: [2, 3], range: [0.5, 2] }, e: { shape: [3], range: [-1.5, 2.5] } },
      build: ({ x, e }) => op.pow(x!, e!),
    });
  });
  it('Sum, Mean, Max, Min of several tensors, broadcasting', async () => {
    const inputs = { a: { shape: [2, 3] }, b: { shape: [3] }, c: { shape: [2, 1] } };
    await check({ inputs, build: ({ a, b, c }) => op.sum([a!, b!, c!]) });
    // ORT's CPU Mean kernel is float32 only.
    await check({ dtype: 'float32', inputs, build: ({ a, b, c }) => op.mean([a!, b!, c!]) });
    await check({ inputs, build: ({ a, b, c }) => op.max([a!, b!, c!]) });
    await check({ inputs, build: ({ a, b }) => op.min([a!, b!]) });
  });
  it('Where with a broadcast condition', async () => {
    await check({
      inputs: {
        c: { shape: [3, 1], dtype: 'bool', values: [1, 0, 1] },
        a: { shape: [3, 4] },
        b: { shape: [4] },
      },
      build: ({ c, a, b }) => op.where(c!, a!, b!),
    });
  });
  it('Clip away from the bounds, with one and with both bounds', async () => {
    const values = awayFromZero(12, 9).map((v) => v * 0.8);
    await check({ inputs: { x: { shape: [3, 4], values } }, build: ({ x }) => op.clamp(x!, -0.35, 0.35) });
    await check({
      inputs: { x: { shape: [3, 4], values } },
      build: ({ x }) => op.clamp(x!, undefined, 0.35),
    });
  });
});

describe('reduce.ts: reductions and softmax', () => {
  it('ReduceSum: one axis, several axes, all axes, keepdims', async () => {
    const inputs = { x: { shape: [2, 3, 4] } };
    await check({ inputs, build: ({ x }) => op.reduceSum(x!, [1]) });
    await check({ inputs, build: ({ x }) => op.reduceSum(x!, [0, 2], { keepDims: true }) });
    await check({ inputs, build: ({ x }) => op.reduceSum(x!) });
  });
  it('ReduceMean: static axes, and a mean over a symbolic batch dim', async () => {
    await check({
      inputs: { x: { shape: [2, 3, 4] } },
      build: ({ x }) => op.reduceMean(x!, [-1], { keepDims: true }),
    });
    await check({
      inputs: { x: { shape: [5, 3], declared: ['batch', 3] } },
      build: ({ x }) => op.reduceMean(x!, [0]),
    });
  });
  it('ReduceMax and ReduceMin (no ties in random data)', async () => {
    const inputs = { x: { shape: [3, 4] } };
    await check({ inputs, build: ({ x }) => op.reduceMax(x!, [1]) });
    await check({ inputs, build: ({ x }) => op.reduceMin(x!, [0], { keepDims: true }) });
  });
  it('Softmax on the last and a middle axis', async () => {
    await check({ inputs: { x: { shape: [2, 3, 4] } }, build: ({ x }) => op.softmax(x!) });
    await check({ inputs: { x: { shape: [2, 3, 4] } }, build: ({ x }) => op.softmax(x!, 1) });
  });
  it('LogSoftmax on the last and the first axis', async () => {
    await check({ inputs: { x: { shape: [3, 5] } }, build: ({ x }) => op.logSoftmax(x!) });
    await check({ inputs: { x: { shape: [3, 5] } }, build: ({ x }) => op.logSoftmax(x!, 0) });
  });
});

describe('linear-algebra.ts: MatMul and Gemm', () => {
  it('MatMul 2-D x 2-D (Gemm path)', async () => {
    await check({
      inputs: { a: { shape: [3, 4] }, b: { shape: [4, 5] } },
      build: ({ a, b }) => op.matMul(a!, b!),
    });
  });
  it('MatMul activations [B, T, K] x weights [K, N] (flattened Gemm for the weight)', async () => {
    await check({
      inputs: { a: { shape: [2, 3, 4] }, b: { shape: [4, 5] } },
      build: ({ a, b }) => op.matMul(a!, b!),
    });
    await check({
      inputs: { a: { shape: [2, 3, 4], declared: ['batch', 3, 4] }, b: { shape: [4, 5] } },
      build: ({ a, b }) => op.reduceSum(op.matMul(a!, b!), [0]),
    });
  });
  it('MatMul batched 4-D (attention-like) and with broadcast batch dims', async () => {
    await check({
      inputs: { q: { shape: [2, 2, 3, 4] }, k: { shape: [2, 2, 4, 3] } },
      build: ({ q, k }) => op.matMul(q!, k!),
    });
    await check({
      inputs: { a: { shape: [2, 1, 3, 4] }, b: { shape: [5, 4, 2] } },
      build: ({ a, b }) => op.matMul(a!, b!),
    });
  });
  it('MatMul with 1-D operands', async () => {
    await check({
      inputs: { a: { shape: [4] }, b: { shape: [4, 3] } },
      build: ({ a, b }) => op.matMul(a!, b!),
    });
    await check({
      inputs: { a: { shape: [2, 3, 4] }, b: { shape: [4] } },
      build: ({ a, b }) => op.matMul(a!, b!),
    });
    await check({ inputs: { a: { shape: [4] }, b: { shape: [4] } }, build: ({ a, b }) => op.matMul(a!, b!) });
  });
  it('Gemm with every transA/transB combination, alpha, beta, broadcast C', async () => {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        await check({
          inputs: {
            a: { shape: transA ? [4, 3] : [3, 4] },
            b: { shape: transB ? [5, 4] : [4, 5] },
            c: { shape: transA ? [5] : [3, 1] },
          },
          build: ({ a, b, c }) => op.gemm(a!, b!, c!, { transA, transB, alpha: 0.7, beta: 1.3 }),
        });
      }
    }
  });
});

describe('movement.ts: Reshape, Squeeze, Unsqueeze, Transpose, Expand', () => {
  it('Reshape (static, and keeping a symbolic batch dim), Transpose', async () => {
    await check({ inputs: { x: { shape: [2, 3, 4] } }, build: ({ x }) => op.reshape(x!, [6, -1]) });
    await check({
      inputs: { x: { shape: [2, 3, 4], declared: ['batch', 3, 4] } },
      build: ({ x }) => op.reduceSum(op.reshape(x!, ['batch', 12]), [0]),
    });
    await check({ inputs: { x: { shape: [2, 3, 4] } }, build: ({ x }) => op.transpose(x!, [2, 0, 1]) });
  });
  it('Squeeze and Unsqueeze', async () => {
    await check({ inputs: { x: { shape: [2, 1, 3] } }, build: ({ x }) => op.squeeze(x!, [1]) });
    await check({ inputs: { x: { shape: [2, 3] } }, build: ({ x }) => op.unsqueeze(x!, [0, -1]) });
  });
  it('Expand', async () => {
    await check({ inputs: { x: { shape: [3, 1] } }, build: ({ x }) => op.expand(x!, [2, 3, 4]) });
  });
});

describe('indexing.ts: Slice, Concat, Split, Gather', () => {
  it('Slice with negative bounds on two axes', async () => {
    await check({
      inputs: { x: { shape: [4, 5, 3] } },
      build: ({ x }) => op.slice(x!, [1, -4], [-1, 4], [0, 1]),
    });
  });
  it('Concat of three inputs, one not differentiated', async () => {
    await check({
      inputs: { a: { shape: [2, 3] }, b: { shape: [2, 1] }, c: { shape: [2, 2], wrt: false } },
      build: ({ a, b, c }) => op.concat([a!, b!, c!], 1),
    });
  });
  it('Split with an output that gets no gradient', async () => {
    await check({
      inputs: { x: { shape: [5, 2] } },
      build: ({ x }) => {
        const [p, , r] = op.split(x!, [2, 1, 2], 0);
        return op.mul(p!, r!);
      },
    });
  });
  it('Gather along axis 0 with repeated indices (accumulates), along axis 1 with 2-D indices', async () => {
    await check({
      inputs: { t: { shape: [5, 3] }, i: { shape: [4], dtype: 'int64', values: [4, 0, 4, 2] } },
      build: ({ t, i }) => op.gather(t!, i!, 0),
    });
    await check({
      inputs: { t: { shape: [2, 4, 3] }, i: { shape: [2, 2], dtype: 'int64', values: [3, 1, 1, 0] } },
      build: ({ t, i }) => op.gather(t!, i!, 1),
    });
  });
});

describe('the engine', () => {
  it('sums broadcast gradients back to each input, against a symbolic batch dim too', async () => {
    await check({
      inputs: {
        x: { shape: [2, 3, 4], declared: ['batch', 3, 4] },
        gain: { shape: [3, 1] },
        bias: { shape: [4] },
        perSample: { shape: [2, 1, 1], declared: ['batch', 1, 1] },
      },
      build: ({ x, gain, bias, perSample }) =>
        op.reduceSum(op.mul(op.add(op.mul(x!, gain!), bias!), perSample!), [0]),
    });
  });
  it('sums an Expand to a run-time shape back over the expanded axes', async () => {
    await check({
      inputs: { x: { shape: [3, 1] }, y: { shape: [2, 3, 4], declared: ['batch', 3, 4] } },
      build: ({ x, y }) => op.reduceSum(op.mul(op.expand(x!, op.shapeOf(y!)), y!), [0]),
    });
  });
  it('takes an unknown input dim as not broadcast (a data-dependent row count)', async () => {
    await check({
      inputs: { x: { shape: [5, 3], declared: [null, 3] }, w: { shape: [3] } },
      build: ({ x, w }) => op.reduceSum(op.mul(op.exp(x!), w!), [0]),
    });
  });
  it('accumulates a tensor that fans out to several consumers', async () => {
    const error = await check({
      inputs: { x: { shape: [3, 4] }, w: { shape: [4, 4] } },
      build: ({ x, w }) => {
        const h = op.matMul(x!, w!);
        return op.add(op.mul(op.tanh(h), h), op.softmax(h));
      },
    });
    expect(error).toBeLessThan(1e-5);
  });
});

afterAll(() => {
  // Every rule that passes a gradient must have been exercised above.
  const differentiable = Object.entries(GRAD_RULES)
    .filter(([, rule]) => rule.differentiable === 'all' || rule.differentiable.length > 0)
    .map(([name]) => name);
  const unchecked = differentiable.filter((name) => !checkedOps.has(name));
  expect(unchecked).toEqual([]);
});
