/** Gradients of MatMul and Gemm (onnx/ops/linear-algebra.ts). */
import * as op from '../../onnx/ops/index.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import type { GradRule } from '../grad-rule.ts';

/**
 * dA = dY B^T and dB = A^T dY on operands already promoted to rank >= 2 (the engine sums broadcast
 * batch dims).
 *
 * The common training case, activations [..., K] times a 2-D weight [K, N], gets dB as ONE Gemm over
 * the flattened rows (A reshaped to [rows, K], transA=1) instead of a batched MatMul followed by a
 * ReduceSum, which would materialise a [batch, K, N] tensor (2 GB at batch 1000, K=512, N=1024).
 */
function promotedGrads(
  a: Tensor,
  b: Tensor,
  g: Tensor,
  wantA: boolean,
  wantB: boolean,
): (Tensor | undefined)[] {
  if (b.rank === 2 && a.rank === 2) {
    return [
      wantA ? op.gemm(g, b, undefined, { transB: true }) : undefined,
      wantB ? op.gemm(a, g, undefined, { transA: true }) : undefined,
    ];
  }
  const k = a.shape[a.rank - 1];
  const n = b.shape[1];
  if (b.rank === 2 && typeof k === 'number' && typeof n === 'number') {
    return [
      wantA ? op.matMul(g, op.transpose(b)) : undefined,
      wantB
        ? op.gemm(op.reshape(a, [-1, k]), op.reshape(g, [-1, n]), undefined, { transA: true })
        : undefined,
    ];
  }
  return [
    wantA ? op.matMul(g, op.transposeLast2(b)) : undefined,
    wantB ? op.matMul(op.transposeLast2(a), g) : undefined,
  ];
}

export const LINEAR_ALGEBRA_RULES: Readonly<Record<string, GradRule>> = {
  /** Y = A B with numpy's 1-D promotion: promote, differentiate, squeeze the promoted axis away. */
  MatMul: {
    differentiable: 'all',
    vjp: ({ dy, input, wants }) => {
      const a0 = input(0);
      const b0 = input(1);
      const aVec = a0.rank === 1;
      const bVec = b0.rank === 1;
      const a = aVec ? op.unsqueeze(a0, [0]) : a0;
      const b = bVec ? op.unsqueeze(b0, [1]) : b0;
      let g = dy;
      if (aVec && bVec) g = op.unsqueeze(dy, [0, 1]);
      else if (aVec) g = op.unsqueeze(dy, [-2]);
      else if (bVec) g = op.unsqueeze(dy, [-1]);
      const [da, db] = promotedGrads(a, b, g, wants[0] ?? false, wants[1] ?? false);
      // The promoted axis is the second-last of dA, the last of dB, behind any broadcast batch dims.
      return [
        da && aVec ? op.squeeze(da, [da.rank - 2]) : da,
        db && bVec ? op.squeeze(db, [db.rank - 1]) : db,
      ];
    },
  },
  /**
   * Y = alpha op(A) op(B) + beta C. Each case is itself one Gemm with the right transposes, so no
   * Transpose node is ever materialised:
   *   dA = alpha dY op(B)^T, laid out as A is (transposed when transA);
   *   dB = alpha op(A)^T dY, laid out as B is;  dC = beta dY.
   */
  Gemm: {
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
      const dc = wants[2] && inputs[2] !== undefined ? (beta === 1 ? dy : op.mul(dy, beta)) : undefined;
      return [da, db, dc];
    },
  },
};
