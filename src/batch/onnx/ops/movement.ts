/** Operators that move elements without changing them: Reshape, Squeeze, Unsqueeze, Transpose, Expand. */
import { attr } from '../attributes.ts';
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim, Shape } from '../shape.ts';
import { broadcastShapes, formatShape, normalizeAxis } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

// Reshape, with symbolic inference of 0 (copy the input dim) and -1 (whatever is left).

/** A product of dims as a number times a multiset of named dims; null when some dim is unknown. */
interface SymbolicProduct {
  readonly value: number;
  readonly names: readonly string[];
}

function product(dims: Shape): SymbolicProduct | null {
  let value = 1;
  const names: string[] = [];
  for (const d of dims) {
    if (d === null) return null;
    if (typeof d === 'number') value *= d;
    else names.push(d);
  }
  return { value, names: names.sort() };
}

/** a / b when it is a single dim (number or one name), null when it cannot be told. */
function quotient(a: SymbolicProduct, b: SymbolicProduct): Dim | 'mismatch' {
  const left = [...a.names];
  for (const n of b.names) {
    const i = left.indexOf(n);
    if (i < 0) return null;
    left.splice(i, 1);
  }
  if (b.value === 0) return null;
  const v = a.value / b.value;
  if (left.length === 0) return Number.isInteger(v) ? v : 'mismatch';
  return left.length === 1 && v === 1 ? left[0]! : null;
}

export const RESHAPE: OpSchema = {
  opType: 'Reshape',
  infer: (ctx) => {
    const x = ctx.input(0);
    const spec = ctx.shapeValue(1);
    if (spec === undefined) {
      const len = ctx.input(1).shape[0];
      if (typeof len !== 'number') return ctx.fail('shape input has unknown length');
      return out(x.dtype, new Array<Dim>(len).fill(null));
    }
    const allowZero = ctx.attr.int('allowzero', 0) === 1;
    const dims: Dim[] = spec.map((d, i) => {
      if (d === 0 && !allowZero) {
        if (i >= x.rank) ctx.fail(`shape ${formatShape(spec)}: 0 at index ${i} has no input dim to copy`);
        return x.shape[i]!;
      }
      return d;
    });
    const holes = dims.filter((d) => d === -1).length;
    if (holes > 1) ctx.fail(`shape ${formatShape(spec)} has more than one -1`);
    const total = product(x.shape);
    const known = product(dims.filter((d) => d !== -1));
    if (holes === 1) {
      const rest = total && known ? quotient(total, known) : null;
      if (rest === 'mismatch') {
        ctx.fail(`cannot reshape ${formatShape(x.shape)} to ${formatShape(spec)}: sizes do not divide`);
      }
      dims[dims.indexOf(-1)] = rest;
    } else if (total && known) {
      const q = quotient(total, known);
      if (q === 'mismatch' || (typeof q === 'number' && q !== 1) || typeof q === 'string') {
        ctx.fail(`cannot reshape ${formatShape(x.shape)} to ${formatShape(dims)}: element counts differ`);
      }
    }
    return out(x.dtype, dims);
  },
};

/**
 * Reshape to `shape`: numbers, named dims or a shape tensor. In an array, 0 copies the input dim at
 * that index and -1 takes what is left; named dims are carried as 0 where they line up with the input.
 */
export function reshape(x: Tensor, shape: readonly Dim[] | Tensor, options?: NodeOptions): Tensor {
  let spec: Tensor;
  if (Array.isArray(shape)) {
    const dims = shape as readonly Dim[];
    const values = dims.map((d, i) => {
      if (typeof d === 'number') return d;
      if (d !== null && x.shape[i] === d) return 0;
      throw new Error(
        `reshape of ${x.name}${formatShape(x.shape)}: dim ${String(d)} at index ${i} must line up with the same input dim (use -1 or a shape tensor)`,
      );
    });
    spec = x.graph.ints(values);
  } else {
    spec = shape as Tensor;
  }
  return x.graph.addNode(RESHAPE, [x, spec], {}, options)[0]!;
}

// Squeeze and Unsqueeze with axes as an input (opset 13+).

export const UNSQUEEZE: OpSchema = {
  opType: 'Unsqueeze',
  infer: (ctx) => {
    const x = ctx.input(0);
    const given = ctx.requireConstInts(1, 'axes');
    const rank = x.rank + given.length;
    const axes = given.map((a) => normalizeAxis(a, rank, 'axes'));
    if (new Set(axes).size !== axes.length) ctx.fail(`axes [${given.join(', ')}] repeat an axis`);
    const shape: Dim[] = [];
    let next = 0;
    for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : x.shape[next++]!);
    return out(x.dtype, shape);
  },
};

export const SQUEEZE: OpSchema = {
  opType: 'Squeeze',
  infer: (ctx) => {
    const x = ctx.input(0);
    const given = ctx.optional(1) === undefined ? undefined : ctx.requireConstInts(1, 'axes');
    let axes: number[];
    if (given === undefined) {
      if (x.shape.some((d) => typeof d !== 'number')) ctx.fail('squeeze without axes needs a static shape');
      axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    } else {
      axes = given.map((a) => normalizeAxis(a, x.rank, 'axes'));
      for (const a of axes) {
        const d = x.shape[a];
        if (d !== 1 && d !== null) ctx.fail(`axis ${a} has size ${String(d)}, not 1`);
      }
    }
    return out(
      x.dtype,
      x.shape.filter((_, i) => !axes.includes(i)),
    );
  },
};

export function unsqueeze(x: Tensor, axes: readonly number[], options?: NodeOptions): Tensor {
  return x.graph.addNode(UNSQUEEZE, [x, x.graph.ints(axes)], {}, options)[0]!;
}

/** Remove the given size-1 axes (all size-1 axes of a static shape when omitted). */
export function squeeze(x: Tensor, axes?: readonly number[], options?: NodeOptions): Tensor {
  const inputs = axes === undefined ? [x] : [x, x.graph.ints(axes)];
  return x.graph.addNode(SQUEEZE, inputs, {}, options)[0]!;
}

// Transpose by a permutation (reversed axes by default, as in the spec).

export const TRANSPOSE: OpSchema = {
  opType: 'Transpose',
  infer: (ctx) => {
    const x = ctx.input(0);
    const perm = ctx.attr.ints(
      'perm',
      x.shape.map((_, i) => x.rank - 1 - i),
    );
    const sorted = [...perm].sort((a, b) => a - b);
    if (perm.length !== x.rank || sorted.some((p, i) => p !== i)) {
      ctx.fail(`perm [${perm.join(', ')}] is not a permutation of rank ${x.rank}`);
    }
    return out(
      x.dtype,
      perm.map((p) => x.shape[p]!),
    );
  },
};

export function transpose(x: Tensor, perm?: readonly number[], options?: NodeOptions): Tensor {
  return x.graph.addNode(TRANSPOSE, [x], perm ? { perm: attr.ints(perm) } : {}, options)[0]!;
}

/** Swap the last two axes (the batched-matrix transpose). */
export function transposeLast2(x: Tensor, options?: NodeOptions): Tensor {
  if (x.rank < 2) throw new Error(`transposeLast2 of ${x.toString()}: rank must be >= 2`);
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return transpose(x, perm, options);
}

// Expand: broadcast to a shape (bidirectionally, as the spec says).

export const EXPAND: OpSchema = {
  opType: 'Expand',
  infer: (ctx) => {
    const x = ctx.input(0);
    const target = ctx.shapeValue(1);
    if (target === undefined) {
      const len = ctx.input(1).shape[0];
      if (typeof len !== 'number') return ctx.fail('shape input has unknown length');
      const rank = Math.max(len, x.rank);
      return out(x.dtype, new Array<Dim>(rank).fill(null));
    }
    return out(x.dtype, broadcastShapes([x.shape, target], 'expand'));
  },
};

/** Broadcast `x` to `shape` (a shape tensor, e.g. `shapeOf(y)`, or static dims). */
export function expand(x: Tensor, shape: Tensor | readonly number[], options?: NodeOptions): Tensor {
  const s = Array.isArray(shape) ? x.graph.ints(shape as readonly number[]) : (shape as Tensor);
  return x.graph.addNode(EXPAND, [x, s], {}, options)[0]!;
}
