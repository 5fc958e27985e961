import { INPUT_SIZE } from './constants.ts';

/**
 * The kept frames that output frame `t` averages when there are `n >= INPUT_SIZE` of them:
 * [floor(t*n/64), floor((t+1)*n/64)). Windows tile 0..n-1 without overlap, each holds floor(n/64) or
 * ceil(n/64) frames, and n = 64 gives one frame per window.
 */
export function frameWindow(t: number, n: number): readonly [start: number, end: number] {
  return [Math.floor((t * n) / INPUT_SIZE), Math.floor(((t + 1) * n) / INPUT_SIZE)];
}
