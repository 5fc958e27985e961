/**
 * npm run artifacts -- --preset baseline|demo|<file.json> [--set key=value ...] [--stats stats.json]
 *   [--seed N] --out <dir>
 *
 * Writes the training artifacts (training, eval, optimizer and inference ONNX models, the initial
 * checkpoint, artifacts.json) for a config; neutral normalisation statistics without --stats.
 */
import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { resolveConfig } from '../model/config/resolve-config.ts';
import { buildArtifacts } from '../train/artifacts/build-artifacts.ts';
import { writeArtifacts } from '../train/artifacts/write-artifacts.ts';
import { neutralStats } from '../../shared/preprocess/neutral-stats.ts';
import { validateStats } from '../../shared/preprocess/validate-stats.ts';

interface CliOptions {
  preset: string;
  set: string[];
  stats?: string;
  seed?: number;
  out: string;
}

function seedValue(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InvalidArgumentError('expected a uint32');
  return n;
}

async function main(argv: readonly string[]): Promise<void> {
  const o = new Command()
    .name('artifacts')
    .description('Write the training artifacts (ONNX models, initial checkpoint, artifacts.json).')
    .requiredOption('--out <dir>', 'output directory')
    .option('--preset <name|file>', 'config preset (presets/<name>.json) or a JSON file', 'baseline')
    .option(
      '--set <key=value>',
      'override a config key (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--stats <file>', 'normalisation statistics (stats.json from preprocessing)')
    .option('--seed <n>', 'seed of the initial parameters (default: the config train.seed)', seedValue)
    .parse(argv, { from: 'node' })
    .opts<CliOptions>();

  const config = resolveConfig(o.preset, o.set);
  const stats = o.stats
    ? validateStats(JSON.parse(await readFile(o.stats, 'utf8')), o.stats)
    : neutralStats();
  const started = performance.now();
  const artifacts = buildArtifacts(config, stats, o.seed !== undefined ? { seed: o.seed } : {});
  const files = await writeArtifacts(o.out, artifacts);
  const seconds = (performance.now() - started) / 1000;

  const m = config.model;
  const lines = [
    `wrote artifacts to ${o.out} in ${seconds.toFixed(1)} s`,
    `  model: ${m.blocks} blocks x ${m.units} units, ${m.heads} heads, landmark units ${m.landmark_units}, ${m.classes} classes, ${m.frames} frames`,
    `  parameters: ${artifacts.manifest.parameterCount.toLocaleString('en-US')} in ${artifacts.manifest.parameters.length} tensors`,
    `  frame masking: ${artifacts.manifest.frameMask.keep < 1 ? `keep ${artifacts.manifest.frameMask.keep} (host, stream ${artifacts.manifest.frameMask.stream})` : 'none'}`,
    `  dropout noise: ${artifacts.manifest.training.noise.map((n) => `${n.name} [${n.shape.join(', ')}]`).join(', ') || 'none'}`,
    `  stats: ${o.stats ? `${o.stats} (${stats.clips} clips)` : 'neutral (mean 0, std 1)'}`,
    ...files.map((f) => `  ${f.file.padEnd(30)} ${(f.bytes / 1e6).toFixed(2).padStart(8)} MB`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`artifacts: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
