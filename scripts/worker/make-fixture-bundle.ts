import { Command, InvalidArgumentError } from 'commander';
import { join } from 'node:path';
import { positiveInt } from '../../src/batch/cli/cli-args.ts';
import {
  BASELINE_SIZE_FIXTURE,
  TINY_FIXTURE,
  writeFixtureBundle,
} from '../../src/batch/fixtures/fixture-bundle.ts';
import { writeSampleClips } from './sample-clips.ts';

const program = new Command()
  .name('make-fixture-bundle')
  .description(
    'Write a small valid model bundle (untrained stand-in model, invented sign names) for tests and `npm start`.',
  )
  .requiredOption('--out <dir>', 'bundle folder to write, e.g. models/fixture-tiny')
  .option('--size <size>', 'tiny (fast tests) or baseline (latency stand-in, ~5.4 M parameters)', 'tiny')
  .option('--model-id <id>', 'model id in the manifest (default: fixture-<size>)')
  .option('--seed <n>', 'weight seed', positiveInt)
  .option('--no-samples', 'do not write synthetic sample clips into <out>/samples')
  .action(async (opts: { out: string; size: string; modelId?: string; seed?: number; samples: boolean }) => {
    const base =
      opts.size === 'baseline' ? BASELINE_SIZE_FIXTURE : opts.size === 'tiny' ? TINY_FIXTURE : undefined;
    if (!base) throw new InvalidArgumentError(`--size must be tiny or baseline, got ${opts.size}`);
    const manifest = await writeFixtureBundle(opts.out, {
      ...base,
      ...(opts.modelId ? { modelId: opts.modelId } : {}),
      ...(opts.seed ? { seed: opts.seed } : {}),
    });
    for (const [variant, file] of Object.entries(manifest.files)) {
      console.log(
        `${opts.out}/${file.path}  ${variant}  ${(file.bytes / 1e6).toFixed(2)} MB  sha256 ${file.sha256.slice(0, 12)}…`,
      );
    }
    if (opts.samples) {
      for (const path of Object.values(await writeSampleClips(join(opts.out, 'samples')))) console.log(path);
    }
  });

await program.parseAsync();
