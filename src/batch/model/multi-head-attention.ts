import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';
import { dense } from './dense.ts';
import type { FrameRows } from './frame-rows.ts';
import type { ModelContext } from './model-context.ts';
import { toActivationType, toParameterType } from './model-context.ts';

/**
 * The additive attention mask: 0 for keys that may be attended to, a large negative number for
 * masked (padded or frame-masked) keys, shaped [B, 1, 1, T] to broadcast over heads and queries.
 * mask: [B, T], 1 where the frame is kept, 0 where not, in the model's dtype.
 *
 * The baseline passed its mask, shaped [B, T, 1], to Keras's Softmax(mask=...) over scores
 * [B, T, T]: that broadcasts along the KEY axis, so it masked query ROWS (a masked frame's row became
 * -1e9 everywhere, i.e. uniform attention after float32 rounding) and never masked any key: real
 * frames attended to padding. Here the keys are masked, which is what the mask was meant for; a
 * masked query still attends normally, and pooling ignores it.
 */
export function attentionBias(ctx: ModelContext, mask: Tensor): Tensor {
  // mask is 1 (kept) or 0: (mask - 1) 1e9 is exactly 0 or -1e9.
  return ctx.graph.scope('attention_bias', () =>
    op.unsqueeze(op.mul(op.sub(toParameterType(ctx, mask), 1), 1e9), [1, 2]),
  );
}

/**
 * The baseline's multi-head self-attention: per head, q/k/v = Dense(units / heads, bias) of x,
 * softmax(q k^T / sqrt(d) + mask) v; heads concatenated; Dense(units, bias).
 *
 * The 3 x heads projections are one fused kernel [units, 3 units] + bias [3 units] (columns: q of
 * heads 0..H-1, then k, then v; head h's Keras Dense(d) kernel is columns h d .. (h + 1) d of its
 * third): one large product instead of 24 small ones, with the same parameter count and each column
 * block initialised with its own Dense layer's Glorot limit sqrt(6 / (units + d)).
 * The projections run on the packed frames (frame-rows.ts); only the attention itself unpacks them.
 * x [R, units] -> [R, units].
 */
export function multiHeadAttention(
  ctx: ModelContext,
  x: Tensor,
  rows: FrameRows,
  bias: Tensor,
  heads: number,
): Tensor {
  const units = x.shape[x.rank - 1];
  if (typeof units !== 'number' || units % heads !== 0) {
    throw new Error(`attention: width ${String(units)} is not a multiple of ${heads} heads`);
  }
  const depth = units / heads;
  return ctx.graph.scope('mha', () => {
    const qkv = rows.unpack(
      dense(ctx, x, { units: 3 * units, name: 'qkv', glorotFanOut: depth }),
      'qkv_frames',
    );
    const [q, k, v] = op.split(qkv, [units, units, units], 2).map((t) => op.reshape(t, [0, 0, heads, depth]));
    const queries = op.transpose(q!, [0, 2, 1, 3]);
    const keysT = op.transpose(k!, [0, 2, 3, 1]);
    const values = op.transpose(v!, [0, 2, 1, 3]);
    // MatMul then Mul by a scalar: onnxruntime fuses the pair into one FusedMatMul (alpha), forward and backward.
    const scaled = op.mul(op.matMul(queries, keysT), 1 / Math.sqrt(depth), { name: 'scores' });
    const scores = op.add(toParameterType(ctx, scaled, 'scores_wide'), bias);
    const weights = toActivationType(ctx, op.softmax(scores, -1, { name: 'attention' }), 'weights');
    const context = op.transpose(op.matMul(weights, values, { name: 'context' }), [0, 2, 1, 3]);
    const merged = rows.pack(op.reshape(context, [0, 0, units]), 'context_rows');
    return dense(ctx, merged, { units, name: 'out' });
  });
}
