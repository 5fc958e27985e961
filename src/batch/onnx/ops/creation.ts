/**
 * Operators that make tensors from shapes, sizes and indices rather than from values: Shape, Size,
 * ConstantOfShape, Range, OneHot, NonZero. None carries a gradient.
 */
import { attr } from '../attributes.ts';
import type { DType, FloatDType } from '../dtype.ts';
import type { Graph, NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { isStatic, normalizeAxis } from '../shape.ts';
import { scalarData, tensorData } from '../tensor-data.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';
import { expand } from './movement.ts';

// Shape and Size: a tensor's dims (or element count) as int64 data.

export const SHAPE: OpSchema = {
  opType: 'Shape',
  infer: (ctx) => {
    const x = ctx.input(0);
    const shapeValue = x.shape;
    return [{ dtype: 'int64', shape: [shapeValue.length], shapeValue }];
  },
};

export const SIZE: OpSchema = {
  opType: 'Size',
  infer: () => out('int64', []),
};

/**
 * `x`'s shape as a 1-D int64 tensor: a constant when the shape is static (so downstream Reshape and
 * Expand see static targets and ORT can fold them), a Shape node otherwise.
 */
export function shapeOf(x: Tensor, options?: NodeOptions): Tensor {
  if (isStatic(x.shape)) return x.graph.ints(x.shape);
  return x.graph.addNode(SHAPE, [x], {}, options)[0]!;
}

/** Number of elements of `x` as an int64 scalar (a constant when static). */
export function sizeOf(x: Tensor, options?: NodeOptions): Tensor {
  if (isStatic(x.shape))
    return x.graph.scalar(
      x.shape.reduce((a, b) => a * b, 1),
      'int64',
    );
  return x.graph.addNode(SIZE, [x], {}, options)[0]!;
}

// ConstantOfShape: a tensor of a shape given at run time, filled with one value.

export const CONSTANT_OF_SHAPE: OpSchema = {
  opType: 'ConstantOfShape',
  infer: (ctx) => {
    const dtype = ctx.attr.has('value') ? ctx.attr.tensor('value').dtype : 'float32';
    const target = ctx.shapeValue(0);
    if (target !== undefined) return out(dtype, target);
    const len = ctx.input(0).shape[0];
    if (typeof len !== 'number') return ctx.fail('shape input has unknown length');
    return out(dtype, new Array<Dim>(len).fill(null));
  },
};

/** A `dtype` tensor filled with `value`, shaped by a shape tensor (e.g. `shapeOf(x)`). */
export function constantOfShape(shape: Tensor, value: number, dtype: DType, options?: NodeOptions): Tensor {
  const v = tensorData(dtype, scalarData(dtype, value).data, [1]);
  return shape.graph.addNode(CONSTANT_OF_SHAPE, [shape], { value: attr.tensor(v) }, options)[0]!;
}

/**
 * Zeros of `dtype` shaped by a shape tensor: a scalar broadcast by Expand, which every provider runs
 * (the WebGPU provider has no ConstantOfShape kernel, so a ConstantOfShape output would be made on the
 * CPU and copied up).
 */
export function zeros(shape: Tensor, dtype: DType, options?: NodeOptions): Tensor {
  return expand(shape.graph.scalar(0, dtype), shape, options);
}

// Range(start, limit, delta): a 1-D arithmetic sequence.

export const RANGE: OpSchema = {
  opType: 'Range',
  infer: (ctx) => {
    const dtype = ctx.sameDtype([0, 1, 2]);
    for (const i of [0, 1, 2]) if (ctx.input(i).rank !== 0) ctx.fail('Range takes scalars');
    const [s, l, d] = [0, 1, 2].map((i) => ctx.inputs[i]?.constantValue?.data[0]);
    const known = s !== undefined && l !== undefined && d !== undefined;
    const n = known ? Math.max(0, Math.ceil((Number(l) - Number(s)) / Number(d))) : null;
    return out(dtype, [n]);
  },
};

/** `[start, start + delta, ...)` up to `limit`; numbers become constants of `dtype` (default int64). */
export function range(
  g: Graph,
  start: Tensor | number,
  limit: Tensor | number,
  delta: Tensor | number = 1,
  options: NodeOptions & { dtype?: DType } = {},
): Tensor {
  const dtype = options.dtype ?? 'int64';
  const lift = (v: Tensor | number) => (typeof v === 'number' ? g.scalar(v, dtype) : v);
  return g.addNode(RANGE, [lift(start), lift(limit), lift(delta)], {}, options)[0]!;
}

// OneHot(indices, depth, [off, on]) with the depth axis inserted at `axis`.

export const ONE_HOT: OpSchema = {
  opType: 'OneHot',
  infer: (ctx) => {
    const indices = ctx.input(0);
    const values = ctx.input(2);
    if (values.rank !== 1 || (values.shape[0] !== 2 && values.shape[0] !== null)) {
      ctx.fail('values must be [off, on]');
    }
    const depth = ctx.constInts(1);
    const rank = indices.rank + 1;
    const axis = normalizeAxis(ctx.attr.int('axis', -1), rank, 'axis');
    const shape: Dim[] = [...indices.shape];
    shape.splice(axis, 0, depth?.[0] ?? null);
    return out(values.dtype, shape);
  },
};

/**
 * One-hot rows of `depth` classes along the last axis. onnxruntime's CPU kernel covers int64
 * indices with float32 values (and a few other pairs); cast the result for float64 graphs.
 */
export function oneHot(
  indices: Tensor,
  depth: number,
  options: NodeOptions & { dtype?: FloatDType; off?: number; on?: number } = {},
): Tensor {
  const g = indices.graph;
  const dtype = options.dtype ?? 'float32';
  const values = g.constant(tensorData(dtype, [options.off ?? 0, options.on ?? 1]));
  const d = g.constant(tensorData('int64', [depth], []));
  return g.addNode(ONE_HOT, [indices, d, values], { axis: attr.int(-1) }, options)[0]!;
}

// NonZero: the indices of the non-zero elements, [rank, count], count known only at run time.

export const NON_ZERO: OpSchema = {
  opType: 'NonZero',
  infer: (ctx) => out('int64', [ctx.input(0).rank, null]),
};

export function nonZero(x: Tensor, options?: NodeOptions): Tensor {
  return x.graph.addNode(NON_ZERO, [x], {}, options)[0]!;
}
