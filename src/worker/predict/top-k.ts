export interface Ranked {
  readonly index: number;
  readonly probability: number;
}

/** The k most probable classes, most probable first; ties keep the lower index first. */
export function topK(probabilities: Float32Array, k: number): Ranked[] {
  const order = Array.from(probabilities.keys());
  order.sort((a, b) => probabilities[b]! - probabilities[a]! || a - b);
  return order
    .slice(0, Math.min(k, order.length))
    .map((index) => ({ index, probability: probabilities[index]! }));
}
