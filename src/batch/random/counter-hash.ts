/**
 * The counter-based hash behind all training noise: noise is a pure function of (seed, step, stream,
 * element index), so a run resumed at step k replays exactly the noise of an uninterrupted run.
 * These are the JS versions, and `fillNoise` is how the trainer makes the bits it feeds the training
 * graph; onnx/noise builds the same functions from ONNX uint32 ops (GraphNoise) and the graph side of
 * fed noise (FedNoise).
 */

/** 2^32 / golden ratio: consecutive counters land far apart before hashing. */
export const GOLDEN = 0x9e3779b1;
/** Spreads stream numbers over the key space before they are mixed with the step. */
export const STREAM_MULTIPLIER = 0x85ebca6b;

/** C. Wellons' lowbias32 finaliser (uint32 -> uint32, a bijection with strong avalanche). */
export function lowbias32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** The uint32 key of one noise stream at one step. `seed` and `step` are taken modulo 2^32. */
export function streamKey(seed: number | bigint, step: number | bigint, stream: number): number {
  const s32 = Number(BigInt.asUintN(32, BigInt(seed)));
  const t32 = Number(BigInt.asUintN(32, BigInt(step)));
  const mixed = lowbias32((Math.imul(stream + 1, STREAM_MULTIPLIER) + lowbias32(t32)) >>> 0);
  return lowbias32((s32 ^ mixed) >>> 0);
}

/** The 32 random bits of counter `index` under `key`. */
export function counterBits(key: number, index: number): number {
  return lowbias32((Math.imul(index, GOLDEN) + key) >>> 0);
}

/**
 * Fills `target` with stream `stream`'s bits for (seed, step):
 *   target[i] = 16-bit half (i mod 2) of counterBits(streamKey(seed, step, stream), floor(i / 2))
 */
export function fillNoise(
  target: Uint16Array,
  seed: number | bigint,
  step: number | bigint,
  stream: number,
): void {
  const key = streamKey(seed, step, stream);
  const words = target.length >>> 1;
  if (target.byteOffset % 4 === 0) {
    // Little-endian: the low half of each word lands at the even index, as the formula says.
    const view = new Uint32Array(target.buffer, target.byteOffset, words);
    for (let w = 0; w < words; w++) view[w] = counterBits(key, w);
  } else {
    for (let w = 0; w < words; w++) {
      const b = counterBits(key, w);
      target[2 * w] = b & 0xffff;
      target[2 * w + 1] = b >>> 16;
    }
  }
  if (target.length % 2 === 1) target[target.length - 1] = counterBits(key, words) & 0xffff;
}
