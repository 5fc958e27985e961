/** Options shared by every landmark reader. */
export interface ReadOptions {
  /**
   * Refuse clips spanning more frames than this (`too_many_frames`); at most MAX_FRAMES
   * (src/shared/limits.ts), which is also the default: a caller may lower the limit, never raise it.
   */
  readonly maxFrames?: number;
}
