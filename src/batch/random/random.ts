/**
 * The project's seeded generator: xoshiro128** (Blackman & Vigna, 2018), a small, fast, well-tested
 * generator on 32-bit words, so it runs on plain JS integer maths. Training (sampler, validation
 * signers), parameter initialisation, tests and anything new draw from it.
 *
 * Independent streams (the sampler of epoch 7, the initial value of one parameter, ...) are keyed by
 * the run seed plus labels, expanded into a state with SplitMix32, so no stream depends on how much
 * another one has been used, and a resumed run rebuilds every stream from (seed, epoch, step) instead
 * of saving one. `state()` / `fromState()` expose the four state words (the reference vectors check
 * the algorithm through them).
 */

export type RandomState = readonly [number, number, number, number];

export type StreamLabel = number | string;

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  private constructor(state: RandomState) {
    [this.s0, this.s1, this.s2, this.s3] = state;
  }

  /** The stream for (seed, ...labels): the same arguments always give the same numbers. */
  static seeded(seed: number, ...labels: readonly StreamLabel[]): Random {
    return new Random(stateFromKey(streamKey(seed, labels)));
  }

  /** Continues a stream saved with `state()`. */
  static fromState(state: unknown): Random {
    if (!isRandomState(state)) {
      throw new RangeError(`not a random state (four uint32, not all zero): ${JSON.stringify(state)}`);
    }
    return new Random(state);
  }

  state(): RandomState {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) on a 2^-32 grid. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n), n in [1, 2^32]; rejection sampling keeps it exactly uniform. */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
      throw new RangeError(`below(${n}): n must be an integer in [1, 2^32]`);
    }
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Fisher-Yates, in place; returns its argument. */
  shuffle<T extends { length: number; [index: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

export function isRandomState(value: unknown): value is RandomState {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    value.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) &&
    value.some((w) => w !== 0)
  );
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const GOLDEN_GAMMA = 0x9e3779b9;

/** SplitMix32's output function (constants from Hash Prospector): a strong 32-bit avalanche. */
function finalize(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

function mix32(x: number): number {
  return finalize((x + GOLDEN_GAMMA) | 0);
}

function streamKey(seed: number, labels: readonly StreamLabel[]): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed ${seed} is not a uint32`);
  }
  let h = mix32(seed);
  for (const label of labels) {
    const words = labelWords(label);
    // Type and length words keep ('ab') apart from ('a', 'b') and from a number with the same words.
    h = mix32(h ^ (typeof label === 'string' ? 1 : 2));
    h = mix32(h ^ words.length);
    for (const w of words) h = mix32(h ^ w);
  }
  return h;
}

function labelWords(label: StreamLabel): number[] {
  if (typeof label === 'string') return Array.from(label, (ch) => ch.codePointAt(0)!);
  if (!Number.isSafeInteger(label) || label < 0) {
    throw new RangeError(`stream label ${label} is not a non-negative integer`);
  }
  return [label >>> 0, Math.floor(label / 4294967296)];
}

function stateFromKey(key: number): RandomState {
  let z = key;
  const next = (): number => {
    z = (z + GOLDEN_GAMMA) | 0;
    return finalize(z);
  };
  const state: [number, number, number, number] = [next(), next(), next(), next()];
  // xoshiro's one forbidden state; vanishingly unlikely from SplitMix, but cheap to rule out.
  if (state.every((w) => w === 0)) state[0] = 1;
  return state;
}
