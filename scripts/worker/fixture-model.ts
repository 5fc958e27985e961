import { ProtobufWriter } from './protobuf-writer.ts';

/**
 * A stand-in model with the real model's contract (inputs `frames` [B, 64, 66, 3] and
 * `non_empty_frame_idxs` [B, 64], output `probabilities` [B, C]) until the export pipeline ships a
 * trained bundle: a per-frame residual MLP, masked mean pooling over the frames that exist, a linear
 * classifier and a softmax. Weights are seeded noise, so it answers consistently but knows no sign.
 *
 * `hidden: 512, depth: 20` is close to the baseline transformer in parameters (~5.4 M) and work per
 * clip (~0.68 GFLOP), which makes it a fair latency stand-in; the default is tiny for fast tests.
 *
 * The int8 variant is what dynamic quantization produces: each MatMul becomes
 * DynamicQuantizeLinear -> MatMulInteger (int8 weights, per-tensor scale) -> Cast -> Mul, the
 * pattern onnxruntime fuses into its DynamicQuantizeMatMul kernel.
 */
export interface FixtureModelConfig {
  readonly classes: number;
  readonly hidden: number;
  readonly depth: number;
  readonly seed: number;
}

const FRAMES = 64;
const POINTS = 66;
const COORDS = 3;
const OPSET = 17;
const IR_VERSION = 8;

const DT = { float: 1, uint8: 2, int8: 3, int64: 7 } as const;
const ATTR = { float: 1, int: 2, ints: 7 } as const;

type Attr =
  { kind: 'int'; value: number } | { kind: 'float'; value: number } | { kind: 'ints'; value: number[] };

interface Initializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dtype: (typeof DT)[keyof typeof DT];
  readonly raw: Uint8Array;
}

interface Node {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Readonly<Record<string, Attr>>;
}

class Graph {
  readonly nodes: Node[] = [];
  readonly initializers: Initializer[] = [];
  private counter = 0;

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  op(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, outputCount = 1): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(op.toLowerCase()));
    this.nodes.push({ op, inputs, outputs, attrs });
    return outputs;
  }

  op1(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}): string {
    return this.op(op, inputs, attrs)[0]!;
  }

  float(name: string, dims: readonly number[], values: Float32Array): string {
    this.initializers.push({ name, dims, dtype: DT.float, raw: new Uint8Array(values.buffer.slice(0)) });
    return name;
  }

  int8(name: string, dims: readonly number[], values: Int8Array): string {
    this.initializers.push({ name, dims, dtype: DT.int8, raw: new Uint8Array(values.buffer.slice(0)) });
    return name;
  }

  int64(name: string, dims: readonly number[], values: readonly number[]): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims, dtype: DT.int64, raw: new Uint8Array(data.buffer) });
    return name;
  }
}

/** mulberry32: small, fast and the same on every platform. */
function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seededNormal(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

function randomMatrix(normal: () => number, rows: number, cols: number, scale: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = normal() * scale;
  return out;
}

function quantizeSymmetric(values: Float32Array): { q: Int8Array; scale: number } {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const scale = max > 0 ? max / 127 : 1;
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++)
    q[i] = Math.max(-127, Math.min(127, Math.round(values[i]! / scale)));
  return { q, scale };
}

/** a @ W for a [.., rows] activation, in float or through dynamic int8 quantization. */
function matmul(
  g: Graph,
  a: string,
  name: string,
  w: Float32Array,
  rows: number,
  cols: number,
  int8: boolean,
): string {
  if (!int8) return g.op1('MatMul', [a, g.float(name, [rows, cols], w)]);
  const { q, scale } = quantizeSymmetric(w);
  const [aq, aScale, aZero] = g.op('DynamicQuantizeLinear', [a], {}, 3) as [string, string, string];
  const wq = g.int8(`${name}_quantized`, [rows, cols], q);
  const wZero = g.int8(`${name}_zero_point`, [], new Int8Array([0]));
  const wScale = g.float(`${name}_scale`, [], new Float32Array([scale]));
  const acc = g.op1('MatMulInteger', [aq, wq, aZero, wZero]);
  const accFloat = g.op1('Cast', [acc], { to: { kind: 'int', value: DT.float } });
  const scaleProduct = g.op1('Mul', [aScale, wScale]);
  return g.op1('Mul', [accFloat, scaleProduct]);
}

function buildGraph(config: FixtureModelConfig, int8: boolean): Graph {
  const { classes, hidden, depth } = config;
  const normal = seededNormal(config.seed);
  const g = new Graph();
  const features = POINTS * COORDS;

  // Missing landmarks arrive as NaN; the model, not the caller, decides what they mean.
  const zero = g.float('zero', [], new Float32Array([0]));
  const clean = g.op1('Where', [g.op1('IsNaN', ['frames']), zero, 'frames']);
  let h = g.op1('Reshape', [clean, g.int64('per_frame_shape', [3], [0, FRAMES, features])]);

  const wIn = randomMatrix(normal, features, hidden, 2 / Math.sqrt(features));
  h = g.op1('Relu', [
    g.op1('Add', [
      matmul(g, h, 'w_in', wIn, features, hidden, int8),
      g.float('b_in', [hidden], randomMatrix(normal, 1, hidden, 0.1)),
    ]),
  ]);
  for (let i = 0; i < depth; i++) {
    const w = randomMatrix(normal, hidden, hidden, 1 / Math.sqrt(hidden));
    const b = g.float(`b_${i}`, [hidden], randomMatrix(normal, 1, hidden, 0.1));
    const block = g.op1('Relu', [g.op1('Add', [matmul(g, h, `w_${i}`, w, hidden, hidden, int8), b])]);
    // Residual sum scaled down so deep stand-ins keep activations in range.
    h = g.op1('Add', [
      h,
      g.op1('Mul', [block, g.float(`res_scale_${i}`, [], new Float32Array([1 / Math.sqrt(depth + 1)]))]),
    ]);
  }

  // Padding frames carry index -1: pool only over frames that exist.
  const valid = g.op1(
    'Cast',
    [g.op1('Greater', ['non_empty_frame_idxs', g.float('minus_half', [], new Float32Array([-0.5]))])],
    {
      to: { kind: 'int', value: DT.float },
    },
  );
  const axis1 = g.int64('axis_1', [1], [1]);
  const weights = g.op1('Unsqueeze', [valid, g.int64('axis_2', [1], [2])]);
  const summed = g.op1('ReduceSum', [g.op1('Mul', [h, weights]), axis1], {
    keepdims: { kind: 'int', value: 0 },
  });
  const count = g.op1('ReduceSum', [valid, axis1], { keepdims: { kind: 'int', value: 1 } });
  const pooled = g.op1('Div', [summed, g.op1('Max', [count, g.float('one', [], new Float32Array([1]))])]);

  const wOut = randomMatrix(normal, hidden, classes, 3 / Math.sqrt(hidden));
  const logits = g.op1('Add', [
    matmul(g, pooled, 'w_out', wOut, hidden, classes, int8),
    g.float('b_out', [classes], randomMatrix(normal, 1, classes, 0.5)),
  ]);
  g.nodes.push({
    op: 'Softmax',
    inputs: [logits],
    outputs: ['probabilities'],
    attrs: { axis: { kind: 'int', value: -1 } },
  });
  return g;
}

function writeValueInfo(w: ProtobufWriter, name: string, dims: readonly (number | string)[]): void {
  w.string(1, name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, DT.float);
      tensor.message(2, (shape) => {
        for (const d of dims)
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

function writeAttribute(w: ProtobufWriter, name: string, attr: Attr): void {
  w.string(1, name);
  if (attr.kind === 'int') w.int(3, attr.value).int(20, ATTR.int);
  else if (attr.kind === 'float') w.float(2, attr.value).int(20, ATTR.float);
  else w.packedInts(8, attr.value).int(20, ATTR.ints);
}

function serialise(g: Graph, classes: number): Uint8Array {
  const model = new ProtobufWriter();
  model.int(1, IR_VERSION);
  model.string(2, 'signcast-fixture');
  model.message(8, (opset) => opset.string(1, '').int(2, OPSET));
  model.message(7, (graph) => {
    for (const node of g.nodes) {
      graph.message(1, (n) => {
        for (const i of node.inputs) n.string(1, i);
        for (const o of node.outputs) n.string(2, o);
        n.string(4, node.op);
        for (const [name, attr] of Object.entries(node.attrs))
          n.message(5, (a) => writeAttribute(a, name, attr));
      });
    }
    graph.string(2, 'fixture');
    for (const init of g.initializers) {
      graph.message(5, (t) => {
        t.packedInts(1, init.dims);
        t.int(2, init.dtype);
        t.string(8, init.name);
        t.bytes(9, init.raw);
      });
    }
    graph.message(11, (v) => writeValueInfo(v, 'frames', ['batch', FRAMES, POINTS, COORDS]));
    graph.message(11, (v) => writeValueInfo(v, 'non_empty_frame_idxs', ['batch', FRAMES]));
    graph.message(12, (v) => writeValueInfo(v, 'probabilities', ['batch', classes]));
  });
  return model.finish();
}

export function buildFixtureModel(config: FixtureModelConfig, variant: 'float32' | 'int8'): Uint8Array {
  return serialise(buildGraph(config, variant === 'int8'), config.classes);
}

/** Multiply-adds per clip, doubled: what a latency figure should be read against. */
export function fixtureModelFlops(config: FixtureModelConfig): number {
  const features = POINTS * COORDS;
  return (
    2 *
    (FRAMES * (features * config.hidden + config.depth * config.hidden * config.hidden) +
      config.hidden * config.classes)
  );
}
