/**
 * The artifacts learn: train_step_model.onnx (forward, backward and AdamW: what the trainer runs),
 * stepped in a loop on one fixed batch, drive the loss down to the floor that label smoothing sets. With smoothing s over C classes
 * the target puts a = 1 - s + s/C on the label and b = s/C elsewhere; cross-entropy against it is at
 * least its entropy, -(a ln a + (C - 1) b ln b) = 0.7777 for s = 0.25, C = 5, reached only by
 * predicting exactly the target. Randomness is off so the loss is a fixed function being minimised.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { labelSmoothingFloor } from '../../../../src/batch/model/label-smoothing-loss.ts';
import { openSession, toOrtTensor } from '../../../../src/batch/onnx/ort-session.ts';
import { ARTIFACT_FILES } from '../../../../src/batch/train/artifacts/artifact-files.ts';
import { buildArtifacts } from '../../../../src/batch/train/artifacts/build-artifacts.ts';
import { adamWConstants, adamWStepScalars } from '../../../../src/batch/train/optimizer/adamw-update.ts';
import { NO_RANDOMNESS, smallBatch, smallConfig, smallPacked, smallStats } from '../../model/small-model.ts';

describe('training on one fixed batch', () => {
  it('drives the loss to within 0.005 of the label-smoothing floor', async () => {
    const config = smallConfig(...NO_RANDOMNESS);
    const { models, checkpoint, manifest } = buildArtifacts(config, smallStats(), { seed: 1 });
    const session = await openSession(models[ARTIFACT_FILES.trainStep]!);
    const batchFeeds = Object.fromEntries(
      Object.entries(smallPacked(config, smallBatch(config, 10)).feeds).map(([k, v]) => [k, toOrtTensor(v)]),
    );
    const state: Record<string, ort.Tensor> = {};
    for (const t of [...checkpoint.parameters, ...checkpoint.optimizerState]) {
      state[t.name] = new ort.Tensor('float32', t.data as Float32Array, [...t.shape]);
    }
    const floor = labelSmoothingFloor(config.model.classes, config.model.label_smoothing);
    expect(floor).toBeCloseTo(0.7777, 4);

    const losses: number[] = [];
    for (let step = 1; step <= 150; step++) {
      const scalars = adamWStepScalars(step, 3e-3, 0, adamWConstants(config.train));
      const out = await session.run({
        ...batchFeeds,
        ...state,
        step_size: new ort.Tensor('float32', [scalars.stepSize], []),
        decay: new ort.Tensor('float32', [scalars.decay], []),
      });
      losses.push(out.loss!.data[0] as number);
      for (const p of manifest.parameters) {
        for (const name of [p.name, `adam_m.${p.name}`, `adam_v.${p.name}`])
          state[name] = out[`${name}.new`]!;
      }
    }
    expect(losses[0]!).toBeGreaterThan(floor + 0.5);
    const last = losses[losses.length - 1]!;
    expect(last).toBeGreaterThanOrEqual(floor - 1e-4);
    expect(last).toBeLessThan(floor + 0.005);
    await session.release();
  });
});
