import type { Clip } from '../../shared/landmarks/clip.ts';
import { COORDS, LANDMARK_OFFSETS, VALUES_PER_FRAME } from '../../shared/landmarks/layout.ts';

export interface SignWindowOptions {
  /** Frames kept: the longest clip the Worker is asked about (2 s of a 30 fps webcam). */
  readonly capacity: number;
  /** While a hand is up, ask at most this often. */
  readonly askEveryMs: number;
  /** Consecutive frames without either hand that mean the hands have dropped: the sign is over. */
  readonly handsDownFrames: number;
  /** Frames with a hand the window must hold before it is worth asking. */
  readonly minHandFrames: number;
}

export const DEFAULT_SIGN_WINDOW: SignWindowOptions = {
  capacity: 60,
  askEveryMs: 1000,
  handsDownFrames: 6,
  minHandFrames: 6,
};

/** When to ask the Worker, and the clip to ask about. */
export interface Ask {
  /** `steady`: a hand is up and askEveryMs has passed. `hands-dropped`: the sign just ended. */
  readonly reason: 'steady' | 'hands-dropped';
  readonly clip: Clip;
}

const hasHand = (frame: Float32Array): boolean =>
  !Number.isNaN(frame[LANDMARK_OFFSETS.left_hand * COORDS]!) ||
  !Number.isNaN(frame[LANDMARK_OFFSETS.right_hand * COORDS]!);

/**
 * The webcam's last frames in the Kaggle layout, and the rule for when to send them: at a steady rate
 * while a hand is up, and once more, with the whole sign, when the hands drop (after which the window
 * starts afresh, so the next sign is not mixed with this one).
 */
export class SignWindow {
  private readonly frames: Float32Array[] = [];
  private readonly withHand: boolean[] = [];
  private handsUp = false;
  private framesWithoutHands = 0;
  private lastAskMs = -Infinity;

  constructor(private readonly options: SignWindowOptions = DEFAULT_SIGN_WINDOW) {}

  /** Adds one frame (copied) seen at `nowMs`; returns what to send, if it is time to send. */
  push(frame: Float32Array, nowMs: number): Ask | null {
    if (frame.length !== VALUES_PER_FRAME) throw new RangeError(`a frame has ${VALUES_PER_FRAME} values`);
    const hand = hasHand(frame);
    this.frames.push(frame.slice());
    this.withHand.push(hand);
    if (this.frames.length > this.options.capacity) {
      this.frames.shift();
      this.withHand.shift();
    }
    this.framesWithoutHands = hand ? 0 : this.framesWithoutHands + 1;
    if (hand) this.handsUp = true;
    if (!this.handsUp) return null;

    const handFrames = this.withHand.filter(Boolean).length;
    if (this.framesWithoutHands >= this.options.handsDownFrames) {
      // The sign is the window up to its last frame with a hand.
      const clip = this.clip(this.frames.length - this.framesWithoutHands);
      this.reset();
      if (handFrames < this.options.minHandFrames) return null;
      this.lastAskMs = nowMs;
      return { reason: 'hands-dropped', clip };
    }
    if (handFrames >= this.options.minHandFrames && nowMs - this.lastAskMs >= this.options.askEveryMs) {
      this.lastAskMs = nowMs;
      return { reason: 'steady', clip: this.clip(this.frames.length) };
    }
    return null;
  }

  /** The frames held now, oldest first: what the page draws. */
  current(): Clip {
    return this.clip(this.frames.length);
  }

  reset(): void {
    this.frames.length = 0;
    this.withHand.length = 0;
    this.handsUp = false;
    this.framesWithoutHands = 0;
  }

  private clip(count: number): Clip {
    const data = new Float32Array(count * VALUES_PER_FRAME);
    for (let f = 0; f < count; f++) data.set(this.frames[f]!, f * VALUES_PER_FRAME);
    return { frameCount: count, firstFrame: 0, data };
  }
}
