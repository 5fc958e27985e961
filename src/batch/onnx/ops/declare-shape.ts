/**
 * An Identity that gives its output a more specific shape than inference could, e.g. a named
 * symbolic dim for a data-dependent size (NonZero's count) so that tensors derived from it can be
 * told apart and broadcast against each other: `declareShape(indices, ['active_rows'])`. The declared
 * shape must agree with the input's (null dims take any value). Nothing is checked at run time beyond
 * what onnxruntime does with the written value_info.
 */
import type { NodeOptions } from '../graph.ts';
import type { OpSchema } from '../op-schema.ts';
import type { Shape } from '../shape.ts';
import { unifyShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { out } from './operand.ts';

export function declareShape(x: Tensor, shape: Shape, options?: NodeOptions): Tensor {
  const schema: OpSchema = {
    opType: 'Identity',
    infer: (ctx) => {
      const input = ctx.input(0);
      return out(input.dtype, unifyShapes(input.shape, shape, 'declared shape'));
    },
  };
  return x.graph.addNode(schema, [x], {}, { name: 'DeclareShape', ...options })[0]!;
}
