import * as op from '../onnx/ops/index.ts';
import type { Tensor } from '../onnx/tensor.ts';

/**
 * The baseline's activation, Keras gelu (exact: x Phi(x)). onnxruntime's CPU build has float32
 * kernels only for Gelu and Erf, so a float64 model (built for gradient checks) uses the tanh
 * approximation instead, whose ops all have double kernels; the exact rule has its own float32 check
 * in the rule tests.
 */
export function gelu(x: Tensor): Tensor {
  return op.gelu(x, { approximate: x.dtype === 'float64' ? 'tanh' : 'none' });
}
