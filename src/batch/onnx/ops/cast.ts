/** Cast to another element type. */
import { attr } from '../attributes.ts';
import type { DType } from '../dtype.ts';
import { dtypeFromOnnx, onnxDataType } from '../dtype.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Tensor } from '../tensor.ts';

export const CAST: OpSchema = {
  opType: 'Cast',
  infer: (ctx) => {
    const x = ctx.input(0);
    const to = dtypeFromOnnx(ctx.attr.int('to'));
    const sv = to === 'int64' ? x.shapeValue : undefined;
    return [{ dtype: to, shape: x.shape, ...(sv ? { shapeValue: sv } : {}) }];
  },
};

export function cast(x: Tensor, to: DType, options?: NodeOptions): Tensor {
  return x.graph.addNode(CAST, [x], { to: attr.int(onnxDataType(to)) }, options)[0]!;
}
