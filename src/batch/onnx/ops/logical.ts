/** Boolean logic: And, Or, Xor (broadcasting) and Not. */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { broadcastShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

function logical(opType: string): OpSchema {
  return {
    opType,
    infer: (ctx) => {
      ctx.sameDtype([0, 1], (d) => d === 'bool');
      return out('bool', broadcastShapes([ctx.input(0).shape, ctx.input(1).shape], 'broadcast'));
    },
  };
}

export const AND = logical('And');
export const OR = logical('Or');
export const XOR = logical('Xor');
export const NOT: OpSchema = {
  opType: 'Not',
  infer: (ctx) => out(ctx.requireDtype(0, 'bool'), ctx.input(0).shape),
};

function binary(schema: OpSchema) {
  return (a: Tensor, b: Tensor, options?: NodeOptions): Tensor =>
    a.graph.addNode(schema, [a, b], {}, options)[0]!;
}

export const and = binary(AND);
export const or = binary(OR);
export const xor = binary(XOR);
export function not(x: Tensor, options?: NodeOptions): Tensor {
  return x.graph.addNode(NOT, [x], {}, options)[0]!;
}
