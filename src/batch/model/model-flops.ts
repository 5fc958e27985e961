import type { ModelConfig } from './config/config-schema.ts';

/**
 * Floating-point operations of one clip's forward pass in the products (dense layers and attention),
 * counting a multiply-add as 2; elementwise work is left out (it is memory-bound, not FLOP-bound).
 * A training step costs about 3x this: forward, and the two products per layer of the backward pass.
 */
export function forwardFlopsPerClip(model: ModelConfig): number {
  const { frames: t, units: u, landmark_units: l, heads, mlp_ratio: r, blocks, classes } = model;
  const inputs = (40 + 21 + 5) * 2;
  const embedding = inputs * l + 3 * l * l + l * u + u * u;
  const block = u * 3 * u + u * u + 2 * u * u * r;
  const attention = 2 * heads * t * t * (u / heads);
  return 2 * (t * (embedding + blocks * block) + blocks * attention + u * classes);
}
