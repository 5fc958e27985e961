/** Matrix products: MatMul and Gemm. */
import type { Attributes } from '../attributes.ts';
import { attr } from '../attributes.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { broadcastShapes, formatShape, unifyDim } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

// MatMul with numpy semantics: 1-D operands are promoted then squeezed, batch dims broadcast.

export const MATMUL: OpSchema = {
  opType: 'MatMul',
  infer: (ctx) => {
    const dtype = ctx.sameDtype([0, 1], (d) => d !== 'bool');
    const a = ctx.input(0);
    const b = ctx.input(1);
    if (a.rank === 0 || b.rank === 0) ctx.fail('MatMul operands must have rank >= 1');
    const as: Dim[] = a.rank === 1 ? [1, a.shape[0]!] : [...a.shape];
    const bs: Dim[] = b.rank === 1 ? [b.shape[0]!, 1] : [...b.shape];
    unifyDim(as[as.length - 1]!, bs[bs.length - 2]!, 'contraction dim');
    const batch = broadcastShapes([as.slice(0, -2), bs.slice(0, -2)], 'batch dims');
    const shape: Dim[] = [...batch];
    if (a.rank > 1) shape.push(as[as.length - 2]!);
    if (b.rank > 1) shape.push(bs[bs.length - 1]!);
    return out(dtype, shape);
  },
};

export function matMul(a: Tensor, b: Tensor, options?: NodeOptions): Tensor {
  return a.graph.addNode(MATMUL, [a, b], {}, options)[0]!;
}

// Gemm: alpha * op(A) op(B) + beta * C on 2-D operands, op = optional transpose.

export const GEMM: OpSchema = {
  opType: 'Gemm',
  infer: (ctx) => {
    const dtype = ctx.sameDtype(ctx.optional(2) ? [0, 1, 2] : [0, 1], (d) => d !== 'bool');
    ctx.requireRank(0, 2);
    ctx.requireRank(1, 2);
    const [a0, a1] = ctx.input(0).shape as [Dim, Dim];
    const [b0, b1] = ctx.input(1).shape as [Dim, Dim];
    const transA = ctx.attr.int('transA', 0) === 1;
    const transB = ctx.attr.int('transB', 0) === 1;
    const m = transA ? a1 : a0;
    unifyDim(transA ? a0 : a1, transB ? b1 : b0, 'contraction dim');
    const n = transB ? b0 : b1;
    const c = ctx.optional(2);
    if (c !== undefined) {
      // C broadcasts one way only: onto [M, N].
      const full = broadcastShapes([[m, n], c.shape], 'C');
      if (full.length !== 2 || full[0] !== m || full[1] !== n) {
        ctx.fail(`C ${formatShape(c.shape)} does not broadcast to [M, N] = ${formatShape([m, n])}`);
      }
    }
    return out(dtype, [m, n]);
  },
};

export interface GemmOptions extends NodeOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  beta?: number;
}

export function gemm(a: Tensor, b: Tensor, c?: Tensor, options: GemmOptions = {}): Tensor {
  const attributes: Record<string, Attributes[string]> = {};
  if (options.transA) attributes.transA = attr.int(1);
  if (options.transB) attributes.transB = attr.int(1);
  if (options.alpha !== undefined && options.alpha !== 1) attributes.alpha = attr.float(options.alpha);
  if (options.beta !== undefined && options.beta !== 1) attributes.beta = attr.float(options.beta);
  return a.graph.addNode(GEMM, c ? [a, b, c] : [a, b], attributes, options)[0]!;
}
