import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';
import type { Initializer } from './initializers.ts';
import type { ModelContext } from './model-context.ts';
import { parameter } from './parameter.ts';

export type KernelInit = 'glorot_uniform' | 'he_uniform';

export interface DenseOptions {
  readonly units: number;
  /** Scope of the layer's parameters (`<scope>/kernel`, `<scope>/bias`). */
  readonly name: string;
  readonly bias?: boolean;
  readonly kernelInit?: KernelInit;
  /**
   * Fan-out used by Glorot's limit when one kernel holds several Keras layers side by side (the fused
   * q/k/v projection is 24 Dense(64) layers: each keeps its own limit sqrt(6 / (512 + 64))).
   */
  readonly glorotFanOut?: number;
  /** Multiplies x W (not the bias): folds a preceding dropout's 1 / (1 - rate) into the product. */
  readonly inputScale?: number;
}

/**
 * Keras Dense without activation: x [..., K] -> x W (+ b), W [K, units] initialised as Keras does,
 * b zeros. Written as one 2-D Gemm over the flattened rows, bias as Gemm's C: onnxruntime then adds
 * the bias inside the product instead of in a separate pass over the output, and the backward pass is
 * Gemms too. The reshapes around it cost nothing (onnxruntime aliases the buffer).
 */
export function dense(ctx: ModelContext, x: Tensor, options: DenseOptions): Tensor {
  const fanIn = x.shape[x.rank - 1];
  if (typeof fanIn !== 'number') {
    throw new Error(`dense ${options.name}: input ${x.toString()} needs a static last dim`);
  }
  const { units } = options;
  return ctx.graph.scope(options.name, () => {
    const init: Initializer =
      (options.kernelInit ?? 'glorot_uniform') === 'he_uniform'
        ? { kind: 'he_uniform', fanIn }
        : { kind: 'glorot_uniform', fanIn, fanOut: options.glorotFanOut ?? units };
    const kernel = parameter(ctx, 'kernel', [fanIn, units], init);
    const bias = options.bias === false ? undefined : parameter(ctx, 'bias', [units], { kind: 'zeros' });
    const rows = x.rank === 2 ? x : op.reshape(x, [-1, fanIn], { name: 'rows' });
    const y = op.gemm(rows, kernel, bias, {
      ...(options.inputScale !== undefined ? { alpha: options.inputScale } : {}),
    });
    return x.rank === 2 ? y : op.reshape(y, leadingShape(x, units), { name: 'unflatten' });
  });
}

/** x's shape with the last dim replaced by `last`, as a shape tensor that keeps symbolic dims. */
function leadingShape(x: Tensor, last: number): Tensor {
  const lead = x.shape.slice(0, -1);
  if (lead.every((d) => typeof d === 'number')) return x.graph.ints([...(lead as number[]), last]);
  return op.concat([op.slice(op.shapeOf(x), [0], [x.rank - 1]), x.graph.ints([last])], 0, { name: 'shape' });
}
