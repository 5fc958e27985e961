import { tensorData } from '../onnx/tensor-data.ts';
import type { TensorData } from '../onnx/tensor-data.ts';
import type { Tensor } from '../onnx/tensor.ts';
import type { Initializer } from './initializers.ts';
import { initialValue } from './initializers.ts';
import type { ModelContext } from './model-context.ts';
import { toActivationType } from './model-context.ts';

/**
 * A trainable parameter `<current scope>/<name>`: initialised from its own seeded stream, or given
 * the value `ctx.values` holds for it; returned in the activations' dtype (ctx.parameterDType is what
 * the graph stores and the optimizer updates).
 */
export function parameter(
  ctx: ModelContext,
  name: string,
  dims: readonly number[],
  init: Initializer,
): Tensor {
  const g = ctx.graph;
  const full = g.scoped(name);
  const stored =
    ctx.values === undefined
      ? g.parameter(name, initialValue(init, dims, ctx.parameterDType, ctx.seed, full))
      : g.parameter(name, givenValue(ctx, full, dims));
  return toActivationType(ctx, stored, `${name}_${ctx.dtype}`);
}

function givenValue(ctx: ModelContext, name: string, dims: readonly number[]): TensorData {
  const value = ctx.values?.get(name);
  if (value === undefined) throw new Error(`no value given for parameter ${name}`);
  if (value.dims.length !== dims.length || value.dims.some((d, i) => d !== dims[i])) {
    throw new Error(
      `parameter ${name}: value has shape [${value.dims.join(', ')}], the model needs [${dims.join(', ')}]`,
    );
  }
  if (value.dtype === ctx.parameterDType) return value;
  return tensorData(ctx.parameterDType, Array.from(value.data as ArrayLike<number>), dims);
}
