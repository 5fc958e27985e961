/**
 * The fused train-step graph (forward, backward and AdamW in one session, an alternative the bench
 * measures) computes what training_model.onnx followed by optimizer_model.onnx computes.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { noiseFeeds } from '../../../../src/batch/onnx/noise/fed-noise.ts';
import { openSession, toOrtTensor } from '../../../../src/batch/onnx/ort-session.ts';
import { graphToBytes } from '../../../../src/batch/onnx/to-model.ts';
import { ARTIFACT_FILES } from '../../../../src/batch/train/artifacts/artifact-files.ts';
import { buildArtifacts } from '../../../../src/batch/train/artifacts/build-artifacts.ts';
import { buildTrainStepGraph } from '../../../../src/batch/train/bench/build-train-step-graph.ts';
import { smallBatch, smallConfig, smallStats } from '../../model/small-model.ts';

describe('fused train-step graph', () => {
  it('equals the training graph followed by the optimizer graph', async () => {
    const config = smallConfig();
    const { models, checkpoint, manifest } = buildArtifacts(config, smallStats(), { seed: 4 });
    const training = await openSession(models[ARTIFACT_FILES.training]!);
    const optimizer = await openSession(models[ARTIFACT_FILES.optimizer]!);
    const { graph } = buildTrainStepGraph(config, smallStats(), { seed: 4 });
    const fused = await openSession(graphToBytes(graph, { parameters: 'inputs' }));

    const batch = smallBatch(config, 6);
    const feeds: Record<string, ort.Tensor> = {
      frames: toOrtTensor(batch.frames),
      non_empty_frame_idxs: toOrtTensor(batch.non_empty_frame_idxs),
      labels: toOrtTensor(batch.labels),
    };
    for (const [k, v] of Object.entries(noiseFeeds(manifest.training.noiseInputs, { batch: 6 }, 3, 9))) {
      feeds[k] = toOrtTensor(v);
    }
    const state: Record<string, ort.Tensor> = {};
    for (const t of [...checkpoint.parameters, ...checkpoint.optimizerState]) {
      const data = Float32Array.from(t.data as Float32Array, (v, i) =>
        t.name.startsWith('adam_v') ? 1e-4 + v : v + 1e-3 * Math.sin(i),
      );
      state[t.name] = new ort.Tensor('float32', data, [...t.shape]);
    }
    const scalars = {
      learning_rate: new ort.Tensor('float32', [2e-3], []),
      weight_decay: new ort.Tensor('float32', [1e-4], []),
      step: new ort.Tensor('float32', [5], []),
    };
    const params = Object.fromEntries(manifest.parameters.map((p) => [p.name, state[p.name]!]));
    const trained = await training.run({ ...feeds, ...params });
    const grads = Object.fromEntries(
      manifest.parameters.map((p) => [`${p.name}_grad`, trained[`${p.name}_grad`]!]),
    );
    const separate = await optimizer.run({ ...scalars, ...state, ...grads });
    const together = await fused.run({ ...feeds, ...state, ...scalars });

    expect(together.loss!.data[0]).toBeCloseTo(trained.loss!.data[0] as number, 6);
    expect(together.global_norm!.data[0]).toBeCloseTo(separate.global_norm!.data[0] as number, 5);
    for (const name of Object.keys(separate)) {
      const a = together[name]!.data as Float32Array;
      const b = separate[name]!.data as Float32Array;
      let worst = 0;
      let scale = 1e-12;
      for (let i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
        scale = Math.max(scale, Math.abs(b[i]!));
      }
      expect(worst / scale, name).toBeLessThan(1e-5);
    }
  });
});
