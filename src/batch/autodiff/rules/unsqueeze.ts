import * as op from '../../onnx/ops/index.ts';
import { normalizeAxis } from '../../onnx/shape.ts';
import { dataToNumbers } from '../../onnx/tensor-data.ts';
import type { GradRule } from '../grad-rule.ts';

/** Unsqueeze's gradient squeezes the inserted axes. */
export const unsqueezeRule: GradRule = {
  differentiable: [0],
  vjp: ({ dy, node, outputs }) => {
    const given = node.inputs[1]?.constantValue;
    if (given === undefined) throw new Error(`${node.name}: unsqueeze axes must be a constant`);
    const rank = outputs[0]!.rank;
    return [
      op.squeeze(
        dy,
        dataToNumbers(given).map((a) => normalizeAxis(a, rank, 'axes')),
      ),
    ];
  },
};
