/** Range(start, limit, delta): a 1-D arithmetic sequence. */
import type { DType } from '../dtype.ts';
import type { Graph, NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

export const RANGE: OpSchema = {
  opType: 'Range',
  infer: (ctx) => {
    const dtype = ctx.sameDtype([0, 1, 2]);
    for (const i of [0, 1, 2]) if (ctx.input(i).rank !== 0) ctx.fail('Range takes scalars');
    const [s, l, d] = [0, 1, 2].map((i) => ctx.inputs[i]?.constantValue?.data[0]);
    const known = s !== undefined && l !== undefined && d !== undefined;
    const n = known ? Math.max(0, Math.ceil((Number(l) - Number(s)) / Number(d))) : null;
    return out(dtype, [n]);
  },
};

/** `[start, start + delta, ...)` up to `limit`; numbers become constants of `dtype` (default int64). */
export function range(
  g: Graph,
  start: Tensor | number,
  limit: Tensor | number,
  delta: Tensor | number = 1,
  options: NodeOptions & { dtype?: DType } = {},
): Tensor {
  const dtype = options.dtype ?? 'int64';
  const lift = (v: Tensor | number) => (typeof v === 'number' ? g.scalar(v, dtype) : v);
  return g.addNode(RANGE, [lift(start), lift(limit), lift(delta)], {}, options)[0]!;
}
