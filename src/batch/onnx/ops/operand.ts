/** Plumbing shared by the op helpers: finding the graph, lifting JS numbers to constants. */
import type { DType } from '../dtype.ts';
import type { Graph } from '../graph.ts';
import { GraphError } from '../graph-error.ts';
import type { InferredOutput } from '../op-schema.ts';
import type { Shape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';

/** A tensor, or a JS number standing for a scalar constant of the other operand's dtype. */
export type Operand = Tensor | number;

export function isTensor(x: Operand | undefined): x is Tensor {
  return typeof x === 'object';
}

/** The graph the tensor arguments belong to (they must all share one). */
export function graphOf(what: string, ...xs: (Operand | undefined)[]): Graph {
  let g: Graph | undefined;
  for (const x of xs) {
    if (!isTensor(x)) continue;
    if (g === undefined) g = x.graph;
    else if (x.graph !== g) throw new GraphError(`${what}: tensors from different graphs`);
  }
  if (g === undefined) throw new GraphError(`${what}: at least one argument must be a tensor`);
  return g;
}

/** Lift numbers to scalar constants whose dtype is that of the first tensor among `xs`. */
export function lift(what: string, ...xs: Operand[]): Tensor[] {
  const g = graphOf(what, ...xs);
  const like = xs.find(isTensor)!;
  return xs.map((x) => (isTensor(x) ? x : g.scalar(x, like.dtype)));
}

export function out(dtype: DType, shape: Shape): InferredOutput[] {
  return [{ dtype, shape }];
}
