import { join } from 'node:path';

/**
 * Where checkpoints live in a run directory:
 *   <run>/checkpoints/step-000000001234/checkpoint.safetensors   parameters and optimizer moments
 *   <run>/checkpoints/step-000000001234/checkpoint.json          everything else; written last
 * A checkpoint directory counts only once its checkpoint.json exists.
 */
export const CHECKPOINTS_DIR = 'checkpoints';

export const CHECKPOINT_FILES = {
  tensors: 'checkpoint.safetensors',
  sidecar: 'checkpoint.json',
} as const;

const STEP_DIR = /^step-(\d{12})$/;

/** Zero-padded so that a plain listing sorts by step too. */
export function checkpointDirName(step: number): string {
  if (!Number.isSafeInteger(step) || step < 0 || step >= 1e12) {
    throw new RangeError(`step ${step} out of range`);
  }
  return `step-${String(step).padStart(12, '0')}`;
}

export function checkpointDir(runDir: string, step: number): string {
  return join(runDir, CHECKPOINTS_DIR, checkpointDirName(step));
}

/** The step a directory name stands for, or null for anything else (tmp files, "best", ...). */
export function stepOfDirName(name: string): number | null {
  const match = STEP_DIR.exec(name);
  return match ? Number(match[1]) : null;
}
