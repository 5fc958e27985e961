import type { Tensor } from '../onnx/tensor.ts';
import { dense } from './dense.ts';
import { dropout } from './dropout.ts';
import { gelu } from './gelu.ts';
import type { FrameRows } from './frame-rows.ts';
import type { ModelContext } from './model-context.ts';

/** The transformer's MLP: Dense(units x ratio, GELU, Glorot) -> Dropout -> Dense(units, He). */
export function mlp(
  ctx: ModelContext,
  x: Tensor,
  ratio: number,
  dropoutRate: number,
  rows?: FrameRows,
): Tensor {
  const units = x.shape[x.rank - 1] as number;
  return ctx.graph.scope('mlp', () => {
    const hidden = gelu(dense(ctx, x, { units: units * ratio, name: 'dense1' }));
    const dropped = dropout(ctx, hidden, dropoutRate, 'dropout', rows);
    return dense(ctx, dropped.x, {
      units,
      name: 'dense2',
      kernelInit: 'he_uniform',
      inputScale: dropped.scale,
    });
  });
}
