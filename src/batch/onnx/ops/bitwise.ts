/** Integer bit operations (the counter-based noise generator is built from these). */
import type { DType } from '../dtype.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { broadcastShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { attr } from '../attributes.ts';
import type { Operand } from './operand.ts';
import { lift, out } from './operand.ts';

const INTEGER: readonly DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
const UNSIGNED: readonly DType[] = ['uint8', 'uint16', 'uint32', 'uint64'];

function bitwise(opType: string, allowed: readonly DType[]): OpSchema {
  return {
    opType,
    infer: (ctx) => {
      const dtype = ctx.sameDtype([0, 1], (d) => allowed.includes(d));
      return out(dtype, broadcastShapes([ctx.input(0).shape, ctx.input(1).shape], 'broadcast'));
    },
  };
}

export const BITWISE_AND = bitwise('BitwiseAnd', INTEGER);
export const BITWISE_OR = bitwise('BitwiseOr', INTEGER);
export const BITWISE_XOR = bitwise('BitwiseXor', INTEGER);
/** ONNX defines BitShift on unsigned types only. */
export const BIT_SHIFT = bitwise('BitShift', UNSIGNED);

function binary(schema: OpSchema) {
  return (a: Operand, b: Operand, options?: NodeOptions): Tensor => {
    const [x, y] = lift(schema.opType, a, b);
    return x!.graph.addNode(schema, [x, y], {}, options)[0]!;
  };
}

export const bitwiseAnd = binary(BITWISE_AND);
export const bitwiseOr = binary(BITWISE_OR);
export const bitwiseXor = binary(BITWISE_XOR);

export function shiftLeft(x: Tensor, bits: Operand, options?: NodeOptions): Tensor {
  const [a, b] = lift('BitShift', x, bits);
  return x.graph.addNode(BIT_SHIFT, [a, b], { direction: attr.string('LEFT') }, options)[0]!;
}

export function shiftRight(x: Tensor, bits: Operand, options?: NodeOptions): Tensor {
  const [a, b] = lift('BitShift', x, bits);
  return x.graph.addNode(BIT_SHIFT, [a, b], { direction: attr.string('RIGHT') }, options)[0]!;
}
