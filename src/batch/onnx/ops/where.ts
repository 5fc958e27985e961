/** Where(condition, x, y), broadcasting all three. */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import { broadcastShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import type { Operand } from './operand.ts';
import { lift, out } from './operand.ts';

export const WHERE: OpSchema = {
  opType: 'Where',
  infer: (ctx) => {
    ctx.requireDtype(0, 'bool');
    const dtype = ctx.sameDtype([1, 2]);
    return out(
      dtype,
      broadcastShapes(
        [0, 1, 2].map((i) => ctx.input(i).shape),
        'broadcast',
      ),
    );
  },
};

/** Elementwise `condition ? x : y`; a number takes the other branch's dtype. */
export function where(condition: Tensor, x: Operand, y: Operand, options?: NodeOptions): Tensor {
  const [a, b] = lift('Where', x, y);
  return condition.graph.addNode(WHERE, [condition, a, b], {}, options)[0]!;
}
