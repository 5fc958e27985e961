/**
 * The one broadcasting helper every rule uses: sum a gradient over the axes along which `like` was
 * broadcast in the forward pass, so that it gets `like`'s shape back.
 */
import * as op from '../onnx/ops/index.ts';
import { formatShape } from '../onnx/shape.ts';
import type { Tensor } from '../onnx/tensor.ts';

export function unbroadcast(grad: Tensor, like: Tensor): Tensor {
  const gs = grad.shape;
  const xs = like.shape;
  const lead = gs.length - xs.length;
  const fail = (why: string): never => {
    throw new Error(
      `unbroadcast of ${grad.name}${formatShape(gs)} to ${like.name}${formatShape(xs)}: ${why}`,
    );
  };
  if (lead < 0) fail('the gradient has lower rank than the input');
  const leading = Array.from({ length: lead }, (_, i) => i);
  const kept: number[] = [];
  xs.forEach((x, i) => {
    const g = gs[lead + i]!;
    if (x === g && x !== null) return;
    if (x === 1) {
      if (g !== 1) kept.push(lead + i);
      return;
    }
    if (g === 1) fail(`axis ${i} grew from 1 to ${String(x)}`);
    if (x === null) fail(`axis ${i} of the input has an unknown size: cannot tell whether it was broadcast`);
    if (g !== null) fail(`axis ${i}: ${String(x)} vs ${String(g)}`);
  });
  if (leading.length === 0 && kept.length === 0) return grad;
  if (kept.length === 0) return op.reduceSum(grad, leading, { name: 'unbroadcast' });
  const summed = op.reduceSum(grad, [...leading, ...kept], { keepDims: true, name: 'unbroadcast' });
  return leading.length === 0 ? summed : op.squeeze(summed, leading, { name: 'unbroadcast' });
}
