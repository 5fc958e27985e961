import { execFile } from 'node:child_process';
import {
  chmod,
  copyFile,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import {
  ARCHIVE_COMMANDS,
  BUNDLE_DIR,
  EXTERNAL_PACKAGES,
  SHIPPED_FOLDERS,
  archiveName,
} from './archive-layout.ts';
import { bundleCommands } from './bundle-commands.ts';
import { launcherScript } from './launcher-script.ts';
import { checkNodeBinary, nodeLicense } from './node-binary.ts';
import { thirdPartyLicenses } from './third-party-licenses.ts';

const run = promisify(execFile);

export interface PackOptions {
  readonly repoRoot: string;
  readonly outDir: string;
  /** A linux-x64 Node >= 22 executable (see node-binary.ts). */
  readonly nodeBinary: string;
  /** xz preset, 0 (fast) to 9 (smallest). */
  readonly xzLevel: number;
  readonly log?: (line: string) => void;
}

export interface PackResult {
  readonly archive: string;
  /** The folder the archive unpacks to. */
  readonly rootName: string;
  readonly bytes: number;
  readonly unpackedBytes: number;
  readonly seconds: number;
}

/**
 * Writes <outDir>/signcast-<version>-linux-x64.tar.xz: the Node binary, one bundle per command, the
 * external packages' linux-x64 files, the shipped folders, the launcher and the licences. Staged in a
 * temporary folder, compressed by the system tar + xz (multi-threaded, and far faster than xz in JS).
 */
export async function packArchive(o: PackOptions): Promise<PackResult> {
  const log = o.log ?? (() => {});
  const started = performance.now();
  const node = checkNodeBinary(o.nodeBinary);
  const pkg = JSON.parse(await readFile(join(o.repoRoot, 'package.json'), 'utf8')) as { version: string };
  const rootName = archiveName(pkg.version);
  const staging = await mkdtemp(join(tmpdir(), 'signcast-pack-'));
  try {
    const root = join(staging, rootName);
    log(`bundling ${ARCHIVE_COMMANDS.length} commands with esbuild ...`);
    const bundled = await bundleCommands({
      repoRoot: o.repoRoot,
      archiveRoot: root,
      bundleDir: BUNDLE_DIR,
      commands: ARCHIVE_COMMANDS,
      shippedFolders: SHIPPED_FOLDERS,
      external: EXTERNAL_PACKAGES,
    });
    log(`  ${bundled.bundles.map((b) => `${BUNDLE_DIR}/${b}.mjs`).join(', ')}`);
    for (const w of bundled.warnings) log(`  esbuild warning: ${w}`);

    const nodeDest = join(root, 'node', 'bin', 'node');
    await mkdir(dirname(nodeDest), { recursive: true });
    await copyFile(node.path, nodeDest);
    await chmod(nodeDest, 0o755);
    await strip(nodeDest, log);
    const license = nodeLicense(node.path, o.repoRoot);
    if (license) await copyFile(license, join(root, 'node', 'LICENSE'));

    for (const p of EXTERNAL_PACKAGES) await copyPackage(o.repoRoot, root, p.name, p.files);
    for (const folder of SHIPPED_FOLDERS) {
      await cp(join(o.repoRoot, folder), join(root, folder), { recursive: true });
    }

    const ortVersion = await packageVersion(o.repoRoot, 'onnxruntime-node');
    const commit = await gitDescribe(o.repoRoot);
    const versionLine = `signcast ${pkg.version}${commit ? ` (${commit})` : ''} linux-x64, onnxruntime-node ${ortVersion}`;
    const launcher = join(root, 'signcast');
    await writeFile(
      launcher,
      launcherScript({ versionLine, commands: ARCHIVE_COMMANDS, bundleDir: BUNDLE_DIR }),
    );
    await chmod(launcher, 0o755);
    await copyFile(new URL('./archive-readme.md', import.meta.url), join(root, 'README.md'));
    await writeFile(
      join(root, 'THIRD_PARTY_LICENSES.txt'),
      await thirdPartyLicenses(o.repoRoot, {
        node: { version: node.version, licenseFile: license },
        packages: [...EXTERNAL_PACKAGES.map((p) => `node_modules/${p.name}`), ...bundled.inlinedPackages],
      }),
    );

    const unpackedBytes = await folderBytes(root);
    log(`compressing ${(unpackedBytes / 1e6).toFixed(1)} MB with xz -${o.xzLevel} ...`);
    await mkdir(o.outDir, { recursive: true });
    const archive = join(o.outDir, `${rootName}.tar.xz`);
    await tarXz(staging, rootName, `${archive}.partial`, o.xzLevel);
    await rename(`${archive}.partial`, archive);
    const { size } = await stat(archive);
    return {
      archive,
      rootName,
      bytes: size,
      unpackedBytes,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Node's release binary carries its symbol table and debug info (~18 MB); stripping keeps the dynamic
 * symbols the .node binding links against. Without binutils the binary ships as it is.
 */
async function strip(binary: string, log: (line: string) => void): Promise<void> {
  try {
    await run('strip', ['--strip-all', binary]);
  } catch (err) {
    log(
      `  not stripping the Node binary (${(err as Error).message.split('\n')[0]}): install binutils to save ~18 MB`,
    );
  }
}

const LICENCE_FILE = /^(licen[cs]e|notice|thirdpartynotices)/i;
const NOT_SHIPPED = /\.(map|d\.ts|d\.cts|d\.mts)$/;

async function copyPackage(repoRoot: string, root: string, name: string, files: readonly string[]) {
  const from = join(repoRoot, 'node_modules', name);
  const to = join(root, 'node_modules', name);
  await mkdir(to, { recursive: true });
  const top = (await readdir(from)).filter((f) => f === 'package.json' || LICENCE_FILE.test(f));
  for (const f of top) await copyFile(join(from, f), join(to, f));
  for (const f of files) {
    if (f.endsWith('/')) {
      await cp(join(from, f), join(to, f), { recursive: true, filter: (src) => !NOT_SHIPPED.test(src) });
    } else {
      await mkdir(dirname(join(to, f)), { recursive: true });
      await copyFile(join(from, f), join(to, f));
    }
  }
}

async function packageVersion(repoRoot: string, name: string): Promise<string> {
  const path = join(repoRoot, 'node_modules', name, 'package.json');
  return (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version;
}

/** The commit the archive was built from (`-dirty` with uncommitted changes), or null outside git. */
async function gitDescribe(repoRoot: string): Promise<string | null> {
  try {
    const { stdout } = await run('git', ['-C', repoRoot, 'describe', '--always', '--dirty']);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function tarXz(parent: string, folder: string, out: string, level: number): Promise<void> {
  try {
    await run(
      'tar',
      [
        '--create',
        '--xz',
        '--file',
        out,
        '--sort=name',
        '--owner=0',
        '--group=0',
        '--numeric-owner',
        '-C',
        parent,
        folder,
      ],
      // xz -9 would make one 192 MiB block, compressed on one core; 32 MiB blocks let every core work
      // (and unpack) in parallel for ~1 % more bytes.
      { env: { ...process.env, XZ_OPT: `-${level} -T0 --block-size=32MiB` } },
    );
  } catch (err) {
    await rm(out, { force: true });
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    throw new Error(
      e.code === 'ENOENT'
        ? 'packing needs GNU tar and xz on the PATH (Debian: apt-get install tar xz-utils)'
        : `tar failed: ${e.stderr?.trim() || e.message}`,
      { cause: err },
    );
  }
}
