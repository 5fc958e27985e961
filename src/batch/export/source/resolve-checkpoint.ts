import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHECKPOINT_FILES } from '../../train/checkpoint/checkpoint-layout.ts';
import { latestCheckpoint } from '../../train/checkpoint/latest-checkpoint.ts';

/** The run's best-by-validation checkpoint folder (the trainer's `best/`). */
export const BEST_DIR = 'best';

/** `best`, `latest`, or a checkpoint folder (one holding checkpoint.json). */
export type CheckpointChoice = 'best' | 'latest' | (string & {});

function isCheckpointDir(dir: string): boolean {
  return existsSync(join(dir, CHECKPOINT_FILES.sidecar));
}

/**
 * Which checkpoint folder to export. With no choice: the run's best, else its latest, else the folder
 * itself when it is one (an artifacts folder holds its initial checkpoint at its root).
 */
export async function resolveCheckpoint(
  runDir: string,
  choice: CheckpointChoice | undefined,
): Promise<string> {
  const best = join(runDir, BEST_DIR);
  if (choice === 'best') {
    if (!isCheckpointDir(best))
      throw new Error(`${runDir} has no ${BEST_DIR}/ checkpoint (is training still in its first epoch?)`);
    return best;
  }
  if (choice === 'latest') {
    const latest = await latestCheckpoint(runDir);
    if (latest === null) throw new Error(`${runDir} has no complete checkpoint under checkpoints/`);
    return latest;
  }
  if (choice !== undefined) {
    const dir = resolve(choice);
    if (!isCheckpointDir(dir))
      throw new Error(`${choice} is not a checkpoint folder (no ${CHECKPOINT_FILES.sidecar})`);
    return dir;
  }
  if (isCheckpointDir(best)) return best;
  const latest = await latestCheckpoint(runDir);
  if (latest !== null) return latest;
  if (isCheckpointDir(runDir)) return runDir;
  throw new Error(`${runDir} holds no checkpoint: not a training run or artifacts folder`);
}
