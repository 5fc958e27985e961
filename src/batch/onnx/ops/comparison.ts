/** Broadcasting comparisons, producing bool: Equal, Less, Greater, LessOrEqual, GreaterOrEqual. */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { broadcastShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import type { Operand } from './operand.ts';
import { lift, out } from './operand.ts';

function comparison(opType: string): OpSchema {
  return {
    opType,
    infer: (ctx) => {
      ctx.sameDtype([0, 1]);
      return out('bool', broadcastShapes([ctx.input(0).shape, ctx.input(1).shape], 'broadcast'));
    },
  };
}

export const EQUAL = comparison('Equal');
export const LESS = comparison('Less');
export const GREATER = comparison('Greater');
export const LESS_OR_EQUAL = comparison('LessOrEqual');
export const GREATER_OR_EQUAL = comparison('GreaterOrEqual');

function compare(schema: OpSchema) {
  return (a: Operand, b: Operand, options?: NodeOptions): Tensor => {
    const [x, y] = lift(schema.opType, a, b);
    return x!.graph.addNode(schema, [x, y], {}, options)[0]!;
  };
}

export const equal = compare(EQUAL);
export const less = compare(LESS);
export const greater = compare(GREATER);
export const lessOrEqual = compare(LESS_OR_EQUAL);
export const greaterOrEqual = compare(GREATER_OR_EQUAL);
