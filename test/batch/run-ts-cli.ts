import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a CLI entry file as its npm script does (tsx), calling `whileRunning` with the child's pid. */
export function runTsCli(
  cli: string,
  args: readonly string[],
  whileRunning?: (pid: number) => Promise<void>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', TSX, cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<CliRun>((done) =>
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr })),
  );
  void whileRunning?.(child.pid!);
  return exited;
}
