import * as op from '../../onnx/ops/index.ts';
import type { GradRule } from '../grad-rule.ts';

/** Max/Min of several tensors: each input gets dy where it equals the result, ties sharing evenly. */
export const variadicExtremumRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, inputs, outputs, wants }) => {
    const y = outputs[0]!;
    const hits = inputs.map((x) => op.cast(op.equal(x!, y), y.dtype));
    const share = hits.length === 1 ? dy : op.div(dy, op.sum(hits));
    return hits.map((hit, i) => (wants[i] ? op.mul(share, hit) : undefined));
  },
};
