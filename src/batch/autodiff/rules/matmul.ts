import * as op from '../../onnx/ops/index.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import type { GradRule } from '../grad-rule.ts';

/**
 * Y = A B: dA = dY B^T, dB = A^T dY, with numpy's 1-D promotion undone (the engine sums broadcast
 * batch dims).
 *
 * The common training case, activations [..., K] times a 2-D weight [K, N], gets dB as ONE Gemm over
 * the flattened rows (A reshaped to [rows, K], transA=1) instead of a batched MatMul followed by a
 * ReduceSum, which would materialise a [batch, K, N] tensor (2 GB at batch 1000, K=512, N=1024).
 */
export const matMulRule: GradRule = {
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
    return [da && aVec ? op.squeeze(da, [da.rank - 2]) : da, db && bVec ? op.squeeze(db, [db.rank - 1]) : db];
  },
};

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
