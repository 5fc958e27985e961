import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINTS_DIR, CHECKPOINT_FILES, stepOfDirName } from './checkpoint-layout.ts';

export interface CheckpointListing {
  readonly step: number;
  readonly dir: string;
}

/** Complete checkpoints of a run (those whose checkpoint.json exists), by ascending step. */
export async function listCheckpoints(runDir: string): Promise<CheckpointListing[]> {
  const root = join(runDir, CHECKPOINTS_DIR);
  if (!existsSync(root)) return [];
  const found: CheckpointListing[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const step = entry.isDirectory() ? stepOfDirName(entry.name) : null;
    const dir = join(root, entry.name);
    if (step !== null && existsSync(join(dir, CHECKPOINT_FILES.sidecar))) found.push({ step, dir });
  }
  return found.sort((a, b) => a.step - b.step);
}

/** The directory of the run's newest complete checkpoint, or null if it has none (a fresh run). */
export async function latestCheckpoint(runDir: string): Promise<string | null> {
  return (await listCheckpoints(runDir)).at(-1)?.dir ?? null;
}

/**
 * Deletes all but the newest `keep` checkpoint directories (and incomplete ones older than the newest
 * complete one, left by a crash). Returns the directories removed.
 */
export async function pruneCheckpoints(runDir: string, keep: number): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep ${keep} must be a positive integer`);
  const root = join(runDir, CHECKPOINTS_DIR);
  const complete = await listCheckpoints(runDir);
  const kept = new Set(complete.slice(-keep).map((c) => c.dir));
  const newest = complete.at(-1)?.step ?? -1;
  const removed: string[] = [];
  if (!existsSync(root)) return removed;
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const step = entry.isDirectory() ? stepOfDirName(entry.name) : null;
    const dir = join(root, entry.name);
    if (step === null || kept.has(dir) || step > newest) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed.sort();
}
