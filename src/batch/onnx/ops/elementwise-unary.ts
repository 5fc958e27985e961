/** Shape-preserving unary operators: the math, the activations, Cast, and Identity's variants. */
import { attr } from '../attributes.ts';
import type { DType } from '../dtype.ts';
import { dtypeFromOnnx, onnxDataType } from '../dtype.ts';
import type { NodeOptions } from '../graph.ts';
import { IDENTITY } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Shape } from '../shape.ts';
import { unifyShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

function unary(opType: string, floatOnly: boolean): OpSchema {
  return {
    opType,
    infer: (ctx) => {
      const x = ctx.input(0);
      if (floatOnly) ctx.requireFloat(0);
      else if (x.dtype === 'bool') ctx.fail(`${opType} does not take bool`);
      return out(x.dtype, x.shape);
    },
  };
}

export const NEG = unary('Neg', false);
export const ABS = unary('Abs', false);
export const EXP = unary('Exp', true);
export const LOG = unary('Log', true);
export const SQRT = unary('Sqrt', true);
export const RECIPROCAL = unary('Reciprocal', true);
export const ERF = unary('Erf', true);
export const TANH = unary('Tanh', true);
export const SIGMOID = unary('Sigmoid', true);
export const RELU = unary('Relu', false);
export const SIGN = unary('Sign', false);
export const FLOOR = unary('Floor', true);
export const CEIL = unary('Ceil', true);
/** Round half to even; no gradient rule (only the int8 export uses it). */
export const ROUND = unary('Round', true);
export const GELU: OpSchema = { opType: 'Gelu', infer: unary('Gelu', true).infer };

function apply(schema: OpSchema) {
  return (x: Tensor, options?: NodeOptions): Tensor => x.graph.addNode(schema, [x], {}, options)[0]!;
}

export const neg = apply(NEG);
export const abs = apply(ABS);
export const exp = apply(EXP);
export const log = apply(LOG);
export const sqrt = apply(SQRT);
export const reciprocal = apply(RECIPROCAL);
export const erf = apply(ERF);
export const tanh = apply(TANH);
export const sigmoid = apply(SIGMOID);
export const relu = apply(RELU);
export const sign = apply(SIGN);
export const floor = apply(FLOOR);
export const ceil = apply(CEIL);
export const round = apply(ROUND);
export const identity = apply(IDENTITY);

/**
 * ONNX Gelu (opset 20): exact, 0.5x(1+erf(x/sqrt 2)), or its tanh approximation; one node instead of
 * five. onnxruntime's CPU kernels for Gelu and Erf are float32 only (measured): a float64 graph needs
 * the tanh approximation spelt out with Tanh.
 */
export function gelu(x: Tensor, options: NodeOptions & { approximate?: 'none' | 'tanh' } = {}): Tensor {
  return x.graph.addNode(GELU, [x], { approximate: attr.string(options.approximate ?? 'none') }, options)[0]!;
}

/** Identity whose output autodiff treats as a constant (no gradient flows back through it). */
export function stopGradient(x: Tensor, options: NodeOptions = {}): Tensor {
  return x.graph.addNode(IDENTITY, [x], {}, { name: 'StopGradient', ...options, stopGradient: true })[0]!;
}

/**
 * An Identity that gives its output a more specific shape than inference could, e.g. a named
 * symbolic dim for a data-dependent size (NonZero's count) so that tensors derived from it can be
 * told apart and broadcast against each other: `declareShape(indices, ['active_rows'])`. The declared
 * shape must agree with the input's (null dims take any value). Nothing is checked at run time beyond
 * what onnxruntime does with the written value_info.
 */
export function declareShape(x: Tensor, shape: Shape, options?: NodeOptions): Tensor {
  const schema: OpSchema = {
    opType: 'Identity',
    infer: (ctx) => {
      const input = ctx.input(0);
      return out(input.dtype, unifyShapes(input.shape, shape, 'declared shape'));
    },
  };
  return x.graph.addNode(schema, [x], {}, { name: 'DeclareShape', ...options })[0]!;
}

/** Cast to another element type. */
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
