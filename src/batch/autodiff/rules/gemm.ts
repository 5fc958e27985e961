import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/**
 * Y = alpha op(A) op(B) + beta C. Each case is itself one Gemm with the right transposes, so no
 * Transpose node is ever materialised:
 *   dA = alpha dY op(B)^T, laid out as A is (transposed when transA);
 *   dB = alpha op(A)^T dY, laid out as B is;  dC = beta dY (summed to C's shape by the engine).
 */
export const gemmRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, input, inputs, wants, attr }) => {
    const a = input(0);
    const b = input(1);
    const tA = attr.int('transA', 0) === 1;
    const tB = attr.int('transB', 0) === 1;
    const alpha = attr.float('alpha', 1);
    const beta = attr.float('beta', 1);
    let da;
    if (wants[0]) {
      da = tA
        ? op.gemm(b, dy, undefined, { transA: tB, transB: true, alpha })
        : op.gemm(dy, b, undefined, { transB: !tB, alpha });
    }
    let db;
    if (wants[1]) {
      db = tB
        ? op.gemm(dy, a, undefined, { transA: true, transB: tA, alpha })
        : op.gemm(a, dy, undefined, { transA: !tA, alpha });
    }
    const c = inputs[2];
    const dc = wants[2] && c !== undefined ? (beta === 1 ? dy : op.mul(dy, beta)) : undefined;
    return [da, db, dc];
  },
};
