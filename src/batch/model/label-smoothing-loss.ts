import * as op from '../onnx/ops/index.ts';
import type { Graph } from '../onnx/graph.ts';
import { tensorData } from '../onnx/tensor-data.ts';
import type { Tensor } from '../onnx/tensor.ts';

/**
 * Keras categorical cross-entropy with label smoothing on integer labels, averaged over the batch:
 * the target is (1 - s) one_hot + s / C, and the loss per sample -sum_c target_c log p_c. Computed from
 * logits with LogSoftmax (Keras clips probabilities to [1e-7, 1 - 1e-7] instead: identical unless a
 * probability falls below 1e-7). The one-hot is Cast(Equal(labels, Range)) rather than OneHot, which
 * has no double kernel in onnxruntime.
 * logits [B, C], labels int64 [B] -> float scalar.
 */
export function labelSmoothingLoss(logits: Tensor, labels: Tensor, smoothing: number): Tensor {
  const classes = logits.shape[logits.rank - 1];
  if (typeof classes !== 'number')
    throw new Error(`loss: logits ${logits.toString()} need a static class dim`);
  return logits.graph.scope('loss', () => {
    const oneHot = op.equal(op.unsqueeze(labels, [1]), classIds(logits.graph, classes), { name: 'one_hot' });
    const target = op.add(op.mul(op.cast(oneHot, logits.dtype), 1 - smoothing), smoothing / classes, {
      name: 'target',
    });
    const perSample = op.neg(op.reduceSum(op.mul(target, op.logSoftmax(logits)), [1]));
    return op.reduceMean(perSample, undefined, { name: 'mean' });
  });
}

/**
 * The smallest value the loss can take: the entropy of the smoothed target, reached when the model
 * predicts the target distribution itself (a = 1 - s + s / C on the label, b = s / C elsewhere).
 */
export function labelSmoothingFloor(classes: number, smoothing: number): number {
  const a = 1 - smoothing + smoothing / classes;
  const b = smoothing / classes;
  const term = (p: number) => (p > 0 ? p * Math.log(p) : 0);
  return -(term(a) + (classes - 1) * term(b));
}

function classIds(g: Graph, classes: number): Tensor {
  return g.constant(
    tensorData(
      'int64',
      Array.from({ length: classes }, (_, i) => i),
    ),
    'class_ids',
  );
}
