import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';
import type { ModelConfig } from './config/config-schema.ts';
import type { FrameRows } from './frame-rows.ts';
import type { ModelContext } from './model-context.ts';
import { mlp } from './mlp.ts';
import { multiHeadAttention } from './multi-head-attention.ts';

/** The baseline's block, residuals without normalisation: x + MHA(x), then + MLP(.). x: packed frames [R, units]. */
export function transformerBlock(
  ctx: ModelContext,
  x: Tensor,
  rows: FrameRows,
  attentionBias: Tensor,
  config: ModelConfig,
  index: number,
): Tensor {
  return ctx.graph.scope(`block${index}`, () => {
    const attended = op.add(x, multiHeadAttention(ctx, x, rows, attentionBias, config.heads), {
      name: 'residual1',
    });
    return op.add(attended, mlp(ctx, attended, config.mlp_ratio, config.mlp_dropout, rows), {
      name: 'residual2',
    });
  });
}
