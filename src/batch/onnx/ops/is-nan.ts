/** ONNX IsNaN: the fixture model maps missing landmarks (NaN) to 0 with it; no gradient. */
import type { OpSchema } from '../op-schema.ts';
import type { Tensor } from '../tensor.ts';

export const IS_NAN: OpSchema = {
  opType: 'IsNaN',
  infer: (ctx) => {
    ctx.requireFloat(0);
    return [{ dtype: 'bool', shape: ctx.input(0).shape }];
  },
};

export function isNan(x: Tensor): Tensor {
  return x.graph.addNode(IS_NAN, [x])[0]!;
}
