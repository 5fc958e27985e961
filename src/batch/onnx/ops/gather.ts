/** Gather along one axis: out = data[:axis] + indices.shape + data[axis+1:]. */
import { attr } from '../attributes.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { normalizeAxis } from '../shape.ts';
import type { Tensor } from '../tensor.ts';

export const GATHER: OpSchema = {
  opType: 'Gather',
  infer: (ctx) => {
    const data = ctx.input(0);
    const indices = ctx.input(1);
    ctx.requireDtype(1, 'int32', 'int64');
    if (data.rank === 0) ctx.fail('Gather data must have rank >= 1');
    const axis = normalizeAxis(ctx.attr.int('axis', 0), data.rank, 'axis');
    const shape: Dim[] = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
    const sv = ctx.shapeValue(0);
    const idx = ctx.constInts(1);
    let shapeValue: Dim[] | undefined;
    if (sv !== undefined && idx !== undefined && indices.rank === 1) {
      shapeValue = idx.map((i) => sv[i < 0 ? i + sv.length : i] ?? null);
    }
    return [{ dtype: data.dtype, shape, ...(shapeValue ? { shapeValue } : {}) }];
  },
};

export function gather(data: Tensor, indices: Tensor, axis = 0, options?: NodeOptions): Tensor {
  return data.graph.addNode(GATHER, [data, indices], { axis: attr.int(axis) }, options)[0]!;
}
