import { Command } from 'commander';
import { writeSampleClips, writeSignSamples } from './sample-clips.ts';

const sequenceIds = (value: string): number[] =>
  value.split(',').map((id) => {
    const n = Number(id.trim());
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`not a sequence id: ${JSON.stringify(id)}`);
    return n;
  });

await new Command()
  .name('make-sample-clips')
  .description(
    "Write sample clips and their index.json for trying POST /v1/predict and the page, e.g. into a bundle's samples/ folder: a made-up clip (parquet, Arrow, JSON) and, with --tour-clips, clips of the README tour's synthetic test split.",
  )
  .requiredOption('--out <dir>', 'folder to write, e.g. models/<name>/samples')
  .option(
    '--tour-clips <ids>',
    "comma-separated sequence ids from the tour dataset's test split, listed first (models/demo: 3151090065,2813481687,1956096814,1418464084,3394471747)",
    sequenceIds,
  )
  .action(async (opts: { out: string; tourClips?: number[] }) => {
    const paths = opts.tourClips
      ? await writeSignSamples(opts.out, opts.tourClips)
      : Object.values(await writeSampleClips(opts.out));
    for (const path of paths) console.log(path);
  })
  .parseAsync();
