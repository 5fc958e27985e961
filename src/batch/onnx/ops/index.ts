/**
 * Every operator the builder knows: typed helpers (`import * as op from '.../onnx/ops/index.ts'`,
 * then `op.matMul(a, b)`) and the schema table that decoding uses to re-infer shapes.
 */
import { IDENTITY } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { BIT_SHIFT, BITWISE_AND, BITWISE_OR, BITWISE_XOR } from './bitwise.ts';
import { CAST } from './cast.ts';
import { CLIP } from './clip.ts';
import { EQUAL, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL } from './comparison.ts';
import { CONCAT } from './concat.ts';
import { CONSTANT_OF_SHAPE } from './constant-of-shape.ts';
import { ADD, DIV, MOD, MUL, POW, SUB } from './elementwise-binary.ts';
import {
  ABS,
  CEIL,
  ROUND,
  ERF,
  EXP,
  FLOOR,
  GELU,
  LOG,
  NEG,
  RECIPROCAL,
  RELU,
  SIGMOID,
  SIGN,
  SQRT,
  TANH,
} from './elementwise-unary.ts';
import { EXPAND } from './expand.ts';
import { GATHER } from './gather.ts';
import { GEMM } from './gemm.ts';
import { IS_NAN } from './is-nan.ts';
import { AND, NOT, OR, XOR } from './logical.ts';
import { MATMUL } from './matmul.ts';
import { NON_ZERO } from './non-zero.ts';
import { ONE_HOT } from './one-hot.ts';
import { PAD } from './pad.ts';
import { RANGE } from './range.ts';
import { REDUCE_MAX, REDUCE_MEAN, REDUCE_MIN, REDUCE_PROD, REDUCE_SUM } from './reduce.ts';
import { RESHAPE } from './reshape.ts';
import { SCATTER_ND } from './scatter-nd.ts';
import { SHAPE, SIZE } from './shape-of.ts';
import { SLICE } from './slice.ts';
import { LOG_SOFTMAX, SOFTMAX } from './softmax.ts';
import { SPLIT } from './split.ts';
import { SQUEEZE, UNSQUEEZE } from './squeeze.ts';
import { TRANSPOSE } from './transpose.ts';
import { MAX, MEAN, MIN, SUM } from './variadic.ts';
import { WHERE } from './where.ts';

export { bitwiseAnd, bitwiseOr, bitwiseXor, shiftLeft, shiftRight } from './bitwise.ts';
export { cast } from './cast.ts';
export { clip } from './clip.ts';
export { equal, greater, greaterOrEqual, less, lessOrEqual } from './comparison.ts';
export { concat } from './concat.ts';
export { constantOfShape } from './constant-of-shape.ts';
export { declareShape } from './declare-shape.ts';
export { add, div, mod, mul, pow, sub } from './elementwise-binary.ts';
export {
  abs,
  ceil,
  round,
  erf,
  exp,
  floor,
  gelu,
  identity,
  log,
  neg,
  reciprocal,
  relu,
  sigmoid,
  sign,
  sqrt,
  stopGradient,
  tanh,
} from './elementwise-unary.ts';
export { expand } from './expand.ts';
export { gather } from './gather.ts';
export { gemm } from './gemm.ts';
export { isNan } from './is-nan.ts';
export type { GemmOptions } from './gemm.ts';
export { and, not, or, xor } from './logical.ts';
export { matMul } from './matmul.ts';
export { nonZero } from './non-zero.ts';
export { oneHot } from './one-hot.ts';
export type { Operand } from './operand.ts';
export { pad } from './pad.ts';
export { range } from './range.ts';
export { reduceMax, reduceMean, reduceMin, reduceProd, reduceSum } from './reduce.ts';
export type { ReduceOptions } from './reduce.ts';
export { reshape } from './reshape.ts';
export { scatterND } from './scatter-nd.ts';
export { shapeOf, sizeOf } from './shape-of.ts';
export { slice, SLICE_END } from './slice.ts';
export { logSoftmax, softmax } from './softmax.ts';
export { split } from './split.ts';
export { squeeze, unsqueeze } from './squeeze.ts';
export { transpose, transposeLast2 } from './transpose.ts';
export { max, mean, min, sum } from './variadic.ts';
export { where } from './where.ts';

const ALL: readonly OpSchema[] = [
  ABS,
  ADD,
  AND,
  BIT_SHIFT,
  BITWISE_AND,
  BITWISE_OR,
  BITWISE_XOR,
  CAST,
  CEIL,
  ROUND,
  CLIP,
  CONCAT,
  CONSTANT_OF_SHAPE,
  DIV,
  EQUAL,
  ERF,
  EXP,
  EXPAND,
  FLOOR,
  GATHER,
  GELU,
  GEMM,
  IS_NAN,
  GREATER,
  GREATER_OR_EQUAL,
  IDENTITY,
  LESS,
  LESS_OR_EQUAL,
  LOG,
  LOG_SOFTMAX,
  MATMUL,
  MAX,
  MEAN,
  MIN,
  MOD,
  MUL,
  NEG,
  NON_ZERO,
  NOT,
  ONE_HOT,
  OR,
  PAD,
  POW,
  RANGE,
  RECIPROCAL,
  REDUCE_MAX,
  REDUCE_MEAN,
  REDUCE_MIN,
  REDUCE_PROD,
  REDUCE_SUM,
  RELU,
  RESHAPE,
  SCATTER_ND,
  SHAPE,
  SIGMOID,
  SIGN,
  SIZE,
  SLICE,
  SOFTMAX,
  SPLIT,
  SQRT,
  SQUEEZE,
  SUB,
  SUM,
  TANH,
  TRANSPOSE,
  UNSQUEEZE,
  WHERE,
  XOR,
];

/** Schemas by `domain:opType` ('' is the default ONNX domain), for decoding models back to graphs. */
export const OP_SCHEMAS: ReadonlyMap<string, OpSchema> = new Map(
  ALL.map((s) => [`${s.domain ?? ''}:${s.opType}`, s]),
);
