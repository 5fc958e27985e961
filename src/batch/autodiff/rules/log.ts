import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** d(ln x) = dy / x. */
export const logRule: GradRule = { differentiable: 'all', vjp: ({ dy, input }) => [op.div(dy, input(0))] };
