/**
 * Reductions along axes (ReduceSum/Mean/Max/Min/Prod, axes as an input, opset 18+) and the
 * normalisations along one axis that reduce inside (Softmax, LogSoftmax).
 */
import { attr } from '../attributes.ts';
import type { NodeOptions } from '../graph.ts';
import type { InferContext, OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { normalizeAxis } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

/** The axes a reduce node reduces over, normalised and sorted (all axes when none are given). */
export function reducedAxes(ctx: InferContext): number[] | 'none' {
  const x = ctx.input(0);
  const given = ctx.optional(1) === undefined ? [] : ctx.requireConstInts(1, 'axes');
  if (given.length === 0) {
    return ctx.attr.int('noop_with_empty_axes', 0) === 1 ? 'none' : x.shape.map((_, i) => i);
  }
  const axes = given.map((a) => normalizeAxis(a, x.rank, 'axes'));
  if (new Set(axes).size !== axes.length) ctx.fail(`axes [${given.join(', ')}] repeat an axis`);
  return axes.sort((a, b) => a - b);
}

function reduce(opType: string): OpSchema {
  return {
    opType,
    infer: (ctx) => {
      const x = ctx.input(0);
      if (x.dtype === 'bool') ctx.fail(`${opType} does not take bool`);
      const axes = reducedAxes(ctx);
      if (axes === 'none') return out(x.dtype, x.shape);
      const keep = ctx.attr.int('keepdims', 1) === 1;
      const shape: Dim[] = [];
      x.shape.forEach((d, i) => {
        if (!axes.includes(i)) shape.push(d);
        else if (keep) shape.push(1);
      });
      return out(x.dtype, shape);
    },
  };
}

export const REDUCE_SUM = reduce('ReduceSum');
export const REDUCE_MEAN = reduce('ReduceMean');
export const REDUCE_MAX = reduce('ReduceMax');
export const REDUCE_MIN = reduce('ReduceMin');
export const REDUCE_PROD = reduce('ReduceProd');

export interface ReduceOptions extends NodeOptions {
  /** Keep reduced axes as size 1 (default false: numpy's default, not ONNX's). */
  keepDims?: boolean;
}

function reducer(schema: OpSchema) {
  /** Reduce over `axes` (all axes when omitted). */
  return (x: Tensor, axes?: readonly number[], options: ReduceOptions = {}): Tensor => {
    const attributes = { keepdims: attr.int(options.keepDims ? 1 : 0) };
    const inputs = axes === undefined || axes.length === 0 ? [x] : [x, x.graph.ints(axes)];
    return x.graph.addNode(schema, inputs, attributes, options)[0]!;
  };
}

export const reduceSum = reducer(REDUCE_SUM);
export const reduceMean = reducer(REDUCE_MEAN);
export const reduceMax = reducer(REDUCE_MAX);
export const reduceMin = reducer(REDUCE_MIN);
export const reduceProd = reducer(REDUCE_PROD);

/** Softmax and LogSoftmax (opset 13+ semantics: a single axis, not a flattened 2-D). */
function along(opType: string): OpSchema {
  return {
    opType,
    infer: (ctx) => {
      const x = ctx.input(0);
      ctx.requireFloat(0);
      normalizeAxis(ctx.attr.int('axis', -1), x.rank, 'axis');
      return out(x.dtype, x.shape);
    },
  };
}

export const SOFTMAX = along('Softmax');
export const LOG_SOFTMAX = along('LogSoftmax');

export function softmax(x: Tensor, axis = -1, options?: NodeOptions): Tensor {
  return x.graph.addNode(SOFTMAX, [x], { axis: attr.int(axis) }, options)[0]!;
}

export function logSoftmax(x: Tensor, axis = -1, options?: NodeOptions): Tensor {
  return x.graph.addNode(LOG_SOFTMAX, [x], { axis: attr.int(axis) }, options)[0]!;
}
