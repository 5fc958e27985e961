/** ScatterND: write (or accumulate, with a reduction) slices of `updates` into a copy of `data`. */
import type { Attributes } from '../attributes.ts';
import { attr } from '../attributes.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { formatShape, unifyShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

export const SCATTER_ND: OpSchema = {
  opType: 'ScatterND',
  infer: (ctx) => {
    const data = ctx.input(0);
    const indices = ctx.input(1);
    const updates = ctx.input(2);
    ctx.requireDtype(1, 'int64');
    ctx.sameDtype([0, 2]);
    const k = indices.shape[indices.rank - 1];
    if (typeof k !== 'number')
      return ctx.fail(`last dim of indices ${formatShape(indices.shape)} must be static`);
    const expected = [...indices.shape.slice(0, -1), ...data.shape.slice(k)];
    unifyShapes(updates.shape, expected, 'updates vs indices.shape[:-1] + data.shape[k:]');
    return out(data.dtype, data.shape);
  },
};

export function scatterND(
  data: Tensor,
  indices: Tensor,
  updates: Tensor,
  reduction: 'none' | 'add' | 'mul' | 'max' | 'min' = 'none',
  options?: NodeOptions,
): Tensor {
  const attributes: Attributes = reduction === 'none' ? {} : { reduction: attr.string(reduction) };
  return data.graph.addNode(SCATTER_ND, [data, indices, updates], attributes, options)[0]!;
}
