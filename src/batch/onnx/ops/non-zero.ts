/** NonZero: the indices of the non-zero elements, [rank, count], count known only at run time. */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

export const NON_ZERO: OpSchema = {
  opType: 'NonZero',
  infer: (ctx) => out('int64', [ctx.input(0).rank, null]),
};

export function nonZero(x: Tensor, options?: NodeOptions): Tensor {
  return x.graph.addNode(NON_ZERO, [x], {}, options)[0]!;
}
