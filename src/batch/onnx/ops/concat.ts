/** Concat along one axis; also concatenates shape tensors symbolically (for Reshape targets). */
import { attr } from '../attributes.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { normalizeAxis, unifyDim } from '../shape.ts';
import type { Tensor } from '../tensor.ts';

export const CONCAT: OpSchema = {
  opType: 'Concat',
  infer: (ctx) => {
    if (ctx.count === 0) ctx.fail('Concat needs at least one input');
    const indices = ctx.inputs.map((_, i) => i);
    const dtype = ctx.sameDtype(indices);
    const first = ctx.input(0);
    const axis = normalizeAxis(ctx.attr.int('axis'), first.rank, 'axis');
    const shape: Dim[] = [...first.shape];
    let along: Dim = first.shape[axis]!;
    for (const i of indices.slice(1)) {
      const t = ctx.input(i);
      if (t.rank !== first.rank) ctx.fail(`${t.name} has rank ${t.rank}, ${first.name} has ${first.rank}`);
      t.shape.forEach((d, k) => {
        if (k !== axis) shape[k] = unifyDim(shape[k]!, d, `dim ${k} of ${t.name}`);
      });
      const d = t.shape[axis]!;
      along = typeof along === 'number' && typeof d === 'number' ? along + d : null;
    }
    shape[axis] = along;
    const parts = indices.map((i) => ctx.shapeValue(i));
    const shapeValue =
      first.rank === 1 && parts.every((p) => p !== undefined) ? parts.flatMap((p) => [...p!]) : undefined;
    return [{ dtype, shape, ...(shapeValue ? { shapeValue } : {}) }];
  },
};

export function concat(xs: readonly Tensor[], axis: number, options?: NodeOptions): Tensor {
  if (xs.length === 0) throw new Error('concat of no tensors');
  return xs[0]!.graph.addNode(CONCAT, xs, { axis: attr.int(axis) }, options)[0]!;
}
