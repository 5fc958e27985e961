/**
 * End to end: a 2-layer MLP with softmax cross-entropy, built with the builder, differentiated by the
 * engine, run by onnxruntime-node; its gradients match finite differences, and hand-written SGD steps
 * on the returned gradients lower the loss.
 */
import { describe, expect, it } from 'vitest';
import { buildGradientGraph } from '../../../src/batch/autodiff/engine.ts';
import type { FloatDType } from '../../../src/batch/onnx/dtype.ts';
import { Graph } from '../../../src/batch/onnx/graph.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import { createSession, runSession } from '../../../src/batch/onnx/ort-session.ts';
import type { TensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import type { Tensor } from '../../../src/batch/onnx/tensor.ts';
import { gradCheck, randomData, rng } from './gradcheck.ts';

const FEATURES = 6;
const HIDDEN = 16;
const CLASSES = 3;

function dense(g: Graph, x: Tensor, units: number, seed: number): Tensor {
  const fanIn = x.shape[x.rank - 1] as number;
  const limit = Math.sqrt(6 / (fanIn + units));
  const kernel = g.parameter(
    'kernel',
    randomData(x.dtype as FloatDType, [fanIn, units], rng(seed), [-limit, limit]),
  );
  const bias = g.parameter('bias', tensorData(x.dtype, new Array<number>(units).fill(0)));
  return op.add(op.matMul(x, kernel), bias);
}

/** Mean softmax cross-entropy; one-hot via Equal(labels, Range) so float64 works (OneHot is float32). */
function buildMlp(dtype: FloatDType): Graph {
  const g = new Graph({ name: 'mlp' });
  const x = g.input('x', dtype, ['batch', FEATURES]);
  const labels = g.input('labels', 'int64', ['batch']);
  const h = g.scope('layer0', () => op.tanh(dense(g, x, HIDDEN, 1)));
  const logits = g.scope('layer1', () => dense(g, h, CLASSES, 2));
  const classes = op.range(g, 0, CLASSES, 1);
  const target = op.cast(op.equal(op.unsqueeze(labels, [1]), classes), dtype, { name: 'target' });
  const nll = op.neg(op.reduceSum(op.mul(target, op.logSoftmax(logits)), [1]));
  g.output(op.reduceMean(nll), 'loss');
  g.output(logits, 'logits');
  return g;
}

function batch(dtype: FloatDType, n: number): Record<string, TensorData> {
  const random = rng(99);
  const labels = Array.from({ length: n }, (_, i) => i % CLASSES);
  // Class-dependent means make the task learnable.
  const x = labels.flatMap((c) =>
    Array.from({ length: FEATURES }, (_, j) => (j % CLASSES === c ? 1 : -0.5) + 0.3 * (random() - 0.5)),
  );
  return { x: tensorData(dtype, x, [n, FEATURES]), labels: tensorData('int64', labels) };
}

describe('2-layer MLP with softmax cross-entropy', () => {
  it('has gradients that match finite differences (float64, whole graph)', async () => {
    const g = buildMlp('float64');
    const report = await gradCheck({
      graph: g,
      output: g.tensor('loss'),
      feeds: batch('float64', 5),
      wrt: g.parameters.map((p) => p.name),
    });
    expect(report.maxError).toBeLessThan(1e-5);
  });

  it('learns: SGD steps on the engine gradients lower the loss', async () => {
    const forward = buildMlp('float32');
    const names = forward.parameters.map((p) => p.name);
    expect(names).toEqual(['layer0/kernel', 'layer0/bias', 'layer1/kernel', 'layer1/bias']);
    const { graph } = buildGradientGraph(forward, { loss: 'loss', wrt: names });
    expect(graph.outputs.map((t) => t.name)).toEqual(['loss', 'logits', ...names.map((n) => `${n}_grad`)]);
    const session = await createSession(graph, { parameters: 'inputs' });

    const params = forward.parameterValues();
    const data = batch('float32', 24);
    const losses: number[] = [];
    for (let step = 0; step < 20; step++) {
      const r = await runSession(session, { ...data, ...params });
      losses.push(Number(r.loss!.data[0]));
      for (const name of names) {
        const w = params[name]!.data as Float32Array;
        const grad = r[`${name}_grad`]!.data as Float32Array;
        params[name] = tensorData(
          'float32',
          w.map((v, i) => v - 0.5 * grad[i]!),
          params[name]!.dims,
        );
      }
    }
    expect(losses[1]!).toBeLessThan(losses[0]!);
    expect(losses[losses.length - 1]!).toBeLessThan(0.5 * losses[0]!);
    await session.release();
  });
});
