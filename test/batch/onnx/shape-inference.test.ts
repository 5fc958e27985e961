/**
 * The builder's shape inference against onnxruntime's actual output shapes, operator by operator, and
 * its symbolic reasoning (named dims, Reshape's 0 and -1, shapes carried through Shape/Concat/Gather).
 */
import { describe, expect, it } from 'vitest';
import type { DType } from '../../../src/batch/onnx/dtype.ts';
import { Graph } from '../../../src/batch/onnx/graph.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import { createSession, runSession } from '../../../src/batch/onnx/ort-session.ts';
import { ShapeError } from '../../../src/batch/onnx/shape.ts';
import type { TensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import type { Tensor } from '../../../src/batch/onnx/tensor.ts';

type Build = (x: Tensor, y: Tensor, i: Tensor, b: Tensor) => Tensor | Tensor[];

/** x: float32 [2,3,4]; y: float32 [4,5]; i: int64 [2,2] (values 0..2); b: bool [3,1]. */
const CASES: Record<string, Build> = {
  MatMul3x2: (x, y) => op.matMul(x, y),
  MatMulVec: (x) => op.matMul(x, op.constantOfShape(x.graph.ints([4]), 1, 'float32')),
  Gemm: (_x, y) => op.gemm(y, y, undefined, { transA: true }),
  AddBroadcast: (x) => op.add(x, op.reduceSum(x, [1], { keepDims: true })),
  Pow: (x) => op.pow(x, 2),
  Erf: (x) => op.erf(x),
  Gelu: (x) => op.gelu(x),
  Softmax: (x) => op.softmax(x, 1),
  LogSoftmax: (x) => op.logSoftmax(x),
  ReduceMeanKeep: (x) => op.reduceMean(x, [0, 2], { keepDims: true }),
  ReduceMaxAll: (x) => op.reduceMax(x),
  ReshapeHole: (x) => op.reshape(x, [0, -1]),
  Transpose: (x) => op.transpose(x, [2, 0, 1]),
  TransposeDefault: (x) => op.transpose(x),
  Concat: (x) => op.concat([x, x, op.slice(x, [0], [1], [2])], 2),
  Split: (x) => op.split(x, [1, 2], 1),
  SliceNegative: (x) => op.slice(x, [-3, 1], [op.SLICE_END, -1], [1, 2]),
  SliceStep: (x) => op.slice(x, [3], [0], [2], [-2]),
  Gather2D: (x, _y, i) => op.gather(x, i, 1),
  GatherScalar: (x) => op.gather(x, x.graph.scalar(1, 'int64'), 2),
  Where: (x, _y, _i, b) => op.where(b, x, 0),
  Expand: (x) => op.expand(op.reduceSum(x, [0, 2], { keepDims: true }), [2, 2, 3, 4]),
  Unsqueeze: (x) => op.unsqueeze(x, [0, -1]),
  Squeeze: (x) => op.squeeze(op.unsqueeze(x, [1])),
  Cast: (x) => op.cast(x, 'int64'),
  Clip: (x) => op.clamp(x, 0, 1),
  MaxBroadcast: (x, y) => op.max([op.slice(x, [0], [1], [2]), op.reduceSum(y, [0])]),
  OneHot: (_x, _y, i) => op.oneHot(i, 5),
  Range: (x) => op.range(x.graph, 2, 11, 3),
  Shape: (x) => op.cast(op.shapeOf(op.matMul(x, x.graph.input('w', 'float32', [4, 'n']))), 'int64'),
  ConstantOfShape: (x) => op.constantOfShape(op.shapeOf(x), 3, 'int32'),
  Pad: (x) => op.pad(x, [0, 2], [1, 0], [0, 3]),
  ScatterND: (x, _y, i) =>
    op.scatterND(x, op.unsqueeze(op.gather(i, x.graph.scalar(0, 'int64'), 1), [-1]), x, 'add'),
  Comparison: (x) => op.cast(op.and(op.less(x, 0.5), op.not(op.greaterOrEqual(x, 0.9))), 'float32'),
  Bitwise: (_x, _y, i) => op.shiftRight(op.bitwiseXor(op.cast(i, 'uint32'), op.cast(i, 'uint32')), 1),
};

describe('shape inference agrees with onnxruntime', () => {
  for (const [name, build] of Object.entries(CASES)) {
    it(name, async () => {
      const g = new Graph({ name });
      const x = g.input('x', 'float32', [2, 3, 4]);
      const y = g.input('y', 'float32', [4, 5]);
      const i = g.input('i', 'int64', [2, 2]);
      const b = g.input('b', 'bool', [3, 1]);
      const result = build(x, y, i, b);
      const outs = Array.isArray(result) ? result : [result];
      outs.forEach((t, k) => g.output(t, `out${k}`));
      // value_info for every intermediate: ORT rejects the model if its inference disagrees.
      const session = await createSession(g);
      const feeds: Record<string, TensorData> = {
        x: tensorData(
          'float32',
          Array.from({ length: 24 }, (_, k) => k / 24),
          [2, 3, 4],
        ),
        y: tensorData('float32', new Float32Array(20).fill(0.5), [4, 5]),
        i: tensorData('int64', [0, 2, 1, 1], [2, 2]),
        b: tensorData('bool', [1, 0, 1], [3, 1]),
      };
      if (session.inputNames.includes('w')) feeds.w = tensorData('float32', new Float32Array(28), [4, 7]);
      const r = await runSession(session, feeds);
      outs.forEach((t, k) => {
        const actual = r[`out${k}`]!;
        expect(actual.dtype as DType).toBe(t.dtype);
        expect(actual.dims).toEqual(t.shape.map((d, j) => (d === 'n' ? 7 : d === null ? actual.dims[j] : d)));
      });
      await session.release();
    });
  }
});

describe('symbolic shapes', () => {
  it('carries named dims through reshape holes, matmul, shape arithmetic', () => {
    const g = new Graph();
    const x = g.input('frames', 'float32', ['batch', 64, 66, 3]);
    const flat = op.reshape(x, [0, 0, -1]);
    expect(flat.shape).toEqual(['batch', 64, 198]);
    const rows = op.reshape(x, [-1, 198]);
    expect(rows.shape).toEqual([null, 198]);
    const back = op.reshape(
      op.matMul(flat, g.parameter('w', tensorData('float32', new Float32Array(198 * 8), [198, 8]))),
      [-1, 64 * 8],
    );
    expect(back.shape).toEqual(['batch', 512]);
    const target = op.concat([op.slice(op.shapeOf(x), [0], [1]), g.ints([64, 198])], 0);
    expect(target.shapeValue).toEqual(['batch', 64, 198]);
    expect(op.reshape(x, target).shape).toEqual(['batch', 64, 198]);
    expect(op.gather(op.shapeOf(x), g.ints([0, 2])).shapeValue).toEqual(['batch', 66]);
    expect(op.expand(g.scalar(1, 'float32'), op.shapeOf(flat)).shape).toEqual(['batch', 64, 198]);
    expect(op.reduceMean(x, [0]).shape).toEqual([64, 66, 3]);
  });

  it('rejects mismatches with the node name and the input shapes', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', ['batch', 64, 512]);
    g.scope('block0/mha', () => {
      const w = g.parameter('q/kernel', tensorData('float32', new Float32Array(256 * 64), [256, 64]));
      expect(w.name).toBe('block0/mha/q/kernel');
      expect(() => op.matMul(x, w)).toThrow(ShapeError);
      expect(() => op.matMul(x, w)).toThrow(
        /block0\/mha\/MatMul(_\d+)? \(MatMul\): contraction dim: dims 512 and 256 differ/,
      );
    });
    const other = g.input('other', 'float32', ['time', 64, 512]);
    expect(() => op.add(x, other)).toThrow(/dims batch and time do not broadcast/);
    expect(() => op.reshape(g.input('s', 'float32', [4, 6]), [5, -1])).toThrow(/do not divide/);
    expect(() => op.concat([x, g.input('z', 'float32', ['batch', 64, 3, 1])], 2)).toThrow(/rank/);
    expect(() => op.softmax(g.input('ints', 'int64', [3]))).toThrow(/float/);
    expect(() => op.squeeze(x, [1])).toThrow(/size 64, not 1/);
  });
});
