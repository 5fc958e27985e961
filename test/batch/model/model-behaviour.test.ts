/**
 * What the blocks compute, observed through intermediate tensors of the real graph run in
 * onnxruntime-node: input normalisation, empty-group embeddings, positional indices, random frame
 * masking with its fallback, and attention that ignores masked keys.
 */
import { describe, expect, it } from 'vitest';
import type { ModelMode } from '../../../src/batch/model/signcast-model.ts';
import { buildModel } from '../../../src/batch/model/signcast-model.ts';
import { noiseFeeds } from '../../../src/batch/onnx/noise/fed-noise.ts';
import { createSession, runSession } from '../../../src/batch/onnx/ort-session.ts';
import type { TensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { GROUPS } from '../../../src/shared/preprocess/constants.ts';
import { smallBatch, smallConfig, smallStats } from './small-model.ts';

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

  it('normalises x and y per point with the statistics, leaving zeros at zero', async () => {
    const out = await run('inference', { ...batch }, ['normalize/hand']);
    const hand = numbers(out['normalize/hand']!);
    const frames = batch.frames.data as Float32Array;
    const { start, count } = GROUPS.hand;
    let zeros = 0;
    for (let b = 0; b < BATCH; b++) {
      for (let t = 0; t < T; t++) {
        for (let p = 0; p < count; p++) {
          for (let c = 0; c < 2; c++) {
            const v = frames[((b * T + t) * 66 + start + p) * 3 + c]!;
            const expected =
              v === 0 ? 0 : (v - stats.groups.hand.mean[p]![c]!) / stats.groups.hand.std[p]![c]!;
            const got = hand[((b * T + t) * count + p) * 2 + c]!;
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
    // Rows are packed: only real frames, in batch-major order.
    const real = numbers(batch.non_empty_frame_idxs).map((i) => i !== -1);
    const rowOf = (b: number, t: number) => real.slice(0, b * T + t).filter(Boolean).length;
    expect(merged.length).toBe(real.filter(Boolean).length * U);
    const at = (b: number, t: number) => merged.slice(rowOf(b, t) * U, (rowOf(b, t) + 1) * U);
    const weights = { lips: 0.25, hand: 0.5, pose: 0.25 };

    // The reference: each group through its two dense layers (exact GELU), weighted and summed.
    const embed = (group: 'lips' | 'hand' | 'pose', b: number, t: number) => {
      const x = numbers(out[`normalize/${group}`]!);
      const f = GROUPS[group].count * 2;
      const row = x.slice((b * T + t) * f, (b * T + t + 1) * f);
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

  it('masks frames at random in training, keeping the original mask when a clip would lose every frame', async () => {
    const model = buildModel(config.model, stats, { mode: 'train', seed: 9 });
    const noise = noiseFeeds(model.noise!.inputs, { batch: BATCH }, 4, 0);
    const real = numbers(batch.non_empty_frame_idxs).map((i) => (i !== -1 ? 1 : 0));
    const maskWith = async (frameNoise: Uint16Array) => {
      const out = await run(
        'train',
        { ...batch, ...noise, 'noise/0': tensorData('uint16', frameNoise, [BATCH, T]) },
        ['frame_mask/mask'],
      );
      return numbers(out['frame_mask/mask']!);
    };
    // Bits >= 0.75 * 2^16 drop a frame: all-ones noise would drop every frame of every clip.
    expect(await maskWith(new Uint16Array(BATCH * T).fill(0xffff))).toEqual(real);
    expect(await maskWith(new Uint16Array(BATCH * T))).toEqual(real);
    // Clip 0 loses all its frames (fallback), the others lose every other frame.
    const bits = new Uint16Array(BATCH * T).map((_, i) => (i < T || i % 2 === 0 ? 0xffff : 0));
    const mask = await maskWith(bits);
    for (let i = 0; i < BATCH * T; i++) {
      expect(mask[i]).toBe(i < T ? real[i] : real[i]! && i % 2 === 1 ? 1 : 0);
    }
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
