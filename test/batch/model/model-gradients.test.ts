/**
 * The whole model's gradients, from the autodiff engine's backward graph, against central finite
 * differences of the forward graph, both run in onnxruntime-node (test/batch/autodiff/gradcheck.ts).
 *
 * float64 build at toy sizes, in training mode with dropout and frame masking active (the batch
 * packed with frame masking on the host, dropout draws fed as fixed inputs, so the function is
 * deterministic): every parameter tensor is checked, the
 * large ones on a random sample of coordinates, the sparse ones (empty vectors, landmark weights,
 * the positional table, whose gradients are non-zero only where a frame uses them) on every
 * coordinate. onnxruntime has no double kernel for Erf/Gelu, so the float64 build uses the tanh form
 * of GELU (gelu.ts); the exact form's rule has its own float32 check in the rule tests.
 */
import { describe, expect, it } from 'vitest';
import { buildGradientGraph } from '../../../src/batch/autodiff/engine.ts';
import { buildModel } from '../../../src/batch/model/signcast-model.ts';
import { createSession, runSession } from '../../../src/batch/onnx/ort-session.ts';
import type { TensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { gradCheck } from '../autodiff/gradcheck.ts';
import { smallBatch, smallConfig, smallStats, smallTrainFeeds } from './small-model.ts';

const BATCH = 4;
const isSparse = (name: string) => /\/empty$|landmark_weights$|positional\/table$/.test(name);

describe('whole-model gradients (float64, toy sizes, training mode)', () => {
  const config = smallConfig();
  const model = buildModel(config.model, smallStats(), { mode: 'train', seed: 3, dtype: 'float64' });
  const g = model.graph;
  const feeds: Record<string, TensorData> = smallTrainFeeds(
    config,
    smallBatch(config, BATCH),
    model.noise!.streams,
    11,
    2,
  );
  const names = g.parameters.map((p) => p.name);

  it('builds every parameter into the loss, each with a non-zero gradient on this batch', async () => {
    expect(model.noise!.streams.length).toBe(3); // 2 MLP dropouts, classifier dropout (frame masking: host)
    const { graph } = buildGradientGraph(g, { loss: 'loss', wrt: names });
    const session = await createSession(graph, { parameters: 'inputs' });
    const out = await runSession(session, { ...feeds, ...g.parameterValues() });
    await session.release();
    for (const name of names) {
      const grad = Array.from(out[`${name}_grad`]!.data as Float64Array);
      expect(
        grad.some((v) => v !== 0),
        `${name}_grad is all zeros`,
      ).toBe(true);
    }
  });

  it('matches central differences on a sample of every large tensor', async () => {
    const report = await gradCheck({
      graph: g,
      output: g.tensor('loss'),
      feeds,
      wrt: names.filter((n) => !isSparse(n)),
      maxElements: 8,
    });
    for (const [name, error] of Object.entries(report.errors)) expect(error, name).toBeLessThan(1e-5);
  });

  it('matches central differences on every coordinate of the sparse tensors', async () => {
    const sparse = names.filter(isSparse);
    expect(sparse.length).toBe(5);
    const report = await gradCheck({ graph: g, output: g.tensor('loss'), feeds, wrt: sparse });
    for (const [name, error] of Object.entries(report.errors)) expect(error, name).toBeLessThan(1e-5);
  });
});
