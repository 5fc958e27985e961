/** Names, scopes, constants, determinism, pruning and cloning of the graph builder. */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../../src/batch/onnx/graph.ts';
import { GraphError } from '../../../src/batch/onnx/graph-error.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { graphToBytes } from '../../../src/batch/onnx/to-model.ts';

function dense(g: Graph, x: ReturnType<Graph['input']>, units: number) {
  const k = x.shape[x.rank - 1] as number;
  const w = g.parameter('kernel', tensorData('float32', new Float32Array(k * units).fill(0.1), [k, units]));
  const b = g.parameter('bias', tensorData('float32', new Float32Array(units), [units]));
  return op.add(op.matMul(x, w), b);
}

function build(): Graph {
  const g = new Graph({ name: 'tiny' });
  const x = g.input('x', 'float32', ['batch', 8]);
  const h = g.scope('block0', () => g.scope('mha/q', () => dense(g, x, 8)));
  const y = g.scope('block1/mha/q', () => dense(g, op.gelu(h), 8));
  g.output(op.mul(y, 0.5), 'y');
  return g;
}

describe('graph builder', () => {
  it('names parameters and nodes by scope, uniquely and deterministically', () => {
    const g = build();
    expect(g.parameters.map((p) => p.name)).toEqual([
      'block0/mha/q/kernel',
      'block0/mha/q/bias',
      'block1/mha/q/kernel',
      'block1/mha/q/bias',
    ]);
    expect(g.nodes.map((n) => n.name)).toEqual([
      'block0/mha/q/MatMul',
      'block0/mha/q/Add',
      'block1/mha/q/Gelu',
      'block1/mha/q/MatMul',
      'block1/mha/q/Add',
      'Mul',
    ]);
    expect(g.outputs.map((t) => t.name)).toEqual(['y']);
    expect(graphToBytes(build())).toEqual(graphToBytes(g));
  });

  it('makes repeated names unique with suffixes and refuses duplicate parameters', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [2]);
    const a = op.exp(x);
    const b = op.exp(a);
    const c = op.exp(b, { name: 'Exp' });
    expect([a.name, b.name, c.name]).toEqual(['Exp', 'Exp_1', 'Exp_2']);
    g.parameter('w', tensorData('float32', [1]));
    expect(() => g.parameter('w', tensorData('float32', [1]))).toThrow(GraphError);
    expect(() => g.input('x', 'float32', [2])).toThrow(/already exists/);
  });

  it('shares small unnamed constants, named after their value', () => {
    const g = new Graph();
    const x = g.input('x', 'float64', [2]);
    const a = op.mul(x, 0.5);
    const b = op.add(x, 0.5);
    expect(a.producer!.inputs[1]).toBe(b.producer!.inputs[1]);
    expect(a.producer!.inputs[1]!.name).toBe('const/float64/0.5');
    expect(g.ints([0, 64]).name).toBe('const/int64/[0,64]');
    expect(g.constant(tensorData('float32', [1, 2, 3, 4], [2, 2])).name).toBe('const/float32/[1,2,3,4]{2x2}');
  });

  it('rejects tensors from another graph', () => {
    const a = new Graph().input('a', 'float32', [1]);
    const b = new Graph().input('b', 'float32', [1]);
    expect(() => op.add(a, b)).toThrow(/different graphs/);
  });

  it('prunes dead nodes and constants, clones deeply', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [3]);
    const live = op.exp(x);
    op.log(op.add(x, 42)); // dead
    g.output(live, 'y');
    const copy = g.clone();
    g.prune();
    expect(g.nodes.map((n) => n.opType)).toEqual(['Exp']);
    expect(g.constants).toEqual([]);
    expect(copy.nodes.map((n) => n.opType)).toEqual(['Exp', 'Add', 'Log']);
    expect(copy.tensor('y').graph).toBe(copy);
    expect(copy.tensor('y').producer!.inputs[0]).toBe(copy.tensor('x'));
  });

  it('renames node outputs to graph output names, or adds an Identity for leaves', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [3]);
    const y = g.output(op.exp(x), 'y');
    expect(y.name).toBe('y');
    const z = g.output(x, 'z');
    expect(z.producer?.opType).toBe('Identity');
    expect(g.outputs.map((t) => t.name)).toEqual(['y', 'z']);
  });
});
