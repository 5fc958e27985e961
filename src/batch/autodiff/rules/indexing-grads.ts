/** Gradients of the operators that take tensors apart or put them together (onnx/ops/indexing.ts). */
import * as op from '../../onnx/ops/index.ts';
import { resolveSlice, sliceRanges } from '../../onnx/ops/indexing.ts';
import { formatShape, isStatic, normalizeAxis } from '../../onnx/shape.ts';
import { dataToNumbers } from '../../onnx/tensor-data.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import type { GradRule } from '../grad-rule.ts';

/**
 * Scatter-add dy into zeros shaped like the data (ScatterND with reduction 'add', so repeated indices
 * accumulate). Gather along axis a is turned into one along axis 0 by moving the index dims of dy to
 * the front and, after the scatter, axis 0 back to position a. A float16 dy is accumulated in float32:
 * neither onnxruntime's CPU nor its WebGPU provider has a float16 ScatterND with reduction 'add'.
 */
function scatterAdd(shape: Tensor, indices: Tensor, dy: Tensor): Tensor {
  const wide = dy.dtype === 'float16';
  const updates = wide ? op.cast(dy, 'float32') : dy;
  const zeros = op.zeros(shape, updates.dtype, { name: 'zeros' });
  const sum = op.scatterND(zeros, indices, updates, 'add');
  return wide ? op.cast(sum, 'float16') : sum;
}

const gatherRule: GradRule = {
  differentiable: [0],
  vjp: ({ dy, input, node }) => {
    const data = input(0);
    const indices = input(1);
    const axis = normalizeAxis(node.attr.int('axis', 0), data.rank, 'axis');
    const ri = indices.rank;
    // Unsqueeze before widening to int64: the WebGPU provider runs int32 Unsqueeze but places an int64
    // one on the CPU, which would send the indices down and back up.
    const idx =
      indices.dtype === 'int64' ? op.unsqueeze(indices, [-1]) : op.cast(op.unsqueeze(indices, [-1]), 'int64');
    if (axis === 0) return [scatterAdd(op.shapeOf(data), idx, dy)];
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
    const scattered = scatterAdd(target, idx, dyFront);
    const back = data.shape.map((_, k) => (k < axis ? k + 1 : k === axis ? 0 : k));
    return [op.transpose(scattered, back)];
  },
};

export const INDEXING_RULES: Readonly<Record<string, GradRule>> = {
  /** Zero-pads dy back to the input's extent on the sliced axes (unit steps, static sliced dims). */
  Slice: {
    differentiable: [0],
    vjp: ({ dy, input, node }) => {
      const x = input(0);
      const ints = (i: number) => {
        const c = node.inputs[i]?.constantValue;
        return c === undefined ? undefined : dataToNumbers(c);
      };
      const ranges = sliceRanges(x.rank, ints(1)!, ints(2)!, ints(3), ints(4));
      const axes: number[] = [];
      const begin: number[] = [];
      const end: number[] = [];
      for (const [axis, r] of ranges) {
        const d = x.shape[axis];
        if (typeof d !== 'number')
          throw new Error(`${node.name}: slice gradient needs static dims on sliced axes`);
        if (r.step !== 1) throw new Error(`${node.name}: slice gradient supports unit steps only`);
        const { first, count } = resolveSlice(d, r);
        axes.push(axis);
        begin.push(first);
        end.push(d - first - count);
      }
      if (begin.every((b) => b === 0) && end.every((e) => e === 0)) return [dy];
      return [op.pad(dy, axes, begin, end)];
    },
  },
  /**
   * Each input gets its slice of dy along the concat axis. A Slice per wanted input rather than one
   * Split: inputs that need no gradient cost nothing. The offsets must be static.
   */
  Concat: {
    differentiable: 'all',
    vjp: ({ dy, inputs, wants, node }) => {
      const axis = normalizeAxis(node.attr.int('axis'), inputs[0]!.rank, 'axis');
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
  },
  /** Concatenates the output gradients back, with zeros for outputs no gradient reached. */
  Split: {
    differentiable: [0],
    vjp: ({ outputGrads, outputs, input, node }) => {
      const axis = normalizeAxis(node.attr.int('axis', 0), input(0).rank, 'axis');
      const parts = outputs.map(
        (y, i) => outputGrads[i] ?? op.zeros(op.shapeOf(y), y.dtype, { name: 'zeros' }),
      );
      return [op.concat(parts, axis)];
    },
  },
  Gather: gatherRule,
};
