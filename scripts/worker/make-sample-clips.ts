import { Command } from 'commander';
import { writeSampleClips } from './sample-clips.ts';

await new Command()
  .name('make-sample-clips')
  .description(
    "Write a synthetic sample clip (parquet, Arrow, JSON) for trying POST /v1/predict, e.g. into a bundle's samples/ folder.",
  )
  .requiredOption('--out <dir>', 'folder to write, e.g. models/<name>/samples')
  .action(async (opts: { out: string }) => {
    for (const path of Object.values(await writeSampleClips(opts.out))) console.log(path);
  })
  .parseAsync();
