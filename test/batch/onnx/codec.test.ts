/** ModelProto bytes <-> plain objects <-> Graph, losslessly. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromModel } from '../../../src/batch/onnx/from-model.ts';
import { Graph } from '../../../src/batch/onnx/graph.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import { decodeModel, encodeModel } from '../../../src/batch/onnx/proto/codec.ts';
import type { ModelProto } from '../../../src/batch/onnx/proto/types.ts';
import { AttributeType } from '../../../src/batch/onnx/proto/types.ts';
import { createSession, openSession, runSession } from '../../../src/batch/onnx/ort-session.ts';
import { tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { graphToBytes, toModel } from '../../../src/batch/onnx/to-model.ts';

/** A small graph touching every kind of attribute and initializer the builder writes. */
function sampleGraph(): Graph {
  const g = new Graph({ name: 'sample' });
  const x = g.input('x', 'float32', ['batch', 4]);
  const labels = g.input('labels', 'int64', ['batch']);
  const w = g.scope('dense', () =>
    g.parameter('kernel', tensorData('float32', [0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8], [4, 2])),
  );
  const h = op.gemm(x, w, undefined, { alpha: 0.5 });
  const logits = op.slice(
    op.concat([h, op.cast(op.unsqueeze(labels, [1]), 'float32')], 1),
    [0],
    [op.SLICE_END],
    [1],
  );
  g.output(op.softmax(logits), 'probabilities');
  g.output(op.reduceSum(op.oneHot(labels, 3), [0]), 'counts');
  return g;
}

describe('protobuf codec', () => {
  it('re-encodes its own models byte for byte, and decodes to plain objects with bigint int64s', () => {
    const bytes = graphToBytes(sampleGraph());
    const model = decodeModel(bytes);
    expect(model.irVersion).toBe(9n);
    expect(model.opsetImport).toEqual([{ domain: '', version: 20n }]);
    expect(model.graph?.input?.[0]?.type?.tensorType?.shape?.dim).toEqual([
      { dimParam: 'batch' },
      { dimValue: 4n },
    ]);
    const slice = model.graph!.node!.find((n) => n.opType === 'Slice')!;
    expect(slice.input?.length).toBe(4);
    expect(encodeModel(model)).toEqual(bytes);
    expect(decodeModel(encodeModel(model))).toEqual(model);
  });

  it('keeps int64 extremes, negative ints, packed data and fields it does not model', () => {
    const model: ModelProto = {
      irVersion: 9n,
      graph: {
        name: 'g',
        node: [
          {
            opType: 'Custom',
            attribute: [
              { name: 'big', type: AttributeType.INT, i: 2n ** 63n - 1n },
              { name: 'ints', type: AttributeType.INTS, ints: [-(2n ** 63n), -1n, 0n, 5n] },
              { name: 'f', type: AttributeType.FLOATS, floats: [0.5, -2] },
            ],
          },
        ],
        initializer: [
          { name: 'd', dims: [2n], dataType: 11, doubleData: [1.5, -3.25] },
          { name: 'u', dims: [1n], dataType: 13, uint64Data: [2n ** 64n - 1n] },
        ],
        // Field 15 (sparse_initializer) is not modelled: it must survive as raw bytes, in field order.
        unknownFields: [{ fieldNumber: 15, wireType: 2, value: new Uint8Array([8, 1]) }],
      },
      unknownFields: [
        { fieldNumber: 20, wireType: 2, value: new Uint8Array([10, 0]) },
        { fieldNumber: 99, wireType: 0, value: 2n ** 64n - 2n },
        { fieldNumber: 98, wireType: 5, value: new Uint8Array([1, 2, 3, 4]) },
        { fieldNumber: 97, wireType: 1, value: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) },
      ],
    };
    const bytes = encodeModel(model);
    const back = decodeModel(bytes);
    const sorted = [...model.unknownFields!].sort((a, b) => a.fieldNumber - b.fieldNumber);
    expect(back).toEqual({ ...model, unknownFields: sorted });
    expect(encodeModel(back)).toEqual(bytes);
  });

  it('round-trips a model written by onnxruntime itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signcast-codec-'));
    try {
      const path = join(dir, 'optimized.onnx');
      const session = await openSession(graphToBytes(sampleGraph()), {
        optimizedModelPath: path,
        optimization: 'extended',
      });
      await session.release();
      const bytes = new Uint8Array(readFileSync(path));
      const model = decodeModel(bytes);
      expect(model.graph?.node?.length).toBeGreaterThan(0);
      expect(encodeModel(model)).toEqual(bytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Graph <-> ModelProto', () => {
  it('decodes a model back to a graph that re-serialises identically and runs the same', async () => {
    const g = sampleGraph();
    const bytes = graphToBytes(g, { parameters: 'inputs' });
    const back = fromModel(bytes);
    expect(back.parameters.map((p) => p.name)).toEqual([]);
    expect(back.inputs.map((t) => t.name)).toEqual(['x', 'labels', 'dense/kernel']);
    expect(graphToBytes(back, { parameters: 'inputs' })).toEqual(bytes);

    const baked = graphToBytes(g);
    const rebuilt = fromModel(baked, { isParameter: (name) => name === 'dense/kernel' });
    expect(rebuilt.parameters.map((p) => p.name)).toEqual(['dense/kernel']);
    expect(graphToBytes(rebuilt)).toEqual(baked);
    expect(rebuilt.tensor('probabilities').shape).toEqual(['batch', 3]);

    const feeds = {
      x: tensorData('float32', [1, 2, 3, 4, -1, 0, 1, 2], [2, 4]),
      labels: tensorData('int64', [2, 0]),
    };
    const a = await runSession(await createSession(g), feeds);
    const b = await runSession(await createSession(rebuilt), feeds);
    expect(b).toEqual(a);
  });

  it('writes parameters as inputs or as initializers', () => {
    const g = sampleGraph();
    const training = toModel(g, { parameters: 'inputs' });
    expect(training.graph?.input?.map((v) => v.name)).toEqual(['x', 'labels', 'dense/kernel']);
    expect(training.graph?.initializer?.some((t) => t.name === 'dense/kernel')).toBe(false);
    const inference = toModel(g);
    expect(inference.graph?.input?.map((v) => v.name)).toEqual(['x', 'labels']);
    expect(inference.graph?.initializer?.[0]?.name).toBe('dense/kernel');
  });
});
