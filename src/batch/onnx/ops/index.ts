/**
 * Every operator the builder knows: typed helpers (`import * as op from '.../onnx/ops/index.ts'`,
 * then `op.matMul(a, b)`) and the schema table that decoding uses to re-infer shapes.
 */
import { IDENTITY } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { ADD, CLAMP, DIV, MAX, MEAN, MIN, MOD, MUL, POW, SUB, SUM, WHERE } from './arithmetic.ts';
import { CONSTANT_OF_SHAPE, NON_ZERO, ONE_HOT, RANGE, SHAPE, SIZE } from './creation.ts';
import {
  ABS,
  CAST,
  CEIL,
  ERF,
  EXP,
  FLOOR,
  GELU,
  LOG,
  NEG,
  RECIPROCAL,
  RELU,
  ROUND,
  SIGMOID,
  SIGN,
  SQRT,
  TANH,
} from './elementwise-unary.ts';
import { CONCAT, GATHER, PAD, SCATTER_ND, SLICE, SPLIT } from './indexing.ts';
import { GEMM, MATMUL } from './linear-algebra.ts';
import {
  AND,
  BIT_SHIFT,
  BITWISE_AND,
  BITWISE_OR,
  BITWISE_XOR,
  EQUAL,
  GREATER,
  GREATER_OR_EQUAL,
  IS_NAN,
  LESS,
  LESS_OR_EQUAL,
  NOT,
  OR,
  XOR,
} from './logic.ts';
import { EXPAND, RESHAPE, SQUEEZE, TRANSPOSE, UNSQUEEZE } from './movement.ts';
import {
  LOG_SOFTMAX,
  REDUCE_MAX,
  REDUCE_MEAN,
  REDUCE_MIN,
  REDUCE_PROD,
  REDUCE_SUM,
  SOFTMAX,
} from './reduce.ts';

export { add, clamp, div, max, mean, min, mod, mul, pow, sub, sum, where } from './arithmetic.ts';
export { constantOfShape, nonZero, oneHot, range, shapeOf, sizeOf, zeros } from './creation.ts';
export {
  abs,
  cast,
  ceil,
  declareShape,
  erf,
  exp,
  floor,
  gelu,
  identity,
  log,
  neg,
  reciprocal,
  relu,
  round,
  sigmoid,
  sign,
  sqrt,
  stopGradient,
  tanh,
} from './elementwise-unary.ts';
export { concat, gather, pad, scatterND, slice, SLICE_END, split } from './indexing.ts';
export { gemm, matMul } from './linear-algebra.ts';
export type { GemmOptions } from './linear-algebra.ts';
export {
  and,
  bitwiseAnd,
  bitwiseOr,
  bitwiseXor,
  equal,
  greater,
  greaterOrEqual,
  isNan,
  less,
  lessOrEqual,
  not,
  or,
  shiftLeft,
  shiftRight,
  xor,
} from './logic.ts';
export { expand, reshape, squeeze, transpose, transposeLast2, unsqueeze } from './movement.ts';
export type { Operand } from './operand.ts';
export { logSoftmax, reduceMax, reduceMean, reduceMin, reduceProd, reduceSum, softmax } from './reduce.ts';
export type { ReduceOptions } from './reduce.ts';

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
  CLAMP,
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
