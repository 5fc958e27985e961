/**
 * Shapes of symbolic tensors. A dim is a number (static), a string (a named symbolic dim such as
 * 'batch', the same name meaning the same size everywhere in a graph) or null (unknown: data-dependent).
 *
 * The rules are deliberately strict so that mistakes surface while the graph is built, with the node's
 * name, rather than as an ORT error at run time: two different numbers, two different names, or a
 * number against a name never unify or broadcast (a named dim is assumed to be neither 1 nor any
 * particular size). Unknown dims unify with anything.
 */
export type Dim = number | string | null;
export type Shape = readonly Dim[];

export class ShapeError extends Error {
  override name = 'ShapeError';
}

export function formatDim(d: Dim): string {
  return d === null ? '?' : String(d);
}

export function formatShape(shape: Shape): string {
  return `[${shape.map(formatDim).join(', ')}]`;
}

export function isStatic(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

/** Number of elements, or undefined when some dim is not static. */
export function numel(shape: Shape): number | undefined {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

export function sameDim(a: Dim, b: Dim): boolean {
  return a !== null && a === b;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => sameDim(d, b[i]!));
}

/** Two dims that must be equal (a contraction dim, concat's other axes): the more precise of the two. */
export function unifyDim(a: Dim, b: Dim, what: string): Dim {
  if (a === null) return b;
  if (b === null) return a;
  if (a === b) return a;
  throw new ShapeError(`${what}: dims ${formatDim(a)} and ${formatDim(b)} differ`);
}

export function unifyShapes(a: Shape, b: Shape, what: string): Dim[] {
  if (a.length !== b.length) {
    throw new ShapeError(`${what}: ranks differ, ${formatShape(a)} vs ${formatShape(b)}`);
  }
  return a.map((d, i) => unifyDim(d, b[i]!, what));
}

function broadcastDim(a: Dim, b: Dim, what: string): Dim {
  if (a === 1) return b;
  if (b === 1) return a;
  if (a === null) return b;
  if (b === null) return a;
  if (a === b) return a;
  throw new ShapeError(`${what}: dims ${formatDim(a)} and ${formatDim(b)} do not broadcast`);
}

/** Numpy-style multidirectional broadcasting. */
export function broadcastShapes(shapes: readonly Shape[], what: string): Dim[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = new Array<Dim>(rank).fill(1);
  for (const s of shapes) {
    const offset = rank - s.length;
    try {
      s.forEach((d, i) => {
        out[offset + i] = broadcastDim(out[offset + i]!, d, what);
      });
    } catch (e) {
      if (e instanceof ShapeError) {
        throw new ShapeError(`${e.message} (shapes ${shapes.map(formatShape).join(', ')})`);
      }
      throw e;
    }
  }
  return out;
}

/** An axis in [-rank, rank) as a non-negative index. */
export function normalizeAxis(axis: number, rank: number, what: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(`${what}: axis ${axis} is out of range for rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Product of dims as a known number, or null. Named dims make the product unknown. */
export function dimProduct(dims: Shape): Dim {
  const n = numel(dims);
  return n === undefined ? null : n;
}
