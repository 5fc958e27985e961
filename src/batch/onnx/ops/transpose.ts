/** Transpose by a permutation (reversed axes by default, as in the spec). */
import { attr } from '../attributes.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

export const TRANSPOSE: OpSchema = {
  opType: 'Transpose',
  infer: (ctx) => {
    const x = ctx.input(0);
    const perm = ctx.attr.ints(
      'perm',
      x.shape.map((_, i) => x.rank - 1 - i),
    );
    const sorted = [...perm].sort((a, b) => a - b);
    if (perm.length !== x.rank || sorted.some((p, i) => p !== i)) {
      ctx.fail(`perm [${perm.join(', ')}] is not a permutation of rank ${x.rank}`);
    }
    return out(
      x.dtype,
      perm.map((p) => x.shape[p]!),
    );
  },
};

export function transpose(x: Tensor, perm?: readonly number[], options?: NodeOptions): Tensor {
  return x.graph.addNode(TRANSPOSE, [x], perm ? { perm: attr.ints(perm) } : {}, options)[0]!;
}

/** Swap the last two axes (the batched-matrix transpose). */
export function transposeLast2(x: Tensor, options?: NodeOptions): Tensor {
  if (x.rank < 2) throw new Error(`transposeLast2 of ${x.toString()}: rank must be >= 2`);
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return transpose(x, perm, options);
}
