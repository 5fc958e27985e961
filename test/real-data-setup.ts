import { checkRealData } from './shared/real-files.ts';

/** Global setup of the node project: one notice per run when the real clips are absent. */
export default function setup(): void {
  checkRealData();
}
