/**
 * Broadcasting arithmetic: Add, Sub, Mul, Div, Pow, Mod; the variadic Sum, Mean, Max, Min; Where;
 * and the ONNX Clip operator, built by `clamp` (in this project a clip is a landmark recording).
 */
import { attr } from '../attributes.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { broadcastShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import type { Operand } from './operand.ts';
import { isTensor, lift, out } from './operand.ts';

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

function nary(schema: OpSchema) {
  return (xs: readonly Operand[], options?: NodeOptions): Tensor => {
    const ts = lift(schema.opType, ...xs);
    return ts[0]!.graph.addNode(schema, ts, {}, options)[0]!;
  };
}

export const sum = nary(SUM);
export const mean = nary(MEAN);
/** Elementwise maximum of tensors (numbers become scalar constants), broadcasting. */
export const max = nary(MAX);
export const min = nary(MIN);

export const WHERE: OpSchema = {
  opType: 'Where',
  infer: (ctx) => {
    ctx.requireDtype(0, 'bool');
    const dtype = ctx.sameDtype([1, 2]);
    return out(
      dtype,
      broadcastShapes(
        [0, 1, 2].map((i) => ctx.input(i).shape),
        'broadcast',
      ),
    );
  },
};

/** Elementwise `condition ? x : y`, broadcasting all three; a number takes the other branch's dtype. */
export function where(condition: Tensor, x: Operand, y: Operand, options?: NodeOptions): Tensor {
  const [a, b] = lift('Where', x, y);
  return condition.graph.addNode(WHERE, [condition, a, b], {}, options)[0]!;
}

/** ONNX Clip (opset 11+: scalar bounds as optional inputs). */
export const CLAMP: OpSchema = {
  opType: 'Clip',
  infer: (ctx) => {
    const x = ctx.input(0);
    for (const i of [1, 2]) {
      const b = ctx.optional(i);
      if (b === undefined) continue;
      if (b.dtype !== x.dtype) ctx.fail(`bound ${b.name} is ${b.dtype}, input is ${x.dtype}`);
      if (b.rank !== 0) ctx.fail(`bound ${b.name} must be a scalar`);
    }
    return out(x.dtype, x.shape);
  },
};

/** Clamp to [min, max] with an ONNX Clip node; either bound may be omitted. */
export function clamp(x: Tensor, min?: Operand, max?: Operand, options?: NodeOptions): Tensor {
  const bound = (b: Operand | undefined) =>
    b === undefined ? undefined : isTensor(b) ? b : x.graph.scalar(b, x.dtype);
  return x.graph.addNode(CLAMP, [x, bound(min), bound(max)], {}, options)[0]!;
}
