import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** d(-x) = -dy. */
export const negRule: GradRule = { differentiable: 'all', vjp: ({ dy }) => [op.neg(dy)] };
