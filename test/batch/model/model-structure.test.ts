/** The model as built (not run): the baseline's parameter count, names, initialisation and noise inputs. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/batch/model/config/resolve-config.ts';
import { buildModel } from '../../../src/batch/model/signcast-model.ts';
import type { Tensor } from '../../../src/batch/onnx/tensor.ts';
import { neutralStats } from '../../../src/shared/preprocess/neutral-stats.ts';

const count = (p: Tensor) => p.shape.reduce<number>((a, b) => a * (b as number), 1);

describe('the baseline model', () => {
  const config = resolveConfig('baseline');
  const { graph, noise } = buildModel(config.model, neutralStats(), { mode: 'train', seed: 42 });
  const params = new Map(graph.parameters.map((p) => [p.name, p]));

  it('has the baseline reported 5,315,965 parameters, counted from the graph', () => {
    expect(graph.parameters.reduce((n, p) => n + count(p), 0)).toBe(5_315_965);
  });

  it('names and shapes parameters by block, with the q/k/v projections fused', () => {
    expect(params.get('block0/mha/qkv/kernel')!.shape).toEqual([512, 1536]);
    expect(params.get('block1/mha/qkv/bias')!.shape).toEqual([1536]);
    expect(params.get('embedding/positional/table')!.shape).toEqual([65, 512]);
    expect(params.get('embedding/hand/dense1/kernel')!.shape).toEqual([42, 384]);
    expect(params.get('embedding/landmark_weights')!.shape).toEqual([3]);
    expect(params.get('head/classifier/kernel')!.shape).toEqual([512, 250]);
    expect(graph.parameters).toHaveLength(31);
  });

  it('initialises like Keras: per-head Glorot limit for q/k/v, He for second dense layers, zeros elsewhere', () => {
    const values = graph.parameterValues();
    const maxAbs = (name: string) =>
      (values[name]!.data as Float32Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const glorotHead = Math.sqrt(6 / (512 + 64));
    expect(maxAbs('block0/mha/qkv/kernel')).toBeLessThanOrEqual(glorotHead);
    expect(maxAbs('block0/mha/qkv/kernel')).toBeGreaterThan(0.99 * glorotHead);
    const he = Math.sqrt(6 / 1024);
    expect(maxAbs('block0/mlp/dense2/kernel')).toBeLessThanOrEqual(he);
    expect(maxAbs('block0/mlp/dense2/kernel')).toBeGreaterThan(0.99 * he);
    for (const zero of ['embedding/positional/table', 'embedding/lips/empty', 'block0/mha/qkv/bias']) {
      expect(maxAbs(zero)).toBe(0);
    }
  });

  it('initial values depend on the seed and on the parameter name only', () => {
    const small = resolveConfig('baseline', ['units=16', 'heads=2', 'landmark_units=8', 'blocks=1']).model;
    const bigger = { ...small, blocks: 2 };
    const values = (model: typeof small, seed: number) =>
      buildModel(model, neutralStats(), { mode: 'eval', seed }).graph.parameterValues();
    const name = 'block0/mlp/dense1/kernel';
    const first = values(small, 42)[name]!.data;
    expect(values(bigger, 42)[name]!.data).toEqual(first);
    expect(values(small, 43)[name]!.data).not.toEqual(first);
  });

  it('draws dropout from noise streams numbered after the host frame mask, none in eval and inference graphs', () => {
    expect(noise!.streams.map((n) => [n.name, n.shape, n.counters])).toEqual([
      ['noise/1', ['active_rows', 1024], 'rows'],
      ['noise/2', ['active_rows', 1024], 'rows'],
      ['noise/3', ['batch', 512], 'dense'],
    ]);
    const drawn = buildModel(config.model, neutralStats(), { mode: 'train', seed: 1, noise: 'graph' }).noise!;
    expect(drawn.streams.map((n) => n.name)).toEqual(['noise_key/1', 'noise_key/2', 'noise_key/3']);
    const packed = [
      'packed_frames',
      'frame_slots',
      'slot_rows',
      'frame_mask',
      'non_empty_frame_idxs',
      'labels',
    ];
    for (const mode of ['eval', 'inference'] as const) {
      const g = buildModel(config.model, neutralStats(), { mode, seed: 1 }).graph;
      expect(g.inputs.map((t) => t.name)).toEqual(
        mode === 'eval' ? packed : ['frames', 'non_empty_frame_idxs'],
      );
    }
  });
});
