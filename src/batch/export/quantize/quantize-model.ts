/**
 * The int8 graph transform (onnxruntime's quantizer is Python-only): dynamic quantization of the
 * MatMul and Gemm weights that are initializers, or computed from initializers alone (folded first,
 * see fold-weight-expressions.ts).
 *
 * Each chosen product `x W` becomes, in standard ONNX,
 *   (xq, xs, xz) = DynamicQuantizeLinear(x)          -- once per activation, shared by its consumers
 *   y = Cast<float>(MatMulInteger(xq, Wq, xz)) * (xs * Ws)
 * with Wq int8 [K, N] and Ws float (one scale or one per output column). onnxruntime (node and web
 * alike: one C++ core) fuses the pattern into MatMulIntegerToFloat / DynamicQuantizeMatMul when it
 * loads the model. Products of two activations (attention scores, attention x values) have no
 * initializer operand and stay float, as does whatever the policy keeps.
 *
 * The graph is rebuilt node by node with the builder, so every new tensor gets an inferred
 * value_info that onnxruntime re-checks, and every untouched node, tensor and name is kept.
 */
import { fromModel } from '../../onnx/from-model.ts';
import { Graph } from '../../onnx/graph.ts';
import type { Node } from '../../onnx/node.ts';
import { OP_SCHEMAS } from '../../onnx/ops/index.ts';
import * as op from '../../onnx/ops/index.ts';
import { decodeModel } from '../../onnx/proto/codec.ts';
import { tensorData } from '../../onnx/tensor-data.ts';
import type { TensorData } from '../../onnx/tensor-data.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import { graphToBytes } from '../../onnx/to-model.ts';
import { foldWeightExpressions, type FoldedWeight } from './fold-weight-expressions.ts';
import { DEFAULT_POLICY, keepFloatMatcher, type QuantizationPolicy } from './quantization-policy.ts';
import {
  dynamicQuantizeLinear,
  matMulInteger,
  matMulIntegerToFloat,
  quantizeLinear,
} from './quantized-ops.ts';
import {
  quantizeWeight,
  quantizeWeightAuto,
  type Granularity,
  type QuantizedWeight,
} from './weight-quantization.ts';

/** What happened to one MatMul/Gemm node with an initializer weight. */
export interface WeightDecision {
  readonly node: string;
  readonly op: 'MatMul' | 'Gemm';
  /** The initializer (for a computed weight: the largest initializer it is computed from). */
  readonly weight: string;
  /** For a weight the graph computes from initializers: the computed tensor, folded at export. */
  readonly computedAs?: string;
  /** [K, N] as multiplied (a Gemm's transB weight is transposed). */
  readonly shape: readonly number[];
  readonly quantized: boolean;
  /** Why it stayed float. */
  readonly reason?: string;
  readonly granularity?: Granularity;
  /** ||W - dequant(Wq)|| / ||W|| of the stored int8 weight. */
  readonly relativeError?: number;
}

export interface QuantizationReport {
  readonly policy: QuantizationPolicy;
  readonly decisions: readonly WeightDecision[];
  /** Elements of float weights replaced by int8. */
  readonly quantizedElements: number;
  /** Elements of MatMul/Gemm weights left in float. */
  readonly floatElements: number;
}

export interface QuantizedModel {
  readonly bytes: Uint8Array;
  readonly report: QuantizationReport;
}

type Candidate =
  | { readonly quantize: false; readonly decision: WeightDecision }
  | {
      readonly quantize: true;
      readonly decision: WeightDecision;
      readonly activation: Tensor;
      /** The float weight as multiplied: [K, N] row-major. */
      readonly weight: Float32Array;
      readonly k: number;
      readonly n: number;
      /** Folded into the weight scale (Gemm's alpha). */
      readonly alpha: number;
      /** Gemm transB: the stored weight is [N, K]. */
      readonly transposed: boolean;
      /** Gemm's C and beta. */
      readonly bias?: { readonly tensor: Tensor; readonly beta: number };
    };

function initializerData(t: Tensor | undefined): TensorData | undefined {
  if (t === undefined) return undefined;
  return t.source.kind === 'constant' || t.source.kind === 'parameter' ? t.source.data : undefined;
}

function transpose2d(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]!;
  return out;
}

function examine(
  folded: ReadonlyMap<Tensor, FoldedWeight>,
  node: Node,
  policy: QuantizationPolicy,
  keepFloat: (name: string) => string | undefined,
): Candidate | undefined {
  if (node.domain !== '' || (node.opType !== 'MatMul' && node.opType !== 'Gemm')) return undefined;
  const kind = node.opType;
  const [a, b] = node.inputs;
  if (a === undefined || b === undefined) return undefined;
  const computed = folded.get(b);
  const data = initializerData(b) ?? computed?.value;
  // A product of two activations: nothing to quantize ahead of time.
  if (data === undefined) return undefined;
  const transB = kind === 'Gemm' && node.attr.int('transB', 0) === 1;
  const dims =
    data.dims.length === 2 ? (transB ? [data.dims[1]!, data.dims[0]!] : [...data.dims]) : [...data.dims];
  const base = {
    node: node.name,
    op: kind,
    weight: computed?.source ?? b.name,
    ...(computed !== undefined ? { computedAs: b.name } : {}),
    shape: dims,
  } as const;
  const keep = (reason: string): Candidate => ({
    quantize: false,
    decision: { ...base, quantized: false, reason },
  });

  if (data.dtype !== 'float32' || a.dtype !== 'float32') return keep('not float32');
  if (data.dims.length !== 2) return keep(`weight rank ${data.dims.length}`);
  if (a.rank < 2) return keep('activation rank < 2');
  if (kind === 'Gemm' && node.attr.int('transA', 0) === 1) return keep('Gemm transA');
  const matched =
    keepFloat(computed?.source ?? b.name) ?? (computed !== undefined ? keepFloat(b.name) : undefined);
  if (matched !== undefined) return keep(`policy keepFloat /${matched}/`);
  if (data.data.length < policy.minElements) return keep(`fewer than ${policy.minElements} elements`);

  const [k, n] = dims as [number, number];
  const w = transB ? transpose2d(data.data as Float32Array, n, k) : (data.data as Float32Array);
  const alpha = kind === 'Gemm' ? node.attr.float('alpha', 1) : 1;
  const c = kind === 'Gemm' ? node.inputs[2] : undefined;
  return {
    quantize: true,
    decision: { ...base, quantized: true },
    activation: a,
    weight: w,
    k,
    n,
    alpha,
    transposed: transB,
    ...(c !== undefined ? { bias: { tensor: c, beta: node.attr.float('beta', 1) } } : {}),
  };
}

function quantize(
  candidate: Extract<Candidate, { quantize: true }>,
  policy: QuantizationPolicy,
): QuantizedWeight {
  const { weight, k, n } = candidate;
  return policy.granularity === 'auto'
    ? quantizeWeightAuto(weight, k, n).chosen
    : quantizeWeight(weight, k, n, policy.granularity);
}

/** An activation in uint8 with its scale (scalar or one per row) and zero point. */
interface QuantizedActivation {
  readonly xq: Tensor;
  readonly xs: Tensor;
  readonly xz: Tensor;
}

function quantizeTensor(x: Tensor): QuantizedActivation {
  const [xq, xs, xz] = dynamicQuantizeLinear(x, { name: 'quantize' });
  return { xq: xq!, xs: xs!, xz: xz! };
}

/**
 * Symmetric per-row uint8: xq = round(x / s) + 128 with s = max|row| / 127, so xq is in [1, 255] and
 * the zero point is the scalar 128 that MatMulInteger takes (onnxruntime accepts no per-row zero
 * point). uint8 x int8 is MLAS's fast integer GEMM on x86 and WASM alike.
 */
function quantizeRows(x: Tensor): QuantizedActivation {
  const g = x.graph;
  const last = x.rank - 1;
  const absMax = op.reduceMax(op.abs(x), [last], { name: 'abs_max' });
  // An all-zero row (padding) gets a tiny positive scale: its values quantize to exactly 128 -> 0.
  const scale = op.div(op.max([absMax, 1e-30]), 127, { name: 'row_scale' });
  const xs = op.unsqueeze(scale, [last]);
  const xq =
    x.rank === 2
      ? // One QuantizeLinear pass with one scale per row (axis 0) instead of Div, Round, Add and Cast.
        quantizeLinear(
          x,
          scale,
          op.constantOfShape(op.shapeOf(scale), 128, 'uint8', { name: 'row_zero_point' }),
          0,
          { name: 'quantize' },
        )
      : op.cast(op.add(op.round(op.div(x, xs)), 128, { name: 'shifted' }), 'uint8', { name: 'quantize' });
  return { xq, xs, xz: g.constant(tensorData('uint8', new Uint8Array([128]), []), 'zero_point') };
}

/** A prefix no name of the source graph starts with, for everything the transform adds. */
function freshPrefix(source: Graph): string {
  const names = [
    ...source.nodes.map((n) => n.name),
    ...source.nodes.flatMap((n) => n.outputs.map((t) => t.name)),
  ];
  let prefix = 'int8';
  while (names.some((name) => name === prefix || name.startsWith(`${prefix}/`))) prefix += '_';
  return prefix;
}

/** Quantizes an ONNX float model's MatMul/Gemm initializer weights to int8 (see the file comment). */
export async function quantizeModel(
  floatModel: Uint8Array,
  policy: QuantizationPolicy = DEFAULT_POLICY,
): Promise<QuantizedModel> {
  if (policy.activations === 'per-row' && policy.form !== 'onnx') {
    throw new Error(
      "quantize: per-row activations need form 'onnx' (the com.microsoft kernels take one activation scale)",
    );
  }
  const proto = decodeModel(floatModel);
  const source = fromModel(proto);
  const folded = await foldWeightExpressions(source);
  const keepFloat = keepFloatMatcher(policy);
  const prefix = freshPrefix(source);

  const target = new Graph({ name: source.name, opset: source.opset });
  for (const [domain, version] of source.domains) target.domains.set(domain, version);
  const mapped = new Map<Tensor, Tensor>();
  for (const t of source.inputs) mapped.set(t, target.input(t.name, t.dtype, t.shape));
  // Leaves are copied when first read, so a weight read only by quantized products leaves no float copy.
  const map = (t: Tensor): Tensor => {
    const done = mapped.get(t);
    if (done !== undefined) return done;
    const s = t.source;
    let copy: Tensor;
    if (s.kind === 'constant') copy = target.constant(s.data, t.name, { exact: true });
    else if (s.kind === 'parameter') copy = target.parameter(t.name, s.data, { exact: true });
    else throw new Error(`quantize: ${t.name} is read before it is computed`);
    mapped.set(t, copy);
    return copy;
  };

  const decisions: WeightDecision[] = [];
  const quantizedWeights = new Map<string, { wq: Tensor; ws: Tensor; q: QuantizedWeight }>();
  const quantizedActivations = new Map<Tensor, QuantizedActivation>();
  let quantizedElements = 0;
  let floatElements = 0;

  for (const node of source.nodes) {
    const candidate = examine(folded, node, policy, keepFloat);
    if (candidate !== undefined && !candidate.quantize) {
      decisions.push(candidate.decision);
      floatElements += candidate.decision.shape.reduce((x, y) => x * y, 1);
    }
    if (candidate === undefined || !candidate.quantize) {
      copyNode(target, node, map).forEach((copy, i) => mapped.set(node.outputs[i]!, copy));
      continue;
    }
    const scope = `${prefix}/${candidate.decision.weight}`;
    // A weight read by several products is stored once per layout and Gemm alpha it is read with.
    const key = `${candidate.decision.computedAs ?? candidate.decision.weight}|${candidate.transposed}|${candidate.alpha}`;
    let weight = quantizedWeights.get(key);
    if (weight === undefined) {
      const q = quantize(candidate, policy);
      const scales = candidate.alpha === 1 ? q.scales : q.scales.map((s) => s * candidate.alpha);
      const wq = target.constant(
        tensorData('int8', q.values, [candidate.k, candidate.n]),
        `${scope}/quantized`,
      );
      const ws = target.constant(
        tensorData('float32', scales, q.granularity === 'per-channel' ? [candidate.n] : []),
        `${scope}/scale`,
      );
      weight = { wq, ws, q };
      quantizedWeights.set(key, weight);
      quantizedElements += q.values.length;
    }
    decisions.push({
      ...candidate.decision,
      granularity: weight.q.granularity,
      relativeError: weight.q.relativeError,
    });

    const x = map(candidate.activation);
    let quantizedX = quantizedActivations.get(candidate.activation);
    if (quantizedX === undefined) {
      quantizedX = target.atScope(`${prefix}/${x.name}`, () =>
        policy.activations === 'per-row' ? quantizeRows(x) : quantizeTensor(x),
      );
      quantizedActivations.set(candidate.activation, quantizedX);
    }
    const { xq, xs, xz } = quantizedX;
    const output = node.outputs[0]!;
    const finalName = { exactNames: { node: node.name, outputs: [output.name] } };
    const bias = candidate.bias;
    const y = target.atScope(scope, () => {
      const scaled = (options?: typeof finalName): Tensor => {
        if (policy.form === 'com.microsoft') {
          return matMulIntegerToFloat(xq, weight.wq, xs, weight.ws, xz, undefined, undefined, {
            name: 'matmul',
            ...options,
          });
        }
        const acc = op.cast(matMulInteger(xq, weight.wq, xz), 'float32');
        const dequantize = { name: 'dequantize', ...options };
        // Per row: the row scale [rows, 1] first, then the weight's [N], so no [rows, N] scale tensor.
        // Per tensor: acc * (xs * Ws), the pattern onnxruntime fuses into DynamicQuantizeMatMul.
        return policy.activations === 'per-row'
          ? op.mul(op.mul(acc, xs), weight.ws, dequantize)
          : op.mul(acc, op.mul(xs, weight.ws, { name: 'scale' }), dequantize);
      };
      if (bias === undefined) return scaled(finalName);
      const c = bias.tensor;
      const cData = c.constantValue;
      const betaC =
        bias.beta === 1
          ? map(c)
          : cData !== undefined
            ? target.constant(
                tensorData(
                  'float32',
                  (cData.data as Float32Array).map((v) => v * bias.beta),
                  cData.dims,
                ),
                `${scope}/bias`,
              )
            : op.mul(map(c), bias.beta);
      return op.add(scaled(), betaC, finalName);
    });
    mapped.set(output, y);
  }
  for (const t of source.outputs) target.output(mapped.get(t) ?? map(t));
  // What only fed the float products is dead now: folded weight expressions and their kernels.
  target.prune();

  const report: QuantizationReport = { policy, decisions, quantizedElements, floatElements };
  const metadata = Object.fromEntries((proto.metadataProps ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const bytes = graphToBytes(target, {
    producerName: 'signcast int8 export',
    ...(proto.docString !== undefined ? { docString: proto.docString } : {}),
    metadata: { ...metadata, 'signcast.quantization': JSON.stringify(summarise(report)) },
  });
  return { bytes, report };
}

/** Re-adds a node unchanged (same schema, attributes and names); returns its outputs. */
function copyNode(target: Graph, node: Node, map: (t: Tensor) => Tensor): Tensor[] {
  const schema = OP_SCHEMAS.get(`${node.domain}:${node.opType}`);
  if (schema === undefined) {
    throw new Error(`quantize: operator ${node.domain}:${node.opType} is not known to the builder`);
  }
  const inputs = node.inputs.map((t) => (t === undefined ? undefined : map(t)));
  return target.addNode(schema, inputs, node.attributes, {
    exactNames: { node: node.name, outputs: node.outputs.map((t) => t.name) },
  });
}

/** What the int8 model's metadata records about its making. */
function summarise(report: QuantizationReport): Record<string, unknown> {
  return {
    policy: report.policy,
    quantizedWeights: new Set(report.decisions.filter((d) => d.quantized).map((d) => d.weight)).size,
    floatWeights: new Set(report.decisions.filter((d) => !d.quantized).map((d) => d.weight)).size,
    quantizedElements: report.quantizedElements,
    floatElements: report.floatElements,
  };
}
