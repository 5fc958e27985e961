/**
 * The operators an int8 graph is written with. The builder's own table (`onnx/ops`) covers what
 * training needs; these four exist only for the exported int8 model, so they live here.
 *
 * - DynamicQuantizeLinear, MatMulInteger (standard ONNX): any ONNX runtime runs them.
 * - MatMulIntegerToFloat, DynamicQuantizeMatMul (com.microsoft): onnxruntime's fused kernels; both
 *   onnxruntime-node and onnxruntime-web's WASM build register them (checked in the tests).
 */
import type { NodeOptions } from '../../onnx/graph.ts';
import type { InferContext, OpSchema } from '../../onnx/op-schema.ts';
import type { Dim } from '../../onnx/shape.ts';
import { broadcastShapes, formatShape, unifyDim } from '../../onnx/shape.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import { attr } from '../../onnx/attributes.ts';

export const MS_DOMAIN = 'com.microsoft';

/** numpy MatMul output shape, as MatMulInteger and the fused kernels compute it. */
function matMulShape(ctx: InferContext, a: Tensor, b: Tensor): Dim[] {
  if (a.rank < 2 || b.rank < 2)
    ctx.fail(`operands must have rank >= 2, got ${formatShape(a.shape)} x ${formatShape(b.shape)}`);
  unifyDim(a.shape[a.rank - 1]!, b.shape[b.rank - 2]!, 'contraction dim');
  const batch = broadcastShapes([a.shape.slice(0, -2), b.shape.slice(0, -2)], 'batch dims');
  return [...batch, a.shape[a.rank - 2]!, b.shape[b.rank - 1]!];
}

/** A weight scale or zero point: a scalar (per tensor) or one value per output column. */
function checkPerColumn(ctx: InferContext, i: number, b: Tensor, what: string): void {
  const t = ctx.optional(i);
  if (t === undefined || t.rank === 0) return;
  const n = b.shape[b.rank - 1]!;
  if (t.rank !== 1) ctx.fail(`${what} must be a scalar or [${String(n)}], got ${formatShape(t.shape)}`);
  unifyDim(t.shape[0]!, n, what);
}

export const DYNAMIC_QUANTIZE_LINEAR: OpSchema = {
  opType: 'DynamicQuantizeLinear',
  infer: (ctx) => {
    ctx.requireDtype(0, 'float32');
    return [
      { dtype: 'uint8', shape: ctx.input(0).shape },
      { dtype: 'float32', shape: [] },
      { dtype: 'uint8', shape: [] },
    ];
  },
};

/** Inputs: x, y_scale (scalar or [x.shape[axis]]), y_zero_point (same shape); attribute axis. */
export const QUANTIZE_LINEAR: OpSchema = {
  opType: 'QuantizeLinear',
  infer: (ctx) => {
    ctx.requireDtype(0, 'float32');
    ctx.requireDtype(1, 'float32');
    const zero = ctx.optional(2);
    if (zero !== undefined) ctx.requireDtype(2, 'uint8', 'int8');
    return [{ dtype: zero?.dtype ?? 'uint8', shape: ctx.input(0).shape }];
  },
};

export const MATMUL_INTEGER: OpSchema = {
  opType: 'MatMulInteger',
  infer: (ctx) => {
    ctx.requireDtype(0, 'uint8', 'int8');
    ctx.requireDtype(1, 'uint8', 'int8');
    const a = ctx.input(0);
    const b = ctx.input(1);
    if (ctx.optional(2) !== undefined) ctx.requireDtype(2, a.dtype);
    if (ctx.optional(3) !== undefined) ctx.requireDtype(3, b.dtype);
    checkPerColumn(ctx, 3, b, 'b_zero_point');
    return [{ dtype: 'int32', shape: matMulShape(ctx, a, b) }];
  },
};

/** Inputs: A, B, a_scale, b_scale, a_zero_point?, b_zero_point?, bias?. */
export const MATMUL_INTEGER_TO_FLOAT: OpSchema = {
  opType: 'MatMulIntegerToFloat',
  domain: MS_DOMAIN,
  infer: (ctx) => {
    ctx.requireDtype(0, 'uint8', 'int8');
    ctx.requireDtype(1, 'uint8', 'int8');
    ctx.requireDtype(2, 'float32');
    ctx.requireDtype(3, 'float32');
    const b = ctx.input(1);
    checkPerColumn(ctx, 3, b, 'b_scale');
    checkPerColumn(ctx, 5, b, 'b_zero_point');
    return [{ dtype: 'float32', shape: matMulShape(ctx, ctx.input(0), b) }];
  },
};

/** Inputs: A (float), B, b_scale, b_zero_point?, bias?. Quantizes A per tensor itself. */
export const DYNAMIC_QUANTIZE_MATMUL: OpSchema = {
  opType: 'DynamicQuantizeMatMul',
  domain: MS_DOMAIN,
  infer: (ctx) => {
    ctx.requireDtype(0, 'float32');
    ctx.requireDtype(1, 'uint8', 'int8');
    ctx.requireDtype(2, 'float32');
    const b = ctx.input(1);
    checkPerColumn(ctx, 2, b, 'b_scale');
    checkPerColumn(ctx, 3, b, 'b_zero_point');
    return [{ dtype: 'float32', shape: matMulShape(ctx, ctx.input(0), b) }];
  },
};

export function dynamicQuantizeLinear(x: Tensor, options?: NodeOptions): [Tensor, Tensor, Tensor] {
  const [q, scale, zero] = x.graph.addNode(DYNAMIC_QUANTIZE_LINEAR, [x], {}, options);
  return [q!, scale!, zero!];
}

/** Per-axis quantization when the scale is 1-D (one scale per index of `axis`). */
export function quantizeLinear(
  x: Tensor,
  scale: Tensor,
  zeroPoint: Tensor,
  axis: number,
  options?: NodeOptions,
): Tensor {
  return x.graph.addNode(QUANTIZE_LINEAR, [x, scale, zeroPoint], { axis: attr.int(axis) }, options)[0]!;
}

export function matMulInteger(
  a: Tensor,
  b: Tensor,
  aZeroPoint?: Tensor,
  bZeroPoint?: Tensor,
  options?: NodeOptions,
): Tensor {
  return a.graph.addNode(MATMUL_INTEGER, [a, b, aZeroPoint, bZeroPoint], {}, options)[0]!;
}

export function matMulIntegerToFloat(
  a: Tensor,
  b: Tensor,
  aScale: Tensor,
  bScale: Tensor,
  aZeroPoint?: Tensor,
  bZeroPoint?: Tensor,
  bias?: Tensor,
  options?: NodeOptions,
): Tensor {
  return a.graph.addNode(
    MATMUL_INTEGER_TO_FLOAT,
    [a, b, aScale, bScale, aZeroPoint, bZeroPoint, bias],
    {},
    options,
  )[0]!;
}

export function dynamicQuantizeMatMul(
  a: Tensor,
  b: Tensor,
  bScale: Tensor,
  bZeroPoint?: Tensor,
  bias?: Tensor,
  options?: NodeOptions,
): Tensor {
  return a.graph.addNode(DYNAMIC_QUANTIZE_MATMUL, [a, b, bScale, bZeroPoint, bias], {}, options)[0]!;
}
