/**
 * Weights that the graph computes from initializers alone (the landmark embeddings scale each Dense2
 * kernel by its softmaxed landmark weight: `MatMul(h, Mul(kernel, Slice(Softmax(w))))`) are constants
 * in an inference model, but not initializers, so a quantizer that looks for initializers would leave
 * them float. Evaluating those expressions once, with onnxruntime itself, turns them into plain
 * weights; onnxruntime would fold them the same way when it loads the model.
 */
import { Graph } from '../../onnx/graph.ts';
import type { Node } from '../../onnx/node.ts';
import { OP_SCHEMAS } from '../../onnx/ops/index.ts';
import { createSession, runSession } from '../../onnx/ort-session.ts';
import type { TensorData } from '../../onnx/tensor-data.ts';
import type { Tensor } from '../../onnx/tensor.ts';

function isLeafConstant(t: Tensor): boolean {
  return t.source.kind === 'constant' || t.source.kind === 'parameter';
}

/** Tensors computed from initializers only, in a graph whose nodes are in topological order. */
function constantTensors(graph: Graph): Set<Tensor> {
  const constant = new Set<Tensor>();
  for (const node of graph.nodes) {
    const inputs = node.inputs.filter((t): t is Tensor => t !== undefined);
    if (inputs.every((t) => isLeafConstant(t) || constant.has(t)))
      for (const t of node.outputs) constant.add(t);
  }
  return constant;
}

/** The nodes `targets` depend on, in graph order. */
function nodesFor(graph: Graph, targets: readonly Tensor[]): Node[] {
  const needed = new Set<Tensor>(targets);
  const keep: Node[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    if (!node.outputs.some((t) => needed.has(t))) continue;
    keep.push(node);
    for (const t of node.inputs) if (t !== undefined) needed.add(t);
  }
  return keep.reverse();
}

export interface FoldedWeight {
  readonly value: TensorData;
  /** The largest initializer the expression reads (the kernel being scaled): the weight's name in reports. */
  readonly source: string;
}

/** The largest initializer among the leaves of `nodes`. */
function largestLeaf(nodes: readonly Node[]): string {
  let best: Tensor | undefined;
  for (const n of nodes) {
    for (const t of n.inputs) {
      if (t === undefined || !isLeafConstant(t)) continue;
      const size = t.shape.reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
      const bestSize = best?.shape.reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1) ?? -1;
      if (size > bestSize) best = t;
    }
  }
  return best?.name ?? '?';
}

/**
 * The computed (non-initializer) right operands of MatMul and Gemm nodes that depend on initializers
 * only, with their values.
 */
export async function foldWeightExpressions(graph: Graph): Promise<Map<Tensor, FoldedWeight>> {
  const constant = constantTensors(graph);
  const targets = [
    ...new Set(
      graph.nodes
        .filter((n) => n.domain === '' && (n.opType === 'MatMul' || n.opType === 'Gemm'))
        .map((n) => n.inputs[1])
        .filter((t): t is Tensor => t !== undefined && constant.has(t) && t.dtype === 'float32'),
    ),
  ];
  const folded = new Map<Tensor, FoldedWeight>();
  if (targets.length === 0) return folded;

  const sub = new Graph({ name: `${graph.name}_weights`, opset: graph.opset });
  for (const [domain, version] of graph.domains) sub.domains.set(domain, version);
  const copies = new Map<Tensor, Tensor>();
  const copy = (t: Tensor): Tensor => {
    const done = copies.get(t);
    if (done !== undefined) return done;
    const s = t.source;
    if (s.kind !== 'constant' && s.kind !== 'parameter')
      throw new Error(`fold: ${t.name} is not computed yet`);
    const c = sub.constant(s.data, t.name, { exact: true });
    copies.set(t, c);
    return c;
  };
  for (const node of nodesFor(graph, targets)) {
    const schema = OP_SCHEMAS.get(`${node.domain}:${node.opType}`);
    if (schema === undefined) throw new Error(`fold: operator ${node.domain}:${node.opType} is unknown`);
    const outputs = sub.addNode(
      schema,
      node.inputs.map((t) => (t === undefined ? undefined : copy(t))),
      node.attributes,
      { exactNames: { node: node.name, outputs: node.outputs.map((t) => t.name) } },
    );
    node.outputs.forEach((t, i) => copies.set(t, outputs[i]!));
  }
  for (const t of targets) sub.output(copies.get(t)!);
  const session = await createSession(sub);
  try {
    const values = await runSession(session, {});
    for (const t of targets) {
      const value = values[t.name];
      if (value === undefined) throw new Error(`fold: onnxruntime returned no ${t.name}`);
      folded.set(t, { value, source: largestLeaf(nodesFor(graph, [t])) });
    }
  } finally {
    await session.release();
  }
  return folded;
}
