/** Operators that take tensors apart or put them together: Slice, Pad, Concat, Split, Gather, ScatterND. */
import type { Attributes } from '../attributes.ts';
import { attr } from '../attributes.ts';
import type { NodeOptions } from '../graph.ts';
import type { InferredOutput, OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { formatShape, normalizeAxis, unifyDim, unifyShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

// Slice with constant starts/ends/axes/steps (inputs, opset 13+ semantics).

/** Sentinel for "to the end", as exporters write it (INT64_MAX loses nothing that matters as a double). */
export const SLICE_END = Number.MAX_SAFE_INTEGER;

export interface SliceRange {
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

/** ONNX's clamping of one axis's start/end for a dim of known size: [first index, element count]. */
export function resolveSlice(d: number, r: SliceRange): { first: number; count: number } {
  let { start, end } = r;
  const { step } = r;
  if (start < 0) start += d;
  if (end < 0) end += d;
  if (step > 0) {
    start = Math.min(Math.max(start, 0), d);
    end = Math.min(Math.max(end, 0), d);
  } else {
    start = Math.min(Math.max(start, 0), d - 1);
    end = Math.min(Math.max(end, -1), d - 1);
  }
  const count = Math.max(0, Math.ceil((end - start) / step));
  return { first: start, count };
}

/** The per-axis ranges of a Slice node with constant inputs (axes normalised). */
export function sliceRanges(
  rank: number,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[] | undefined,
  steps: readonly number[] | undefined,
): Map<number, SliceRange> {
  const ranges = new Map<number, SliceRange>();
  starts.forEach((start, i) => {
    const axis = normalizeAxis(axes?.[i] ?? i, rank, 'axes');
    const step = steps?.[i] ?? 1;
    if (step === 0) throw new Error('slice step must not be 0');
    ranges.set(axis, { start, end: ends[i]!, step });
  });
  return ranges;
}

export const SLICE: OpSchema = {
  opType: 'Slice',
  infer: (ctx) => {
    const x = ctx.input(0);
    const starts = ctx.requireConstInts(1, 'starts');
    const ends = ctx.requireConstInts(2, 'ends');
    const axes = ctx.optional(3) === undefined ? undefined : ctx.requireConstInts(3, 'axes');
    const steps = ctx.optional(4) === undefined ? undefined : ctx.requireConstInts(4, 'steps');
    if (ends.length !== starts.length || (axes && axes.length !== starts.length)) {
      ctx.fail('starts, ends and axes must have the same length');
    }
    const ranges = sliceRanges(x.rank, starts, ends, axes, steps);
    const shape: Dim[] = x.shape.map((d, axis) => {
      const r = ranges.get(axis);
      if (r === undefined) return d;
      if (typeof d === 'number') return resolveSlice(d, r).count;
      return r.start === 0 && r.step === 1 && r.end >= 2 ** 31 - 1 ? d : null;
    });
    const sv = ctx.shapeValue(0);
    const r0 = ranges.get(0);
    let shapeValue: Dim[] | undefined;
    if (x.rank === 1 && sv !== undefined && r0 !== undefined) {
      const { first, count } = resolveSlice(sv.length, r0);
      shapeValue = Array.from({ length: count }, (_, k) => sv[first + k * r0.step]!);
    }
    return [{ dtype: x.dtype, shape, ...(shapeValue ? { shapeValue } : {}) }];
  },
};

/**
 * `x[starts:ends:steps]` on the given axes (default 0..n-1). Use SLICE_END for "to the end".
 */
export function slice(
  x: Tensor,
  starts: readonly number[],
  ends: readonly number[],
  axes?: readonly number[],
  steps?: readonly number[],
  options?: NodeOptions,
): Tensor {
  const g = x.graph;
  const inputs = [x, g.ints(starts), g.ints(ends)];
  if (axes !== undefined || steps !== undefined) inputs.push(g.ints(axes ?? starts.map((_, i) => i)));
  if (steps !== undefined) inputs.push(g.ints(steps));
  return g.addNode(SLICE, inputs, {}, options)[0]!;
}

// Pad (constant mode) with constant pads, optionally on selected axes (opset 18).

export const PAD: OpSchema = {
  opType: 'Pad',
  infer: (ctx) => {
    const x = ctx.input(0);
    const pads = ctx.requireConstInts(1, 'pads');
    const axes =
      ctx.optional(3) === undefined
        ? x.shape.map((_, i) => i)
        : ctx.requireConstInts(3, 'axes').map((a) => normalizeAxis(a, x.rank, 'axes'));
    if (pads.length !== 2 * axes.length) ctx.fail(`pads has ${pads.length} entries for ${axes.length} axes`);
    const shape: Dim[] = [...x.shape];
    axes.forEach((a, i) => {
      const extra = pads[i]! + pads[i + axes.length]!;
      const d = shape[a]!;
      shape[a] = extra === 0 ? d : typeof d === 'number' ? d + extra : null;
    });
    return out(x.dtype, shape);
  },
};

/** Zero-pad (or `value`-pad) `x`: `begin[i]`/`end[i]` elements before/after on `axes[i]`. */
export function pad(
  x: Tensor,
  axes: readonly number[],
  begin: readonly number[],
  end: readonly number[],
  options: NodeOptions & { value?: number } = {},
): Tensor {
  const g = x.graph;
  const value = g.scalar(options.value ?? 0, x.dtype);
  return g.addNode(PAD, [x, g.ints([...begin, ...end]), value, g.ints(axes)], {}, options)[0]!;
}

// Concat along one axis; also concatenates shape tensors symbolically (for Reshape targets).

export const CONCAT: OpSchema = {
  opType: 'Concat',
  infer: (ctx) => {
    if (ctx.count === 0) ctx.fail('Concat needs at least one input');
    const indices = ctx.inputs.map((_, i) => i);
    const dtype = ctx.sameDtype(indices);
    const first = ctx.input(0);
    const axis = normalizeAxis(ctx.attr.int('axis'), first.rank, 'axis');
    const shape: Dim[] = [...first.shape];
    let along: Dim = first.shape[axis]!;
    for (const i of indices.slice(1)) {
      const t = ctx.input(i);
      if (t.rank !== first.rank) ctx.fail(`${t.name} has rank ${t.rank}, ${first.name} has ${first.rank}`);
      t.shape.forEach((d, k) => {
        if (k !== axis) shape[k] = unifyDim(shape[k]!, d, `dim ${k} of ${t.name}`);
      });
      const d = t.shape[axis]!;
      along = typeof along === 'number' && typeof d === 'number' ? along + d : null;
    }
    shape[axis] = along;
    const parts = indices.map((i) => ctx.shapeValue(i));
    const shapeValue =
      first.rank === 1 && parts.every((p) => p !== undefined) ? parts.flatMap((p) => [...p!]) : undefined;
    return [{ dtype, shape, ...(shapeValue ? { shapeValue } : {}) }];
  },
};

export function concat(xs: readonly Tensor[], axis: number, options?: NodeOptions): Tensor {
  if (xs.length === 0) throw new Error('concat of no tensors');
  return xs[0]!.graph.addNode(CONCAT, xs, { axis: attr.int(axis) }, options)[0]!;
}

// Split along one axis into given sizes (opset 18: sizes as an input).

export const SPLIT: OpSchema = {
  opType: 'Split',
  infer: (ctx) => {
    const x = ctx.input(0);
    const axis = normalizeAxis(ctx.attr.int('axis', 0), x.rank, 'axis');
    const sizes = ctx.optional(1) === undefined ? undefined : ctx.requireConstInts(1, 'split');
    const d = x.shape[axis]!;
    let parts: number[];
    if (sizes !== undefined) {
      const total = sizes.reduce((a, b) => a + b, 0);
      if (typeof d === 'number' && total !== d)
        ctx.fail(`split sizes sum to ${total}, axis ${axis} has ${d}`);
      if (typeof d !== 'number' && d !== null) ctx.fail(`cannot split named dim ${d} into fixed sizes`);
      parts = sizes;
    } else {
      const n = ctx.attr.int('num_outputs');
      if (typeof d !== 'number') return ctx.fail('num_outputs split needs a static axis');
      const chunk = Math.ceil(d / n);
      parts = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, d - i * chunk)));
    }
    return parts.map((size): InferredOutput => {
      const shape = [...x.shape];
      shape[axis] = size;
      return { dtype: x.dtype, shape };
    });
  },
};

export function split(x: Tensor, sizes: readonly number[], axis = 0, options?: NodeOptions): Tensor[] {
  return x.graph.addNode(SPLIT, [x, x.graph.ints(sizes)], { axis: attr.int(axis) }, options);
}

// Gather along one axis: out = data[:axis] + indices.shape + data[axis+1:].

export const GATHER: OpSchema = {
  opType: 'Gather',
  infer: (ctx) => {
    const data = ctx.input(0);
    const indices = ctx.input(1);
    ctx.requireDtype(1, 'int32', 'int64');
    if (data.rank === 0) ctx.fail('Gather data must have rank >= 1');
    const axis = normalizeAxis(ctx.attr.int('axis', 0), data.rank, 'axis');
    const shape: Dim[] = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
    const sv = ctx.shapeValue(0);
    const idx = ctx.constInts(1);
    let shapeValue: Dim[] | undefined;
    if (sv !== undefined && idx !== undefined && indices.rank === 1) {
      shapeValue = idx.map((i) => sv[i < 0 ? i + sv.length : i] ?? null);
    }
    return [{ dtype: data.dtype, shape, ...(shapeValue ? { shapeValue } : {}) }];
  },
};

export function gather(data: Tensor, indices: Tensor, axis = 0, options?: NodeOptions): Tensor {
  return data.graph.addNode(GATHER, [data, indices], { axis: attr.int(axis) }, options)[0]!;
}

// ScatterND: write (or accumulate, with a reduction) slices of `updates` into a copy of `data`.

export const SCATTER_ND: OpSchema = {
  opType: 'ScatterND',
  infer: (ctx) => {
    const data = ctx.input(0);
    const indices = ctx.input(1);
    const updates = ctx.input(2);
    ctx.requireDtype(1, 'int64');
    ctx.sameDtype([0, 2]);
    const k = indices.shape[indices.rank - 1];
    if (typeof k !== 'number')
      return ctx.fail(`last dim of indices ${formatShape(indices.shape)} must be static`);
    const expected = [...indices.shape.slice(0, -1), ...data.shape.slice(k)];
    unifyShapes(updates.shape, expected, 'updates vs indices.shape[:-1] + data.shape[k:]');
    return out(data.dtype, data.shape);
  },
};

export function scatterND(
  data: Tensor,
  indices: Tensor,
  updates: Tensor,
  reduction: 'none' | 'add' | 'mul' | 'max' | 'min' = 'none',
  options?: NodeOptions,
): Tensor {
  const attributes: Attributes = reduction === 'none' ? {} : { reduction: attr.string(reduction) };
  return data.graph.addNode(SCATTER_ND, [data, indices, updates], attributes, options)[0]!;
}
