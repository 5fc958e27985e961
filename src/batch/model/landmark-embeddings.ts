import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';
import { GROUP_NAMES } from '../../shared/preprocess/constants.ts';
import { dense } from './dense.ts';
import { gelu } from './gelu.ts';
import type { ModelContext } from './model-context.ts';
import type { LandmarkGroups } from './normalize-landmarks.ts';
import { parameter } from './parameter.ts';

/**
 * The baseline's per-group landmark embeddings and their weighted merge, per frame ([..., F_g] ->
 * [..., units]; the model runs it on packed frames [R, F_g]):
 *
 *   E_g = empty_g                                  where group g's values sum to 0 in the frame
 *       = Dense2_g(GELU(Dense1_g(x_g)))            otherwise (Dense: no bias; Glorot, then He)
 *   out = sum_g softmax(w)_g E_g                   w: 3 learned landmark weights, initialised to 0
 *
 * empty_g is a learned vector initialised to zeros. Written without any pass that selects or scales
 * the [rows, units] embeddings: the weights scale the (small) Dense2 kernels and empty vectors
 * instead, and the choice between the two is made by zeroing a missing group's (small) input: with
 * no biases, Dense2(GELU(Dense1(0))) = 0, so
 *
 *   out = sum_g GELU(Dense1_g(x_g present_g)) (w_g W2_g)  +  missing [rows, 3] (w_g empty_g)_g
 *
 * (present_g = 1 - missing_g per frame) equals the formula above and has the same gradients: a
 * missing frame contributes nothing to W1_g or W2_g. Three Adds of four products replace three Where,
 * three weighting Muls and a Sum forward, and more backward.
 */
export function landmarkEmbeddings(ctx: ModelContext, groups: LandmarkGroups, units: number): Tensor {
  const g = ctx.graph;
  const missing: Tensor[] = [];
  const hidden: Tensor[] = [];
  const kernels: Tensor[] = [];
  const empties: Tensor[] = [];
  for (const name of GROUP_NAMES) {
    g.scope(name, () => {
      const x = groups[name];
      const absent = op.cast(op.equal(op.reduceSum(x, [-1], { keepDims: true }), 0), ctx.dtype, {
        name: 'missing',
      });
      empties.push(parameter(ctx, 'empty', [units], { kind: 'zeros' }));
      const present = op.mul(x, op.sub(1, absent), { name: 'present' });
      hidden.push(gelu(dense(ctx, present, { units, name: 'dense1', bias: false })));
      kernels.push(
        g.scope('dense2', () =>
          parameter(ctx, 'kernel', [units, units], { kind: 'he_uniform', fanIn: units }),
        ),
      );
      missing.push(absent);
    });
  }
  const weights = op.softmax(parameter(ctx, 'landmark_weights', [GROUP_NAMES.length], { kind: 'zeros' }), 0, {
    name: 'group_weights',
  });
  const weight = (i: number) => op.slice(weights, [i], [i + 1]);
  const products = hidden.map((h, i) =>
    op.matMul(h, op.mul(kernels[i]!, weight(i)), { name: 'weighted_dense2' }),
  );
  const emptyTable = op.mul(
    op.concat(
      empties.map((e) => op.unsqueeze(e, [0])),
      0,
    ),
    op.unsqueeze(weights, [1]),
    { name: 'weighted_empty' },
  );
  products.push(op.matMul(op.concat(missing, -1, { name: 'missing' }), emptyTable, { name: 'empty_rows' }));
  // A chain of Adds rather than one Sum: the WebGPU provider has no Sum kernel.
  return products.reduce((sum, p, i) =>
    op.add(sum, p, { name: i === products.length - 1 ? 'merged' : 'partial' }),
  );
}
