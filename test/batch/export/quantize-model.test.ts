import { beforeAll, describe, expect, it } from 'vitest';
import { seededUniform } from '../../../src/batch/random/pinned-generators.ts';
import { DEFAULT_POLICY } from '../../../src/batch/export/quantize/quantization-policy.ts';
import { quantizeModel, type QuantizedModel } from '../../../src/batch/export/quantize/quantize-model.ts';
import { openNodeRunner, openWebRunner } from '../../../src/batch/export/runtime/model-runner.ts';
import { openSession } from '../../../src/batch/onnx/ort-session.ts';
import { decodeModel } from '../../../src/batch/onnx/proto/codec.ts';
import { Graph } from '../../../src/batch/onnx/graph.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { graphToBytes } from '../../../src/batch/onnx/to-model.ts';
import { tinyInferenceModel } from './tiny-model.ts';

const T = 64;
const F = 12;
const HIDDEN = 96;
const CLASSES = 40;
const BATCH = 128;

/** Seeded uniform draws in [-0.5, 0.5). */
function seeded(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => uniform() - 0.5;
}

const rand = seeded(11);
/** Glorot-like scale, with columns of different ranges as trained layers have. */
function weight(k: number, n: number, gain = 1): Float32Array {
  return Float32Array.from(
    { length: k * n },
    (_, i) => rand() * gain * Math.sqrt(12 / (k + n)) * (0.5 + (i % n) / n),
  );
}

/**
 * The real model's shape in small: the inputs it takes (frames [B, 64, 66, 3], idxs [B, 64]), a
 * per-frame MLP, one self-attention whose scores and context are products of two activations (which
 * must stay float), masked mean pooling, a Gemm classifier with transB, alpha and bias, and a weight
 * read by two products.
 */
function buildTestModel(): Uint8Array {
  const g = new Graph({ name: 'quantize_test' });
  const frames = g.input('frames', 'float32', ['batch', T, 66, 3]);
  const idxs = g.input('non_empty_frame_idxs', 'float32', ['batch', T]);
  const w = (name: string, k: number, n: number, gain?: number) =>
    g.constant(tensorData('float32', weight(k, n, gain), [k, n]), name);
  const x = op.slice(op.reshape(frames, [0, 0, -1]), [0], [F], [2]);
  const shared = w('mlp/shared/kernel', HIDDEN, HIDDEN);
  let h = op.relu(op.matMul(op.mul(x, 4), w('mlp/in/kernel', F, HIDDEN, 2)));
  h = op.add(h, op.relu(op.matMul(h, shared)));
  h = op.add(h, op.relu(op.matMul(h, shared)));
  const q = op.matMul(h, w('attention/q/kernel', HIDDEN, HIDDEN));
  const k = op.matMul(h, w('attention/k/kernel', HIDDEN, HIDDEN));
  const v = op.matMul(h, w('attention/v/kernel', HIDDEN, HIDDEN));
  const scores = op.matMul(op.mul(q, 1 / Math.sqrt(HIDDEN)), op.transpose(k, [0, 2, 1]), { name: 'scores' });
  const context = op.matMul(op.softmax(scores, -1), v, { name: 'context' });
  h = op.add(h, context);
  const mask = op.cast(op.greater(idxs, -0.5), 'float32');
  const pooled = op.div(
    op.reduceSum(op.mul(h, op.unsqueeze(mask, [2])), [1]),
    op.max([op.reduceSum(mask, [1], { keepDims: true }), g.scalar(1, 'float32')]),
  );
  const classifierT = g.constant(
    tensorData('float32', weight(CLASSES, HIDDEN, 2), [CLASSES, HIDDEN]),
    'head/classifier/kernel',
  );
  const bias = g.constant(tensorData('float32', weight(1, CLASSES), [CLASSES]), 'head/classifier/bias');
  const logits = op.gemm(pooled, classifierT, bias, { transB: true, alpha: 1.5, beta: 0.5 });
  g.output(op.softmax(logits, -1), 'probabilities');
  return graphToBytes(g);
}

function inputs(batch: number, seed: number) {
  const r = seeded(seed);
  // Each clip its own pattern, so that the pooled features, and the answers, differ between clips.
  const perClip = T * 66 * 3;
  const base = Float32Array.from({ length: batch * F }, () => r() * 2);
  const frames = Float32Array.from({ length: batch * perClip }, (_, i) => {
    const clip = Math.floor(i / perClip);
    const feature = (i % perClip) % (66 * 3);
    return feature < F ? base[clip * F + feature]! + r() * 0.2 : 0;
  });
  const nonEmptyFrameIdxs = Float32Array.from({ length: batch * T }, (_, i) =>
    i % T < 10 + (i % 50) ? i % T : -1,
  );
  return { frames, nonEmptyFrameIdxs, batch };
}

function argMaxRows(p: Float32Array, classes: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r < p.length / classes; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (p[r * classes + c]! > p[r * classes + best]!) best = c;
    rows.push(best);
  }
  return rows;
}

let floatModel: Uint8Array;
let quantized: QuantizedModel;

beforeAll(async () => {
  floatModel = buildTestModel();
  quantized = await quantizeModel(floatModel, { ...DEFAULT_POLICY, minElements: 2048 });
});

describe('quantizeModel', () => {
  it('quantizes initializer weights only, once per weight, and leaves activation products float', () => {
    const byWeight = new Map(quantized.report.decisions.map((d) => [d.weight, d]));
    for (const name of [
      'mlp/shared/kernel',
      'attention/q/kernel',
      'attention/k/kernel',
      'attention/v/kernel',
    ]) {
      expect(byWeight.get(name)?.quantized).toBe(true);
    }
    expect(byWeight.get('head/classifier/kernel')).toMatchObject({
      op: 'Gemm',
      quantized: true,
      shape: [HIDDEN, CLASSES],
    });
    expect(byWeight.get('mlp/in/kernel')).toMatchObject({
      quantized: false,
      reason: 'fewer than 2048 elements',
    });

    const nodes = decodeModel(quantized.bytes).graph!.node!;
    const count = (type: string) => nodes.filter((n) => n.opType === type).length;
    // shared (x2), q, k, v, classifier; scores and context are the only float MatMuls left besides mlp/in.
    expect(count('MatMulInteger')).toBe(6);
    expect(
      nodes
        .filter((n) => n.opType === 'MatMul')
        .map((n) => n.name)
        .sort(),
    ).toEqual(['MatMul', 'context', 'scores'].sort());
    expect(count('Gemm')).toBe(0);
    // q, k and v read the same activation: one quantization for the three (per row: QuantizeLinear
    // for the rank-2 pooled features, Round for the rank-3 frame activations).
    expect(count('QuantizeLinear')).toBe(1);
    expect(count('Round')).toBe(3);
    expect(count('DynamicQuantizeLinear')).toBe(0);
    const initializers = decodeModel(quantized.bytes).graph!.initializer!.map((t) => t.name);
    expect(initializers.filter((n) => n!.includes('mlp/shared/kernel'))).toEqual([
      'int8/mlp/shared/kernel/quantized',
      'int8/mlp/shared/kernel/scale',
    ]);
    expect(initializers).not.toContain('attention/q/kernel');
  });

  // int8 weights are a quarter of float32; the rest is graph (per-row quantization adds ~250 bytes
  // per activation, a visible share only in a model this small).
  it('is about a third of the float size or less', () => {
    expect(quantized.bytes.length).toBeLessThan(floatModel.length * 0.36);
  });

  it('answers like the float model', async () => {
    const clips = inputs(BATCH, 5);
    const f = await openNodeRunner(floatModel, 1);
    const q = await openNodeRunner(quantized.bytes, 1);
    const pf = await f.run(clips);
    const pq = await q.run(clips);
    const a = argMaxRows(pf, CLASSES);
    const b = argMaxRows(pq, CLASSES);
    const agree = a.filter((c, i) => c === b[i]).length / a.length;
    // Total variation distance per clip: how much probability mass moved.
    let worst = 0;
    let sum = 0;
    for (let r = 0; r < BATCH; r++) {
      let tv = 0;
      for (let c = 0; c < CLASSES; c++) tv += Math.abs(pf[r * CLASSES + c]! - pq[r * CLASSES + c]!) / 2;
      worst = Math.max(worst, tv);
      sum += tv;
    }
    // An untrained model has near-ties a trained one does not; a wrong scale anywhere would be near chance.
    expect(new Set(a).size).toBeGreaterThan(5);
    expect(agree).toBeGreaterThanOrEqual(0.95);
    expect(sum / BATCH).toBeLessThan(0.02);
    expect(worst).toBeGreaterThan(0);
    await f.release();
    await q.release();
  });

  // The Worker runs batch 1, the batch scorer batch 64: per-row scales make them agree.
  it('gives a clip the same answer alone as in a batch; per-tensor scales would not', async () => {
    const perTensor = await quantizeModel(floatModel, {
      ...DEFAULT_POLICY,
      minElements: 2048,
      activations: 'per-tensor',
    });
    const clips = inputs(16, 7);
    const values = T * 66 * 3;
    const worstGap = async (model: Uint8Array): Promise<number> => {
      const runner = await openNodeRunner(model, 1);
      const together = await runner.run(clips);
      let worst = 0;
      for (let r = 0; r < clips.batch; r++) {
        const alone = await runner.run({
          frames: clips.frames.subarray(r * values, (r + 1) * values),
          nonEmptyFrameIdxs: clips.nonEmptyFrameIdxs.subarray(r * T, (r + 1) * T),
          batch: 1,
        });
        for (let c = 0; c < CLASSES; c++)
          worst = Math.max(worst, Math.abs(alone[c]! - together[r * CLASSES + c]!));
      }
      await runner.release();
      return worst;
    };
    expect(await worstGap(quantized.bytes)).toBeLessThan(1e-6);
    expect(await worstGap(perTensor.bytes)).toBeGreaterThan(1e-4);
  });

  it('refuses per-row activations with the com.microsoft kernels', async () => {
    await expect(quantizeModel(floatModel, { ...DEFAULT_POLICY, form: 'com.microsoft' })).rejects.toThrow(
      /per-row activations need form 'onnx'/,
    );
  });

  it('runs the same in onnxruntime-node and onnxruntime-web (WASM), both forms', async () => {
    const fused = await quantizeModel(floatModel, {
      ...DEFAULT_POLICY,
      minElements: 2048,
      form: 'com.microsoft',
      activations: 'per-tensor',
    });
    expect(
      decodeModel(fused.bytes).graph!.node!.some(
        (n) => n.opType === 'MatMulIntegerToFloat' && n.domain === 'com.microsoft',
      ),
    ).toBe(true);
    const clips = inputs(4, 9);
    const outputs: Float32Array[] = [];
    for (const model of [quantized.bytes, fused.bytes]) {
      const node = await openNodeRunner(model, 1);
      const web = await openWebRunner(model);
      const pn = await node.run(clips);
      const pw = await web.run(clips);
      for (let i = 0; i < pn.length; i++) expect(Math.abs(pn[i]! - pw[i]!)).toBeLessThan(1e-5);
      outputs.push(pn);
      await node.release();
      await web.release();
    }
    expect(argMaxRows(outputs[0]!, CLASSES)).toEqual(argMaxRows(outputs[1]!, CLASSES));
  });

  it('keeps what the policy names in float', async () => {
    const kept = await quantizeModel(floatModel, {
      ...DEFAULT_POLICY,
      minElements: 2048,
      keepFloat: ['^head/'],
    });
    const decision = kept.report.decisions.find((d) => d.weight === 'head/classifier/kernel');
    expect(decision).toMatchObject({ quantized: false, reason: 'policy keepFloat /^head//' });
    expect(decodeModel(kept.bytes).graph!.node!.filter((n) => n.opType === 'Gemm')).toHaveLength(1);
  });

  it('records how it was made in the model metadata', async () => {
    const session = await openSession(quantized.bytes);
    const meta = decodeModel(quantized.bytes).metadataProps!.find((e) => e.key === 'signcast.quantization');
    expect(JSON.parse(meta!.value!)).toMatchObject({ quantizedWeights: 5, floatWeights: 1 });
    await session.release();
  });

  it('folds weights the graph computes from initializers (scaled landmark Dense2 kernels) and quantizes them', async () => {
    const model = tinyInferenceModel();
    const { bytes, report } = await quantizeModel(model);
    const dense2 = report.decisions.filter((d) =>
      /^embedding\/(lips|hand|pose)\/dense2\/kernel$/.test(d.weight),
    );
    expect(dense2).toHaveLength(3);
    for (const d of dense2) expect(d).toMatchObject({ quantized: true, computedAs: expect.any(String) });
    const graph = decodeModel(bytes).graph!;
    const initializers = graph.initializer!.map((t) => t.name!);
    // The float kernels and the Mul that scaled them are gone: only their int8 form is stored.
    expect(initializers.filter((n) => n.startsWith('embedding/lips/dense2'))).toEqual([]);
    expect(initializers).toContain('int8/embedding/lips/dense2/kernel/quantized');
    const readers = new Set(graph.node!.flatMap((n) => n.input ?? []));
    for (const d of dense2) expect(readers.has(d.computedAs!)).toBe(false);
    // And the model still answers like the float one.
    const clips = inputs(2, 3);
    const f = await openNodeRunner(model, 1);
    const q = await openNodeRunner(bytes, 1);
    const [pf, pq] = [await f.run(clips), await q.run(clips)];
    for (let i = 0; i < pf.length; i++) expect(Math.abs(pf[i]! - pq[i]!)).toBeLessThan(0.01);
    await f.release();
    await q.release();
  });
});
