/** What model code asks of a noise generator; GraphNoise and FedNoise both provide it. */
import type { Tensor } from '../tensor.ts';

export interface NoiseSource {
  /** float32 noise in [0, 1) shaped like `like` (whose leading dim may be symbolic). */
  uniformLike(like: Tensor): Tensor;
  /** A bool mask shaped like `like`, each element true with probability `p`. */
  bernoulliLike(like: Tensor, p: number): Tensor;
}
