/**
 * What the blocks compute, observed through intermediate tensors of the real graph run in
 * onnxruntime-node: input normalisation, empty-group embeddings, positional indices, random frame
 * masking with its fallback (on the host), packing on the host equal to packing in the graph, and
 * attention that ignores masked keys.
 */
import { describe, expect, it } from 'vitest';
import type { ModelMode } from '../../../src/batch/model/signcast-model.ts';
import { buildModel } from '../../../src/batch/model/signcast-model.ts';
import { FramePacker } from '../../../src/batch/model/frame-packing.ts';
import { draw16, keepThreshold16 } from '../../../src/batch/random/counter-hash.ts';
import { createSession, runSession } from '../../../src/batch/onnx/ort-session.ts';
import type { TensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { GROUPS } from '../../../src/shared/preprocess/constants.ts';
import { smallBatch, smallClips, smallConfig, smallPacked, smallStats } from './small-model.ts';

const config = smallConfig();
const stats = smallStats();
const T = config.model.frames;
const BATCH = 4;

/** Run a model with some intermediate tensors as extra outputs. */
async function run(
  mode: ModelMode,
  feeds: Record<string, TensorData>,
  probes: readonly string[],
  values?: Record<string, TensorData>,
): Promise<Record<string, TensorData>> {
  const model = buildModel(config.model, stats, {
    mode,
    seed: 9,
    ...(values ? { values: new Map(Object.entries(values)) } : {}),
  });
  for (const name of probes) model.graph.output(model.graph.tensor(name));
  const session = await createSession(model.graph);
  const inputs = new Set(session.inputNames);
  const out = await runSession(
    session,
    Object.fromEntries(Object.entries(feeds).filter(([k]) => inputs.has(k))),
  );
  await session.release();
  return out;
}

const numbers = (t: TensorData) => Array.from(t.data as ArrayLike<number | bigint>, Number);

const maxAbsDiff = (a: readonly number[], b: readonly number[]) =>
  Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): enough for a 1e-4 comparison. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return x >= 0 ? y : -y;
}
const gelu = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2));

describe('model blocks', () => {
  const batch = smallBatch(config, BATCH);
  // The inference graph packs the real frames in batch-major order: (b, t)'s row among them.
  const real = numbers(batch.non_empty_frame_idxs).map((i) => i !== -1);
  const rowOf = (b: number, t: number) => real.slice(0, b * T + t).filter(Boolean).length;

  it('normalises x and y per point with the statistics, leaving zeros at zero', async () => {
    const out = await run('inference', { ...batch }, ['normalize/hand']);
    const hand = numbers(out['normalize/hand']!);
    const frames = batch.frames.data as Float32Array;
    const { start, count } = GROUPS.hand;
    let zeros = 0;
    expect(hand.length).toBe(real.filter(Boolean).length * count * 2);
    for (let b = 0; b < BATCH; b++) {
      for (let t = 0; t < T; t++) {
        if (!real[b * T + t]) continue;
        for (let p = 0; p < count; p++) {
          for (let c = 0; c < 2; c++) {
            const v = frames[((b * T + t) * 66 + start + p) * 3 + c]!;
            const expected =
              v === 0 ? 0 : (v - stats.groups.hand.mean[p]![c]!) / stats.groups.hand.std[p]![c]!;
            const got = hand[(rowOf(b, t) * count + p) * 2 + c]!;
            expect(Math.abs(got - expected)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)));
            if (v === 0) zeros++;
          }
        }
      }
    }
    expect(zeros).toBeGreaterThan(0);
  });

  it('embeds each group as Dense2(GELU(Dense1(x))) or, where the group is missing, its empty vector, then mixes them by softmax weights', async () => {
    const model = buildModel(config.model, stats, { mode: 'inference', seed: 9 });
    const values = model.graph.parameterValues();
    const U = config.model.landmark_units;
    const empty = Float32Array.from({ length: U }, (_, i) => 0.5 + i);
    values['embedding/hand/empty'] = tensorData('float32', empty, [U]);
    values['embedding/pose/empty'] = tensorData(
      'float32',
      empty.map((v) => -v),
      [U],
    );
    const logits = [0.3, Math.log(2) + 0.3, 0.3]; // softmax: 1/4, 1/2, 1/4
    values['embedding/landmark_weights'] = tensorData('float32', logits, [3]);
    const out = await run(
      'inference',
      { ...batch },
      ['embedding/merged', 'normalize/lips', 'normalize/hand', 'normalize/pose'],
      values,
    );
    const merged = numbers(out['embedding/merged']!);
    expect(merged.length).toBe(real.filter(Boolean).length * U);
    const at = (b: number, t: number) => merged.slice(rowOf(b, t) * U, (rowOf(b, t) + 1) * U);
    const weights = { lips: 0.25, hand: 0.5, pose: 0.25 };

    // The reference: each group through its two dense layers (exact GELU), weighted and summed.
    const embed = (group: 'lips' | 'hand' | 'pose', b: number, t: number) => {
      const x = numbers(out[`normalize/${group}`]!);
      const f = GROUPS[group].count * 2;
      const row = x.slice(rowOf(b, t) * f, (rowOf(b, t) + 1) * f);
      const w1 = numbers(values[`embedding/${group}/dense1/kernel`]!);
      const w2 = numbers(values[`embedding/${group}/dense2/kernel`]!);
      const h = Array.from({ length: U }, (_, j) => gelu(row.reduce((s, v, k) => s + v * w1[k * U + j]!, 0)));
      return Array.from({ length: U }, (_, j) => h.reduce((s, v, k) => s + v * w2[k * U + j]!, 0));
    };
    const expectRow = (b: number, t: number, parts: Record<string, readonly number[]>) => {
      const expected = Array.from({ length: U }, (_, j) =>
        Object.entries(parts).reduce((s, [g, e]) => s + weights[g as keyof typeof weights] * e[j]!, 0),
      );
      expect(maxAbsDiff(at(b, t), expected)).toBeLessThan(1e-4 * Math.max(1, ...expected.map(Math.abs)));
    };
    // Frame 3: every group present. Frame 2: hand missing. Frame 4: pose missing. Frame 1: lips missing.
    expectRow(1, 3, { lips: embed('lips', 1, 3), hand: embed('hand', 1, 3), pose: embed('pose', 1, 3) });
    expectRow(1, 2, { lips: embed('lips', 1, 2), hand: Array.from(empty), pose: embed('pose', 1, 2) });
    expectRow(1, 4, {
      lips: embed('lips', 1, 4),
      hand: embed('hand', 1, 4),
      pose: Array.from(empty, (v) => -v),
    });
    expectRow(2, 1, {
      lips: new Array<number>(U).fill(0),
      hand: embed('hand', 2, 1),
      pose: embed('pose', 2, 1),
    });
  });

  it('indexes the positional table at int(idx / max(idx, 1) * frames), padding at row frames', async () => {
    const out = await run('inference', { ...batch }, ['embedding/positional/position']);
    const positions = numbers(out['embedding/positional/position']!);
    const idxs = numbers(batch.non_empty_frame_idxs);
    for (let b = 0; b < BATCH; b++) {
      const row = idxs.slice(b * T, (b + 1) * T);
      const longest = Math.max(1, ...row);
      row.forEach((idx, t) => {
        expect(positions[b * T + t]).toBe(idx === -1 ? T : Math.trunc((idx / longest) * T));
      });
    }
  });

  it('masks frames at random on the host, keeping every real frame of a clip that would lose them all', () => {
    const clips = smallClips(batch);
    const packer = new FramePacker(BATCH, T);
    const keptSlots = (keep: number, key: number) =>
      Array.from(packer.pack(BATCH, (i) => clips[i]!, { key, keep }).slots);
    const realSlots = real.flatMap((r, slot) => (r ? [slot] : []));
    expect(Array.from(packer.pack(BATCH, (i) => clips[i]!, null).slots)).toEqual(realSlots);
    // Keep probability 2^-16: a frame survives only if its draw is 0, so every clip falls back.
    expect(keptSlots(2 ** -16, 77)).toEqual(realSlots);
    // Keep 1/2: each frame by its own draw, counter b * T + t, stream key as given.
    const key = 12345;
    const threshold = keepThreshold16(0.5);
    const kept = keptSlots(0.5, key);
    const expected = Array.from({ length: BATCH }, (_, b) => {
      const mine = realSlots.filter((s) => Math.floor(s / T) === b);
      const drawn = mine.filter((s) => draw16(key, s) < threshold);
      return drawn.length > 0 ? drawn : mine;
    }).flat();
    expect(kept).toEqual(expected);
    expect(kept.length).toBeGreaterThan(realSlots.length * 0.3);
    expect(kept.length).toBeLessThan(realSlots.length * 0.7);
  });

  it('packs on the host as the inference graph packs in the graph: eval on the packed batch = inference on the padded one', async () => {
    const values = buildModel(config.model, stats, { mode: 'inference', seed: 9 }).graph.parameterValues();
    const inference = numbers((await run('inference', { ...batch }, [], values)).probabilities!);
    const { feeds, packed } = smallPacked(config, batch);
    expect(packed.rows).toBe(real.filter(Boolean).length);
    const evaluation = numbers((await run('eval', feeds, [], values)).probabilities!);
    expect(maxAbsDiff(evaluation, inference)).toBeLessThan(1e-6);
  });

  it('keeps clips apart when it packs their frames: a batch gives what each clip gives alone', async () => {
    const together = numbers((await run('inference', { ...batch }, [])).probabilities!);
    const C = config.model.classes;
    for (let b = 0; b < BATCH; b++) {
      const one = {
        frames: tensorData(
          'float32',
          (batch.frames.data as Float32Array).slice(b * T * 198, (b + 1) * T * 198),
          [1, T, 66, 3],
        ),
        non_empty_frame_idxs: tensorData(
          'float32',
          (batch.non_empty_frame_idxs.data as Float32Array).slice(b * T, (b + 1) * T),
          [1, T],
        ),
      };
      const alone = numbers((await run('inference', one, [])).probabilities!);
      expect(maxAbsDiff(alone, together.slice(b * C, (b + 1) * C))).toBeLessThan(1e-6);
    }
  });

  it('ignores the content of padded frames (attention masks keys, pooling masks frames)', async () => {
    const noisy = new Float32Array(batch.frames.data as Float32Array);
    const idxs = numbers(batch.non_empty_frame_idxs);
    for (let i = 0; i < BATCH * T; i++) {
      if (idxs[i] !== -1) continue;
      for (let k = 0; k < 66 * 3; k++) noisy[i * 66 * 3 + k] = 0.1 + (k % 7) * 0.1;
    }
    const clean = await run('inference', { ...batch }, []);
    const dirty = await run(
      'inference',
      { ...batch, frames: tensorData('float32', noisy, batch.frames.dims) },
      [],
    );
    expect(numbers(dirty.probabilities!)).toEqual(numbers(clean.probabilities!));
  });
});
