/** Softmax and LogSoftmax along one axis (opset 13+ semantics: a single axis, not a flattened 2-D). */
import { attr } from '../attributes.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { normalizeAxis } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

function along(opType: string): OpSchema {
  return {
    opType,
    infer: (ctx) => {
      const x = ctx.input(0);
      ctx.requireFloat(0);
      normalizeAxis(ctx.attr.int('axis', -1), x.rank, 'axis');
      return out(x.dtype, x.shape);
    },
  };
}

export const SOFTMAX = along('Softmax');
export const LOG_SOFTMAX = along('LogSoftmax');

export function softmax(x: Tensor, axis = -1, options?: NodeOptions): Tensor {
  return x.graph.addNode(SOFTMAX, [x], { axis: attr.int(axis) }, options)[0]!;
}

export function logSoftmax(x: Tensor, axis = -1, options?: NodeOptions): Tensor {
  return x.graph.addNode(LOG_SOFTMAX, [x], { axis: attr.int(axis) }, options)[0]!;
}
