/** MatMul with numpy semantics: 1-D operands are promoted then squeezed, batch dims broadcast. */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { broadcastShapes, unifyDim } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

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
