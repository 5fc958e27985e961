/** Broadcasting arithmetic: Add, Sub, Mul, Div, Pow, Mod. */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { broadcastShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { attr } from '../attributes.ts';
import type { Operand } from './operand.ts';
import { lift, out } from './operand.ts';

function arithmetic(opType: string): OpSchema {
  return {
    opType,
    infer: (ctx) => {
      const dtype = ctx.sameDtype([0, 1], (d) => d !== 'bool');
      return out(dtype, broadcastShapes([ctx.input(0).shape, ctx.input(1).shape], 'broadcast'));
    },
  };
}

export const ADD = arithmetic('Add');
export const SUB = arithmetic('Sub');
export const MUL = arithmetic('Mul');
export const DIV = arithmetic('Div');
export const MOD = arithmetic('Mod');

/** Pow lets the exponent have its own dtype; the result has the base's. */
export const POW: OpSchema = {
  opType: 'Pow',
  infer: (ctx) => {
    const base = ctx.input(0);
    return out(base.dtype, broadcastShapes([base.shape, ctx.input(1).shape], 'broadcast'));
  },
};

function binary(schema: OpSchema) {
  return (a: Operand, b: Operand, options?: NodeOptions): Tensor => {
    const [x, y] = lift(schema.opType, a, b);
    return x!.graph.addNode(schema, [x, y], {}, options)[0]!;
  };
}

export const add = binary(ADD);
export const sub = binary(SUB);
export const mul = binary(MUL);
export const div = binary(DIV);

/** Integer remainder (sign of the divisor, like Python) unless `fmod` (required for floats). */
export function mod(a: Operand, b: Operand, options: NodeOptions & { fmod?: boolean } = {}): Tensor {
  const [x, y] = lift('Mod', a, b);
  return x!.graph.addNode(MOD, [x, y], { fmod: attr.int(options.fmod ? 1 : 0) }, options)[0]!;
}

export function pow(base: Tensor, exponent: Operand, options?: NodeOptions): Tensor {
  const [x, e] = lift('Pow', base, exponent);
  return x!.graph.addNode(POW, [x, e], {}, options)[0]!;
}
