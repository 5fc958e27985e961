/** Options shared by every landmark reader. */
export interface ReadOptions {
  /**
   * Refuse clips spanning more frames than this (`too_many_frames`). The dense tensor costs
   * 6.5 KB per frame, so this bounds what a hostile or broken file can make us allocate.
   */
  readonly maxFrames?: number;
}

/** Real clips reach ~540 frames; 2048 frames is a 13 MB tensor, safe in a 128 MB isolate. */
export const DEFAULT_MAX_FRAMES = 2048;
