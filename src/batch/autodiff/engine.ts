/**
 * Reverse-mode autodiff over builder graphs.
 *
 * The engine walks the graph backwards from a scalar loss, calls each operator's rule from the one
 * table (rules/index.ts), sums a rule's gradient back over the axes its input was broadcast along,
 * sums gradients where a tensor fans out, and touches only nodes that lie on a path from a requested
 * tensor to the loss. It knows no operator by name: what is differentiable, and through which inputs,
 * is the rules' business. Integer and bool tensors never carry gradients.
 */
import { isFloat } from '../onnx/dtype.ts';
import type { Graph } from '../onnx/graph.ts';
import { GraphError } from '../onnx/graph-error.ts';
import type { Node } from '../onnx/node.ts';
import * as op from '../onnx/ops/index.ts';
import { formatShape, unifyShapes } from '../onnx/shape.ts';
import { tensorData } from '../onnx/tensor-data.ts';
import type { Tensor } from '../onnx/tensor.ts';
import type { GradRule, VjpContext } from './grad-rule.ts';
import { GRAD_RULES } from './rules/index.ts';

export interface GradientOptions {
  /** The scalar (rank 0, or all dims 1) to differentiate. */
  readonly loss: Tensor | string;
  /** Tensors to differentiate with respect to: usually the parameters, any float tensor works. */
  readonly wrt: readonly (Tensor | string)[];
  /** Name of each gradient output; default `<name>_grad`, onnxruntime-training's convention. */
  readonly gradName?: (name: string) => string;
  /** Add the gradients as graph outputs (default true). */
  readonly asOutputs?: boolean;
  /** Scope path of the backward nodes (default 'grad'; each lands under `<scope>/<forward scope>`). */
  readonly scope?: string;
}

/** Rules used by the engine; exposed so tests can check that each one is exercised. */
export function ruleFor(node: Node): GradRule | undefined {
  return node.domain === '' ? GRAD_RULES[node.opType] : undefined;
}

function differentiableAt(rule: GradRule, i: number): boolean {
  return rule.differentiable === 'all' || rule.differentiable.includes(i);
}

/**
 * `grad` summed back to `input`'s shape over the axes along which the forward node broadcast `input`:
 * the leading axes `input` lacks, and the axes where `input` has size 1 and `grad` may not. A rule
 * thus returns its gradient in the broadcast shape (Add returns dy for both operands, Expand returns
 * dy) and never sums it itself. Every other axis is left alone for the caller's check against the
 * input's shape: equal numbers or names pass, a different number or name throws, and an unknown input
 * dim passes: the builder cannot tell whether it is 1 at run time, and a broadcast the model means
 * has a static 1 (as keepDims reductions give).
 */
function sumToShape(grad: Tensor, input: Tensor): Tensor {
  const lead = grad.rank - input.rank;
  if (lead < 0) return grad;
  const leading = Array.from({ length: lead }, (_, k) => k);
  const ones = input.shape.flatMap((d, k) => (d === 1 && grad.shape[lead + k] !== 1 ? [lead + k] : []));
  if (leading.length === 0 && ones.length === 0) return grad;
  if (ones.length === 0) return op.reduceSum(grad, leading, { name: 'unbroadcast' });
  const summed = op.reduceSum(grad, [...leading, ...ones], { keepDims: true, name: 'unbroadcast' });
  return leading.length === 0 ? summed : op.squeeze(summed, leading, { name: 'unbroadcast' });
}

/**
 * Append the backward pass to `graph` (in place) and return dL/d(wrt) by tensor. Tensors the loss does
 * not depend on get zeros. Throws, naming the node, when a path needs an operator without a rule.
 */
export function addGradients(graph: Graph, options: GradientOptions): Map<Tensor, Tensor> {
  const resolve = (t: Tensor | string): Tensor => (typeof t === 'string' ? graph.tensor(t) : t);
  const loss = resolve(options.loss);
  const wrt = options.wrt.map(resolve);
  if (!isFloat(loss.dtype)) throw new GraphError(`loss ${loss.toString()} must be a float tensor`);
  if (!loss.shape.every((d) => d === 1)) {
    throw new GraphError(`loss ${loss.toString()} must be a scalar (rank 0 or all dims 1)`);
  }
  for (const t of wrt) {
    if (t.graph !== graph) throw new GraphError(`wrt tensor ${t.name} belongs to another graph`);
    if (!isFloat(t.dtype))
      throw new GraphError(`cannot differentiate with respect to ${t.toString()}: not float`);
  }

  // Forward sweep: tensors that depend differentiably on some wrt tensor.
  const active = new Set<Tensor>(wrt);
  const activeNodes = new Set<Node>();
  for (const node of graph.nodes) {
    if (node.stopGradient) continue;
    const rule = ruleFor(node);
    const reached = node.inputs.some(
      (t, i) => t !== undefined && active.has(t) && (rule === undefined || differentiableAt(rule, i)),
    );
    if (!reached) continue;
    activeNodes.add(node);
    for (const t of node.outputs) if (isFloat(t.dtype)) active.add(t);
  }

  // Backward sweep: active tensors the loss depends on.
  const needed = new Set<Tensor>();
  if (active.has(loss)) needed.add(loss);
  const toVisit: Node[] = [];
  for (let k = graph.nodes.length - 1; k >= 0; k--) {
    const node = graph.nodes[k]!;
    if (!activeNodes.has(node) || !node.outputs.some((t) => needed.has(t))) continue;
    const rule = ruleFor(node);
    if (rule === undefined) {
      throw new GraphError(
        `no gradient rule for ${node.domain === '' ? '' : `${node.domain}:`}${node.opType} (node ${node.name}), which lies between a differentiated tensor and the loss`,
      );
    }
    toVisit.push(node);
    node.inputs.forEach((t, i) => {
      if (t !== undefined && active.has(t) && differentiableAt(rule, i)) needed.add(t);
    });
  }

  const prefix = options.scope ?? 'grad';
  const contributions = new Map<Tensor, Tensor[]>();
  const totals = new Map<Tensor, Tensor>();
  const contribute = (t: Tensor, g: Tensor) => {
    const list = contributions.get(t);
    if (list === undefined) contributions.set(t, [g]);
    else list.push(g);
  };
  /** The summed gradient of `t`: final once every consumer of `t` has been visited. */
  const total = (t: Tensor): Tensor | undefined => {
    const done = totals.get(t);
    if (done !== undefined) return done;
    const list = contributions.get(t);
    if (list === undefined) return undefined;
    const scope = t.producer?.scope ?? '';
    const sum = graph.atScope(scope === '' ? prefix : `${prefix}/${scope}`, () =>
      list.reduce((sum, g) => op.add(sum, g, { name: 'accumulate' })),
    );
    totals.set(t, sum);
    return sum;
  };

  graph.atScope(prefix, () => {
    if (needed.has(loss)) {
      contribute(loss, graph.constant(tensorData(loss.dtype, [1], loss.shape as number[]), undefined));
    }
  });

  for (const node of toVisit) {
    const rule = ruleFor(node)!;
    const outputGrads = node.outputs.map((t) => (needed.has(t) ? total(t) : undefined));
    if (outputGrads.every((g) => g === undefined)) continue;
    const wants = node.inputs.map(
      (t, i) => t !== undefined && differentiableAt(rule, i) && needed.has(t) && active.has(t),
    );
    const ctx: VjpContext = {
      node,
      attr: node.attr,
      inputs: node.inputs,
      outputs: node.outputs,
      outputGrads,
      get dy() {
        const g = outputGrads[0];
        if (g === undefined) throw new GraphError(`${node.name}: rule read dy but output 0 has no gradient`);
        return g;
      },
      wants,
      input: (i) => {
        const t = node.inputs[i];
        if (t === undefined) throw new GraphError(`${node.name}: input ${i} is missing`);
        return t;
      },
    };
    const scope = node.scope === '' ? prefix : `${prefix}/${node.scope}`;
    const grads = graph.atScope(scope, () => rule.vjp(ctx));
    node.inputs.forEach((t, i) => {
      if (t === undefined || !wants[i]) return;
      const broadcast = grads[i];
      if (broadcast === undefined) return;
      const g = graph.atScope(scope, () => sumToShape(broadcast, t));
      if (g.dtype !== t.dtype || g.rank !== t.rank) {
        throw new GraphError(
          `${node.opType} rule at ${node.name}: gradient ${g.toString()} does not match input ${t.toString()}`,
        );
      }
      try {
        unifyShapes(g.shape, t.shape, 'gradient shape');
      } catch {
        throw new GraphError(
          `${node.opType} rule at ${node.name}: gradient shape ${formatShape(g.shape)} does not match input ${t.toString()}`,
        );
      }
      contribute(t, g);
    });
  }

  const result = new Map<Tensor, Tensor>();
  const named = new Set<Tensor>();
  const gradName = options.gradName ?? ((n: string) => `${n}_grad`);
  for (const t of wrt) {
    let g = total(t);
    if (g === undefined) {
      g = graph.atScope(prefix, () => op.zeros(op.shapeOf(t), t.dtype, { name: 'zeros' }));
    }
    if (options.asOutputs ?? true) {
      const name = gradName(t.name);
      const renamable =
        g.source.kind === 'node' && !named.has(g) && !graph.outputs.includes(g) && !needed.has(g);
      if (renamable) {
        graph.rename(g, name);
        graph.output(g);
      } else {
        g = graph.atScope(prefix, () => graph.output(op.identity(g!, { name }), name));
      }
      named.add(g);
    }
    result.set(t, g);
  }
  return result;
}

/**
 * A copy of `forward` with the backward pass appended, gradients as outputs `<name>_grad`, and every
 * node that neither the forward outputs nor the gradients need pruned away.
 */
export function buildGradientGraph(
  forward: Graph,
  options: GradientOptions,
): { graph: Graph; grads: Map<string, Tensor> } {
  const graph = forward.clone();
  const rebased: GradientOptions = {
    ...options,
    loss: typeof options.loss === 'string' ? options.loss : options.loss.name,
    wrt: options.wrt.map((t) => (typeof t === 'string' ? t : t.name)),
  };
  const byTensor = addGradients(graph, rebased);
  graph.prune();
  const grads = new Map<string, Tensor>();
  for (const [t, g] of byTensor) grads.set(t.name, g);
  return { graph, grads };
}
