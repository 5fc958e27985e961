/** Reshape, with symbolic inference of 0 (copy the input dim) and -1 (whatever is left). */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Dim, Shape } from '../shape.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

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
