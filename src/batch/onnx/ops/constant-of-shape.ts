/** ConstantOfShape: a tensor of a shape given at run time, filled with one value. */
import { attr } from '../attributes.ts';
import type { DType } from '../dtype.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { scalarData, tensorData } from '../tensor-data.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

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
