import * as op from '../../onnx/ops/index.ts';
import { isStatic, normalizeAxis } from '../../onnx/shape.ts';
import type { GradRule } from '../grad-rule.ts';

/**
 * Scatter-add dy into zeros shaped like the data (ScatterND with reduction 'add', so repeated indices
 * accumulate). Gather along axis a is turned into one along axis 0 by moving the index dims of dy to
 * the front and, after the scatter, axis 0 back to position a.
 */
export const gatherRule: GradRule = {
  differentiable: [0],
  vjp: ({ dy, input, node }) => {
    const data = input(0);
    const indices = input(1);
    const axis = normalizeAxis(node.attr.int('axis', 0), data.rank, 'axis');
    const ri = indices.rank;
    const idx = op.unsqueeze(indices.dtype === 'int64' ? indices : op.cast(indices, 'int64'), [-1]);
    if (axis === 0) {
      const zeros = op.constantOfShape(op.shapeOf(data), 0, data.dtype, { name: 'zeros' });
      return [op.scatterND(zeros, idx, dy, 'add')];
    }
    // dy is data[:a] + indices.shape + data[a+1:]; bring the index block to the front.
    const front = Array.from({ length: ri }, (_, k) => axis + k);
    const before = Array.from({ length: axis }, (_, k) => k);
    const after = Array.from({ length: dy.rank - axis - ri }, (_, k) => axis + ri + k);
    const dyFront = op.transpose(dy, [...front, ...before, ...after]);
    const permData = [axis, ...data.shape.map((_, k) => k).filter((k) => k !== axis)];
    const permShape = permData.map((k) => data.shape[k]!);
    const target = isStatic(permShape)
      ? data.graph.ints(permShape)
      : op.gather(op.shapeOf(data), data.graph.ints(permData));
    const zeros = op.constantOfShape(target, 0, data.dtype, { name: 'zeros' });
    const scattered = op.scatterND(zeros, idx, dyFront, 'add');
    const back = data.shape.map((_, k) => (k < axis ? k + 1 : k === axis ? 0 : k));
    return [op.transpose(scattered, back)];
  },
};
