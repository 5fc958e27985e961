/**
 * Gradients of the operators that move elements without changing them (onnx/ops/movement.ts): each
 * moves dy back, and Expand's is dy itself, summed back over the expanded axes by the engine.
 */
import * as op from '../../onnx/ops/index.ts';
import { normalizeAxis } from '../../onnx/shape.ts';
import { dataToNumbers } from '../../onnx/tensor-data.ts';
import type { GradRule } from '../grad-rule.ts';
import { reshapeTarget } from '../grad-rule.ts';

export const MOVEMENT_RULES: Readonly<Record<string, GradRule>> = {
  Reshape: { differentiable: [0], vjp: ({ dy, input }) => [op.reshape(dy, reshapeTarget(input(0)))] },
  /** Unsqueezes the same axes: no shape needed, unlike a Reshape. */
  Squeeze: {
    differentiable: [0],
    vjp: ({ dy, input, node }) => {
      const x = input(0);
      const given = node.inputs[1]?.constantValue;
      const axes = given
        ? dataToNumbers(given).map((a) => normalizeAxis(a, x.rank, 'axes'))
        : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
      return [op.unsqueeze(dy, axes)];
    },
  },
  Unsqueeze: {
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
  },
  /** Transposes back by the inverse permutation. */
  Transpose: {
    differentiable: 'all',
    vjp: ({ dy, input, attr }) => {
      const rank = input(0).rank;
      const perm = attr.ints(
        'perm',
        Array.from({ length: rank }, (_, i) => rank - 1 - i),
      );
      const inverse = new Array<number>(rank);
      perm.forEach((p, i) => {
        inverse[p] = i;
      });
      return [op.transpose(dy, inverse)];
    },
  },
  Expand: { differentiable: [0], vjp: ({ dy }) => [dy] },
};
