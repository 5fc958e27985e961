import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';
import type { FrameRows } from './frame-rows.ts';
import type { ModelContext } from './model-context.ts';
import { parameter } from './parameter.ts';

/**
 * The baseline's positional embedding: a table [frames + 1, units] (initialised to zeros) looked up at
 * int(idx / max(idx over the clip, at least 1) * frames), padding (-1) at row `frames`. Positions are
 * relative to the clip's length, so a short clip spreads over the table like a long one. (A clip's last
 * real frame maps to row `frames` too, the padding row: the baseline does the same.)
 * nonEmptyFrameIdxs float32 [B, T] -> packed frames [R, units].
 */
export function positionalEmbedding(
  ctx: ModelContext,
  nonEmptyFrameIdxs: Tensor,
  rows: FrameRows,
  frames: number,
  units: number,
): Tensor {
  return ctx.graph.scope('positional', () => {
    const table = parameter(ctx, 'table', [frames + 1, units], { kind: 'zeros' });
    const idx = nonEmptyFrameIdxs;
    const longest = op.clamp(op.reduceMax(idx, [1], { keepDims: true }), 1);
    const relative = op.floor(op.mul(op.div(idx, longest), frames));
    const where = op.where(op.equal(idx, -1), frames, relative);
    // int32 indices: every provider gathers with them (the WebGPU one has no int64 arithmetic).
    const position = op.cast(where, 'int32', { name: 'position' });
    return op.gather(table, op.gather(op.reshape(position, [-1]), rows.slots), 0);
  });
}
