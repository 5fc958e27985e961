import * as op from '../onnx/ops/index.ts';
import type { Graph } from '../onnx/graph.ts';
import { tensorData } from '../onnx/tensor-data.ts';
import type { Tensor } from '../onnx/tensor.ts';

/**
 * Keras categorical cross-entropy with label smoothing on integer labels, averaged over the batch:
 * the target is (1 - s) one_hot + s / C, and the loss per sample -sum_c target_c log p_c. Computed from
 * logits as a log-softmax (Keras clips probabilities to [1e-7, 1 - 1e-7] instead: identical unless a
 * probability falls below 1e-7), written out as x - max - log(sum(exp(x - max))) because onnxruntime's
 * WebGPU provider has no LogSoftmax kernel. The one-hot is Cast(Equal(labels, class ids)) rather than
 * OneHot, which has no double kernel in onnxruntime.
 * logits [B, C], labels int32 [B] -> float scalar.
 */
export function labelSmoothingLoss(logits: Tensor, labels: Tensor, smoothing: number): Tensor {
  const classes = staticClasses(logits);
  return logits.graph.scope('loss', () => {
    const target = op.add(
      op.mul(op.cast(oneHot(labels, classes), logits.dtype), 1 - smoothing),
      smoothing / classes,
      {
        name: 'target',
      },
    );
    const perSample = op.neg(op.reduceSum(op.mul(target, logSoftmax(logits)), [1]));
    return op.reduceMean(perSample, undefined, { name: 'mean' });
  });
}

/**
 * How many rows have their label among the top k scores, for each k: float32 [ks.length]. Top 1 is
 * the argmax (the first class with the highest score, as Keras' accuracy takes it); top k > 1 counts a
 * label when fewer than k classes score strictly higher (Keras' in_top_k, ties in the label's favour):
 * the rules of train/metrics/label-rank.ts, on the device, so logits need not leave it.
 * logits [B, C], labels int32 [B].
 */
export function topKHits(logits: Tensor, labels: Tensor, ks: readonly number[]): Tensor {
  const classes = staticClasses(logits);
  return logits.graph.scope('hits', () => {
    const isLabel = oneHot(labels, classes);
    const labelScore = op.reduceSum(op.mul(logits, op.cast(isLabel, logits.dtype)), [1], { keepDims: true });
    const count = (t: Tensor) => op.reduceSum(op.cast(t, 'float32'), [1]);
    const above = count(op.greater(logits, labelScore));
    // Classes before the label scoring as high as it: argmax would pick one of them instead.
    const before = op.less(classIds(logits.graph, classes), op.unsqueeze(labels, [1]));
    const tiedBefore = count(op.and(before, op.equal(logits, labelScore)));
    const hits = ks.map((k) => {
      const inTop = op.less(above, k);
      const hit = k === 1 ? op.and(inTop, op.equal(tiedBefore, 0)) : inTop;
      return op.reduceSum(op.cast(hit, 'float32'), [0], { keepDims: true });
    });
    return op.concat(hits, 0, { name: 'counts' });
  });
}

function staticClasses(logits: Tensor): number {
  const classes = logits.shape[logits.rank - 1];
  if (typeof classes !== 'number') throw new Error(`logits ${logits.toString()} need a static class dim`);
  return classes;
}

function oneHot(labels: Tensor, classes: number): Tensor {
  if (labels.dtype !== 'int32' && labels.dtype !== 'int64')
    throw new Error(`labels ${labels.toString()} must be integers`);
  return op.equal(op.unsqueeze(labels, [1]), classIds(labels.graph, classes, labels.dtype), {
    name: 'one_hot',
  });
}

function logSoftmax(x: Tensor): Tensor {
  const shifted = op.sub(x, op.reduceMax(x, [1], { keepDims: true }), { name: 'shifted' });
  return op.sub(shifted, op.log(op.reduceSum(op.exp(shifted), [1], { keepDims: true })), {
    name: 'log_softmax',
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

function classIds(g: Graph, classes: number, dtype: 'int32' | 'int64' = 'int32'): Tensor {
  return g.constant(
    tensorData(
      dtype,
      Array.from({ length: classes }, (_, i) => i),
    ),
  );
}
