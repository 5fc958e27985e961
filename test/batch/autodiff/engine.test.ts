/** The engine's behaviour beyond single rules: pruning, naming, blocking, errors, efficient forms. */
import { describe, expect, it } from 'vitest';
import { buildGradientGraph } from '../../../src/batch/autodiff/engine.ts';
import { Graph } from '../../../src/batch/onnx/graph.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import { createSession, runSession } from '../../../src/batch/onnx/ort-session.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import type { Tensor } from '../../../src/batch/onnx/tensor.ts';
import { gradCheck, randomData, rng } from './gradcheck.ts';

function param(g: Graph, name: string, dims: number[], seed: number): Tensor {
  return g.parameter(name, randomData('float64', dims, rng(seed)));
}

describe('autodiff engine', () => {
  it('builds only what the requested parameters need', () => {
    const g = new Graph();
    const x = g.input('x', 'float64', ['batch', 4]);
    const a = g.scope('a', () => param(g, 'kernel', [4, 3], 1));
    const b = g.scope('b', () => param(g, 'kernel', [4, 3], 2));
    const loss = op.reduceSum(op.add(op.tanh(op.matMul(x, a)), op.exp(op.matMul(x, b))));
    g.output(loss, 'loss');
    const { graph, grads } = buildGradientGraph(g, { loss, wrt: ['a/kernel'] });
    expect([...grads.keys()]).toEqual(['a/kernel']);
    expect(graph.outputs.map((t) => t.name)).toEqual(['loss', 'a/kernel_grad']);
    const backward = graph.nodes.filter((n) => n.scope.startsWith('grad'));
    // dL/da = x^T (dy * (1 - tanh^2)): nothing from the exp branch, no gradient for x.
    expect(backward.map((n) => n.opType).sort()).toEqual([
      'Expand',
      'Gemm',
      'Mul',
      'Mul',
      'Shape',
      'Sub',
      'Unsqueeze',
    ]);
    expect(backward.every((n) => n.name.startsWith('grad/'))).toBe(true);
  });

  it('turns activations [B, T, K] x weight [K, N] into one Gemm, never a [B, K, N] tensor', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', ['batch', 64, 512]);
    const w = g.parameter('w', tensorData('float32', new Float32Array(512 * 1024), [512, 1024]));
    const loss = op.reduceSum(op.matMul(x, w));
    const { graph } = buildGradientGraph(g, { loss, wrt: ['w'] });
    const gemm = graph.nodes.find((n) => n.opType === 'Gemm')!;
    expect(gemm.attr.int('transA')).toBe(1);
    expect(gemm.inputs.map((t) => t!.shape)).toEqual([
      [null, 512],
      [null, 1024],
    ]);
    const big = graph.nodes
      .flatMap((n) => n.outputs)
      .filter((t) => t.rank === 3 && t.shape[1] === 512 && t.shape[2] === 1024);
    expect(big).toEqual([]);
  });

  it('does not differentiate through integer tensors, comparisons or stopGradient', async () => {
    const g = new Graph();
    const x = g.input('x', 'float64', [3]);
    const w = param(g, 'w', [3], 3);
    const labels = g.input('labels', 'int64', [3]);
    const mask = op.less(op.cast(labels, 'float64'), op.mul(w, 10)); // depends on w, no gradient
    const scale = op.stopGradient(op.exp(w));
    const y = op.where(mask, op.mul(op.mul(x, w), scale), op.mul(w, w));
    const check = await gradCheck({
      graph: g,
      output: y,
      feeds: { x: tensorData('float64', [0.5, -1, 2]), labels: tensorData('int64', [1, 20, 3]) },
      wrt: ['x'],
    });
    expect(check.maxError).toBeLessThan(1e-5);
    // dL/dw treats exp(w) as a constant and gets nothing through the mask: where(mask, x e^w, 2w).
    g.output(op.reduceSum(y), 'loss');
    const { graph } = buildGradientGraph(g, { loss: 'loss', wrt: [w] });
    const wv = [0.2, 0.5, -0.3];
    const xv = [0.5, -1, 2];
    const r = await runSession(await createSession(graph, { parameters: 'inputs' }), {
      x: tensorData('float64', xv),
      labels: tensorData('int64', [1, 20, 3]),
      w: tensorData('float64', wv),
    });
    const expected = wv.map((wi, i) => ([1, 20, 3][i]! < wi * 10 ? xv[i]! * Math.exp(wi) : 2 * wi));
    Array.from(r.w_grad!.data as Float64Array).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
  });

  it('gives zeros to parameters the loss does not depend on', async () => {
    const g = new Graph();
    const x = g.input('x', 'float64', [2]);
    const used = param(g, 'used', [2], 4);
    param(g, 'unused', [2, 2], 5);
    g.output(op.reduceSum(op.mul(x, used)), 'loss');
    const { graph } = buildGradientGraph(g, { loss: 'loss', wrt: ['used', 'unused'] });
    const session = await createSession(graph, { parameters: 'inputs' });
    const r = await runSession(session, {
      x: tensorData('float64', [3, 4]),
      used: tensorData('float64', [1, 1]),
      unused: tensorData('float64', [1, 2, 3, 4], [2, 2]),
    });
    expect(Array.from(r.used_grad!.data as Float64Array)).toEqual([3, 4]);
    expect(r.unused_grad!.dims).toEqual([2, 2]);
    expect(Array.from(r.unused_grad!.data as Float64Array)).toEqual([0, 0, 0, 0]);
  });

  it('names the node when a path needs an operator without a rule', () => {
    const g = new Graph();
    const w = param(g, 'w', [3], 6);
    const m = op.mod(w, 0.7, { fmod: true, name: 'wrap' });
    expect(() => buildGradientGraph(g, { loss: op.reduceSum(m), wrt: [w] })).toThrow(
      /no gradient rule for Mod \(node wrap\)/,
    );
    // Off the path, the same operator is harmless.
    const h = new Graph();
    const v = param(h, 'v', [3], 7);
    op.mod(v, 0.7, { fmod: true });
    expect(() => buildGradientGraph(h, { loss: op.reduceSum(op.exp(v)), wrt: [v] })).not.toThrow();
  });

  it('insists on a scalar float loss', () => {
    const g = new Graph();
    const w = param(g, 'w', [3], 8);
    expect(() => buildGradientGraph(g, { loss: op.exp(w), wrt: [w] })).toThrow(/scalar/);
    expect(() => buildGradientGraph(g, { loss: op.reduceSum(w), wrt: [g.input('i', 'int64', [1])] })).toThrow(
      /not float/,
    );
  });
});
