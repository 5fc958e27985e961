/** Variadic broadcasting reductions over tensors: Sum, Mean, Max, Min. */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { broadcastShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import type { Operand } from './operand.ts';
import { lift, out } from './operand.ts';

function variadic(opType: string): OpSchema {
  return {
    opType,
    infer: (ctx) => {
      if (ctx.count === 0) ctx.fail(`${opType} needs at least one input`);
      const indices = ctx.inputs.map((_, i) => i);
      const dtype = ctx.sameDtype(indices, (d) => d !== 'bool');
      return out(
        dtype,
        broadcastShapes(
          indices.map((i) => ctx.input(i).shape),
          'broadcast',
        ),
      );
    },
  };
}

export const SUM = variadic('Sum');
export const MEAN = variadic('Mean');
export const MAX = variadic('Max');
export const MIN = variadic('Min');

function apply(schema: OpSchema) {
  return (xs: readonly Operand[], options?: NodeOptions): Tensor => {
    const ts = lift(schema.opType, ...xs);
    return ts[0]!.graph.addNode(schema, ts, {}, options)[0]!;
  };
}

export const sum = apply(SUM);
export const mean = apply(MEAN);
/** Elementwise maximum of tensors (numbers become scalar constants), broadcasting. */
export const max = apply(MAX);
export const min = apply(MIN);
