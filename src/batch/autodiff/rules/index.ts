/**
 * THE table: every operator autodiff can differentiate, by ONNX op type (default domain). The engine
 * knows no operator by name; adding an operator's gradient means adding one line here.
 */
import type { GradRule } from '../grad-rule.ts';
import { NO_GRADIENT } from '../grad-rule.ts';
import { absRule } from './abs.ts';
import { addRule } from './add.ts';
import { castRule } from './cast.ts';
import { clipRule } from './clip.ts';
import { concatRule } from './concat.ts';
import { divRule } from './div.ts';
import { erfRule } from './erf.ts';
import { expRule } from './exp.ts';
import { expandRule } from './expand.ts';
import { gatherRule } from './gather.ts';
import { geluRule } from './gelu.ts';
import { gemmRule } from './gemm.ts';
import { identityRule } from './identity.ts';
import { logSoftmaxRule } from './log-softmax.ts';
import { logRule } from './log.ts';
import { matMulRule } from './matmul.ts';
import { mulRule } from './mul.ts';
import { negRule } from './neg.ts';
import { powRule } from './pow.ts';
import { reciprocalRule } from './reciprocal.ts';
import { reduceExtremumRule } from './reduce-extremum.ts';
import { reduceMeanRule } from './reduce-mean.ts';
import { reduceSumRule } from './reduce-sum.ts';
import { reluRule } from './relu.ts';
import { reshapeRule } from './reshape.ts';
import { sigmoidRule } from './sigmoid.ts';
import { sliceRule } from './slice.ts';
import { softmaxRule } from './softmax.ts';
import { splitRule } from './split.ts';
import { sqrtRule } from './sqrt.ts';
import { squeezeRule } from './squeeze.ts';
import { subRule } from './sub.ts';
import { meanRule, sumRule } from './sum.ts';
import { tanhRule } from './tanh.ts';
import { transposeRule } from './transpose.ts';
import { unsqueezeRule } from './unsqueeze.ts';
import { variadicExtremumRule } from './variadic-extremum.ts';
import { whereRule } from './where.ts';

export const GRAD_RULES: Readonly<Record<string, GradRule>> = {
  Abs: absRule,
  Add: addRule,
  Cast: castRule,
  Clip: clipRule,
  Concat: concatRule,
  Div: divRule,
  Erf: erfRule,
  Exp: expRule,
  Expand: expandRule,
  Gather: gatherRule,
  Gelu: geluRule,
  Gemm: gemmRule,
  Identity: identityRule,
  Log: logRule,
  LogSoftmax: logSoftmaxRule,
  MatMul: matMulRule,
  Max: variadicExtremumRule,
  Mean: meanRule,
  Min: variadicExtremumRule,
  Mul: mulRule,
  Neg: negRule,
  Pow: powRule,
  Reciprocal: reciprocalRule,
  ReduceMax: reduceExtremumRule,
  ReduceMean: reduceMeanRule,
  ReduceMin: reduceExtremumRule,
  ReduceSum: reduceSumRule,
  Relu: reluRule,
  Reshape: reshapeRule,
  Sigmoid: sigmoidRule,
  Slice: sliceRule,
  Softmax: softmaxRule,
  Split: splitRule,
  Sqrt: sqrtRule,
  Squeeze: squeezeRule,
  Sub: subRule,
  Sum: sumRule,
  Tanh: tanhRule,
  Transpose: transposeRule,
  Unsqueeze: unsqueezeRule,
  Where: whereRule,

  // Piecewise-constant or integer/boolean-valued: no gradient flows through them.
  And: NO_GRADIENT,
  BitShift: NO_GRADIENT,
  BitwiseAnd: NO_GRADIENT,
  BitwiseOr: NO_GRADIENT,
  BitwiseXor: NO_GRADIENT,
  Ceil: NO_GRADIENT,
  ConstantOfShape: NO_GRADIENT,
  Equal: NO_GRADIENT,
  Floor: NO_GRADIENT,
  Greater: NO_GRADIENT,
  GreaterOrEqual: NO_GRADIENT,
  Less: NO_GRADIENT,
  LessOrEqual: NO_GRADIENT,
  NonZero: NO_GRADIENT,
  Not: NO_GRADIENT,
  OneHot: NO_GRADIENT,
  Or: NO_GRADIENT,
  Range: NO_GRADIENT,
  Shape: NO_GRADIENT,
  Sign: NO_GRADIENT,
  Size: NO_GRADIENT,
  Xor: NO_GRADIENT,
};
