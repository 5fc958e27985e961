/** Slice with constant starts/ends/axes/steps (inputs, opset 13+ semantics). */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim } from '../shape.ts';
import { normalizeAxis } from '../shape.ts';
import type { Tensor } from '../tensor.ts';

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
