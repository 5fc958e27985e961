/**
 * The counter-based hash behind all training noise: a draw is a pure function of (seed, step, stream,
 * element counter), so a run resumed at step k replays exactly the noise of an uninterrupted run, and
 * the trainer (JS, here) and the training graph (ONNX ops, ../onnx/noise/) draw the same bits.
 *
 * The mixer uses only what every onnxruntime provider runs on uint32: wrapping Mul and Add, and Div by
 * a power of two for the right shift. XOR and bit shifts are out (the WebGPU provider has no BitwiseXor
 * or BitShift kernel), so it is built like RC6's round function: the quadratic x (2x + 1) (a bijection
 * mod 2^32 that carries low bits up), a rotation by 16 (x * 2^16 + x / 2^16, whose halves never
 * overlap, so the sum is the OR) that carries high bits down, then an odd multiplier and a constant.
 * Two rounds pass avalanche (every output bit flips with probability 0.5 +- 0.012 for every input bit)
 * and show no correlation between neighbouring counters at lags 1, 1024 and 65536 (4M draws).
 */

/** 2^32 / golden ratio: consecutive counters land far apart before mixing. */
export const GOLDEN = 0x9e3779b1;
/** The odd multiplier and the additive constant of each round. */
export const MIX_MULTIPLIER = 0x846ca68b;
export const MIX_INCREMENT = 0x7feb352d;
/** Rounds of the mixer; the graph builder emits the same number. */
export const MIX_ROUNDS = 2;
/** Spreads stream numbers over the key space before they are mixed with the step. */
export const STREAM_MULTIPLIER = 0x85ebca6b;

/** The uint32 -> uint32 bijection every draw goes through. */
export function mix32(x: number): number {
  let h = x | 0;
  for (let round = 0; round < MIX_ROUNDS; round++) {
    h = Math.imul(h, (2 * h + 1) | 0);
    h = (h << 16) | (h >>> 16);
    h = (Math.imul(h, MIX_MULTIPLIER) + MIX_INCREMENT) | 0;
  }
  return h >>> 0;
}

/**
 * The uint32 key of one noise stream at one step (computed on the host only, and fed to the graph).
 * `seed` and `step` are taken modulo 2^32.
 */
export function streamKey(seed: number | bigint, step: number | bigint, stream: number): number {
  const s32 = Number(BigInt.asUintN(32, BigInt(seed)));
  const t32 = Number(BigInt.asUintN(32, BigInt(step)));
  const mixed = mix32((Math.imul(stream + 1, STREAM_MULTIPLIER) + mix32(t32)) | 0);
  return mix32((s32 + mixed) | 0);
}

/** The 32 random bits of `counter` under `key`. */
export function counterBits(key: number, counter: number): number {
  return mix32((Math.imul(counter, GOLDEN) + key) | 0);
}

/**
 * The 16-bit draw of `counter`: the top half of its bits. A Bernoulli draw with keep probability p
 * is `draw16 < round(p 2^16)`, which the graph computes equivalently on all 32 bits as
 * `counterBits < round(p 2^16) 2^16`.
 */
export function draw16(key: number, counter: number): number {
  return counterBits(key, counter) >>> 16;
}

/** The uint16 threshold of a Bernoulli draw that is true with probability round(p 2^16) / 2^16. */
export function keepThreshold16(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability ${p} is not in [0, 1]`);
  return Math.round(p * 65536);
}

/** target[i] = draw16(key, i): the draws of a tensor whose counters are its row-major indices. */
export function fillDraws(target: Uint16Array, key: number): void {
  for (let i = 0; i < target.length; i++) target[i] = counterBits(key, i) >>> 16;
}

/**
 * The draws of packed frame rows: row r of `channels` values belongs to frame slot `slots[r]`
 * (b * frames + t), and its counters are slot * channels + c, as if drawn over [B, T, channels] and
 * packed. So a frame's noise does not depend on which other frames the batch keeps.
 */
export function fillRowDraws(
  target: Uint16Array,
  key: number,
  slots: Int32Array,
  rows: number,
  channels: number,
): void {
  if (target.length < rows * channels) {
    throw new RangeError(
      `${rows} rows x ${channels} need ${rows * channels} draws, buffer has ${target.length}`,
    );
  }
  for (let r = 0; r < rows; r++) {
    const base = Math.imul(slots[r]!, channels);
    const out = r * channels;
    for (let c = 0; c < channels; c++) target[out + c] = counterBits(key, base + c) >>> 16;
  }
}
