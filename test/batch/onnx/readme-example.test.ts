/** The worked example of src/batch/onnx/README.md, kept runnable. */
import { expect, it } from 'vitest';
import { buildGradientGraph } from '../../../src/batch/autodiff/engine.ts';
import { Graph } from '../../../src/batch/onnx/graph.ts';
import { noiseFeeds, noiseSource } from '../../../src/batch/onnx/noise/noise-source.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import { createSession, runSession } from '../../../src/batch/onnx/ort-session.ts';
import { streamKey } from '../../../src/batch/random/counter-hash.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import type { Tensor } from '../../../src/batch/onnx/tensor.ts';

it('README: build, differentiate, run', async () => {
  const g = new Graph({ name: 'classifier' });
  const x = g.input('x', 'float32', ['batch', 4]);
  const labels = g.input('labels', 'int64', ['batch']);
  const noise = noiseSource(g, 'fed'); // or 'graph': drawn in the graph from a key

  const dense = (input: Tensor, units: number): Tensor => {
    const fanIn = input.shape[input.rank - 1] as number;
    const kernel = g.parameter(
      'kernel',
      tensorData('float32', new Float32Array(fanIn * units).fill(0.1), [fanIn, units]),
    );
    return op.matMul(input, kernel);
  };
  const h = g.scope('hidden', () => op.gelu(dense(x, 8)));
  const dropped = op.where(noise.keepMask(h, 0.9), op.div(h, 0.9), 0);
  const logits = g.scope('head', () => dense(dropped, 3));
  const target = op.oneHot(labels, 3);
  const loss = op.reduceMean(op.neg(op.reduceSum(op.mul(target, op.logSoftmax(logits)), [-1])));
  g.output(loss, 'loss');
  g.output(logits, 'logits');

  const { graph } = buildGradientGraph(g, { loss: 'loss', wrt: g.parameters });
  expect(graph.outputs.map((t) => t.name)).toEqual([
    'loss',
    'logits',
    'hidden/kernel_grad',
    'head/kernel_grad',
  ]);

  const session = await createSession(graph, { parameters: 'inputs' });
  const feeds = {
    x: tensorData('float32', [1, 2, 3, 4, 4, 3, 2, 1], [2, 4]),
    labels: tensorData('int64', [0, 2]),
    ...noiseFeeds(noise.streams, { batch: 2 }, (stream) => streamKey(/* seed */ 1, /* step */ 0, stream)),
    ...g.parameterValues(),
  };
  const out = await runSession(session, feeds);
  expect(out['head/kernel_grad']!.dims).toEqual([8, 3]);
  expect(Number(out.loss!.data[0])).toBeCloseTo(Math.log(3), 5);
});
