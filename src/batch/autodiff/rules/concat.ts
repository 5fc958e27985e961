import * as op from '../../onnx/ops/index.ts';
import { formatShape, normalizeAxis } from '../../onnx/shape.ts';
import type { GradRule } from '../grad-rule.ts';

/**
 * Each input gets its slice of dy along the concat axis. A Slice per wanted input rather than one
 * Split: inputs that need no gradient cost nothing. The offsets must be static.
 */
export const concatRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, inputs, wants, node }) => {
    const first = inputs[0]!;
    const axis = normalizeAxis(node.attr.int('axis'), first.rank, 'axis');
    let offset = 0;
    return inputs.map((t, i) => {
      const d = t!.shape[axis]!;
      if (typeof d !== 'number') {
        if (!wants.slice(i).some(Boolean)) return undefined;
        throw new Error(
          `${node.name}: concat gradient needs a static size on axis ${axis}, ${t!.name}${formatShape(t!.shape)}`,
        );
      }
      const start = offset;
      offset += d;
      return wants[i] ? op.slice(dy, [start], [start + d], [axis]) : undefined;
    });
  },
};
