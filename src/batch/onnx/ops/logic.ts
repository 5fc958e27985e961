/**
 * Operators whose results are booleans or bit patterns, none of which carries a gradient: the
 * broadcasting comparisons, IsNaN, boolean logic, and the integer bit operations (the counter-based
 * noise generator is built from these).
 */
import { attr } from '../attributes.ts';
import type { DType } from '../dtype.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { broadcastShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import type { Operand } from './operand.ts';
import { lift, out } from './operand.ts';

/** A broadcasting two-input operator whose inputs share a dtype that `allowed` accepts. */
function broadcasting(opType: string, result: 'bool' | 'input', allowed?: (d: DType) => boolean): OpSchema {
  return {
    opType,
    infer: (ctx) => {
      const dtype = ctx.sameDtype([0, 1], allowed);
      const shape = broadcastShapes([ctx.input(0).shape, ctx.input(1).shape], 'broadcast');
      return out(result === 'bool' ? 'bool' : dtype, shape);
    },
  };
}

/** The helper for a two-input schema; numbers become scalar constants of the other operand's dtype. */
function binary(schema: OpSchema) {
  return (a: Operand, b: Operand, options?: NodeOptions): Tensor => {
    const [x, y] = lift(schema.opType, a, b);
    return x!.graph.addNode(schema, [x, y], {}, options)[0]!;
  };
}

export const EQUAL = broadcasting('Equal', 'bool');
export const LESS = broadcasting('Less', 'bool');
export const GREATER = broadcasting('Greater', 'bool');
export const LESS_OR_EQUAL = broadcasting('LessOrEqual', 'bool');
export const GREATER_OR_EQUAL = broadcasting('GreaterOrEqual', 'bool');

export const equal = binary(EQUAL);
export const less = binary(LESS);
export const greater = binary(GREATER);
export const lessOrEqual = binary(LESS_OR_EQUAL);
export const greaterOrEqual = binary(GREATER_OR_EQUAL);

/** The fixture model maps missing landmarks (NaN) to 0 with it. */
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

const isBool = (d: DType) => d === 'bool';
export const AND = broadcasting('And', 'bool', isBool);
export const OR = broadcasting('Or', 'bool', isBool);
export const XOR = broadcasting('Xor', 'bool', isBool);
export const NOT: OpSchema = {
  opType: 'Not',
  infer: (ctx) => out(ctx.requireDtype(0, 'bool'), ctx.input(0).shape),
};

type Logical = (a: Tensor, b: Tensor, options?: NodeOptions) => Tensor;
export const and: Logical = binary(AND);
export const or: Logical = binary(OR);
export const xor: Logical = binary(XOR);
export function not(x: Tensor, options?: NodeOptions): Tensor {
  return x.graph.addNode(NOT, [x], {}, options)[0]!;
}

const INTEGER: readonly DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
const UNSIGNED: readonly DType[] = ['uint8', 'uint16', 'uint32', 'uint64'];
const isInteger = (d: DType) => INTEGER.includes(d);

export const BITWISE_AND = broadcasting('BitwiseAnd', 'input', isInteger);
export const BITWISE_OR = broadcasting('BitwiseOr', 'input', isInteger);
export const BITWISE_XOR = broadcasting('BitwiseXor', 'input', isInteger);
/** ONNX defines BitShift on unsigned types only. */
export const BIT_SHIFT = broadcasting('BitShift', 'input', (d) => UNSIGNED.includes(d));

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
