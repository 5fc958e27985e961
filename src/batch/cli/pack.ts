/**
 * npm run pack -- [--out dist] [--level 9] [--node <linux-x64 node binary>]
 *
 * Writes dist/signcast-<version>-linux-x64.tar.xz, the batch runner for a GPU box without registry
 * access: unpack it and run ./signcast train ... with no npm (see src/batch/pack/README.md).
 */
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { devDependencyNode } from '../pack/node-binary.ts';
import { packArchive } from '../pack/pack-archive.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface CliOptions {
  out: string;
  level: number;
  node?: string;
}

function xzLevel(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 9)
    throw new InvalidArgumentError('expected 0 (fast) to 9 (smallest)');
  return n;
}

async function main(argv: readonly string[]): Promise<void> {
  const o = new Command()
    .name('pack')
    .description('Write the self-contained linux-x64 archive of the batch runner (Node 22 included).')
    .option('--out <dir>', 'output folder', 'dist')
    .option('--level <0-9>', 'xz compression preset (9: smallest, a few minutes)', xzLevel, 9)
    .option('--node <path>', 'linux-x64 Node >= 22 binary to ship (default: the node devDependency)')
    .parse(argv, { from: 'node' })
    .opts<CliOptions>();
  const result = await packArchive({
    repoRoot: REPO_ROOT,
    outDir: o.out,
    nodeBinary: o.node ?? devDependencyNode(REPO_ROOT),
    xzLevel: o.level,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(
    `wrote ${result.archive}: ${(result.bytes / 1e6).toFixed(1)} MB ` +
      `(${(result.unpackedBytes / 1e6).toFixed(1)} MB unpacked into ${result.rootName}/) in ${result.seconds.toFixed(1)} s\n`,
  );
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`pack: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
