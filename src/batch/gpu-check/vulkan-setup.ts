import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * What the WebGPU provider needs below it on Linux: Dawn opens the Vulkan loader (libvulkan.so.1,
 * Debian's libvulkan1), which reads driver manifests (ICDs, e.g. the NVIDIA driver's nvidia_icd.json).
 * Found here the way the dynamic linker and the loader look for them, so a missing piece is named
 * before a session fails with "No supported adapters". `root` prefixes every absolute path (tests).
 */
export interface VulkanSearch {
  readonly env: NodeJS.ProcessEnv;
  readonly root?: string;
}

export interface IcdManifest {
  readonly file: string;
  /** The driver library it names (`ICD.library_path`), or null if unreadable. */
  readonly library: string | null;
  readonly nvidia: boolean;
}

export interface VulkanSetup {
  readonly loader: string | null;
  readonly icds: readonly IcdManifest[];
  /** The variable the ICDs came from (VK_DRIVER_FILES / VK_ICD_FILENAMES), or null: the default folders. */
  readonly icdSource: string | null;
  /** NVIDIA ICDs in places the loader does not search by default (GPU containers mount the driver there). */
  readonly unsearchedNvidiaIcds: readonly string[];
}

const LIBRARY_DIRS = [
  '/lib/x86_64-linux-gnu',
  '/usr/lib/x86_64-linux-gnu',
  '/lib64',
  '/usr/lib64',
  '/lib',
  '/usr/lib',
  '/usr/local/lib',
];

/** Where NVIDIA's container toolkit and driver containers put the ICD manifest. */
export const CONTAINER_NVIDIA_ICD_DIRS = ['/usr/local/nvidia/share/vulkan/icd.d', '/usr/local/nvidia/icd.d'];

export function findVulkanSetup(search: VulkanSearch): VulkanSetup {
  const at = (path: string) => join(search.root ?? '/', path);
  const loader =
    libraryDirs(search)
      .map((d) => join(d, 'libvulkan.so.1'))
      .find((f) => existsSync(at(f))) ?? null;

  const explicit = ['VK_DRIVER_FILES', 'VK_ICD_FILENAMES'].find((v) => search.env[v]);
  const icdFiles = explicit
    ? search.env[explicit]!.split(':').flatMap((p) => (isDir(at(p)) ? jsonFiles(at, p) : [p]))
    : icdDirs(search.env).flatMap((d) => jsonFiles(at, d));
  const icds = icdFiles.filter((f) => existsSync(at(f))).map((f) => readIcd(at, f));
  const used = new Set(icds.map((i) => i.file));
  const unsearchedNvidiaIcds = CONTAINER_NVIDIA_ICD_DIRS.flatMap((d) => jsonFiles(at, d)).filter(
    (f) => !used.has(f) && isNvidia(f, null),
  );
  return { loader, icds, icdSource: explicit ?? null, unsearchedNvidiaIcds };
}

function libraryDirs(search: VulkanSearch): string[] {
  const fromEnv = (search.env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d.startsWith('/'));
  const confDir = join(search.root ?? '/', 'etc/ld.so.conf.d');
  const fromConf = existsSync(confDir)
    ? readdirSync(confDir)
        .filter((f) => f.endsWith('.conf'))
        .sort()
        .flatMap((f) => readFileSync(join(confDir, f), 'utf8').split('\n'))
        .map((line) => line.trim())
        .filter((line) => line.startsWith('/'))
    : [];
  return [...fromEnv, ...fromConf, ...LIBRARY_DIRS];
}

/** The Vulkan loader's default manifest folders (XDG config dirs, /etc, XDG data dirs), in its order. */
function icdDirs(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? '';
  const configHome = env.XDG_CONFIG_HOME || (home && join(home, '.config'));
  const configDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':');
  const dataHome = env.XDG_DATA_HOME || (home && join(home, '.local/share'));
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':');
  return [configHome, ...configDirs, '/etc', dataHome, ...dataDirs]
    .filter((d) => d.startsWith('/'))
    .map((d) => join(d, 'vulkan/icd.d'));
}

function jsonFiles(at: (p: string) => string, dir: string): string[] {
  if (!isDir(at(dir))) return [];
  return readdirSync(at(dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

function readIcd(at: (p: string) => string, file: string): IcdManifest {
  let library: string | null = null;
  try {
    const manifest = JSON.parse(readFileSync(at(file), 'utf8')) as { ICD?: { library_path?: unknown } };
    library = typeof manifest.ICD?.library_path === 'string' ? manifest.ICD.library_path : null;
  } catch {
    // Left null: the report shows the file, and the loader will skip it as well.
  }
  return { file, library, nvidia: isNvidia(file, library) };
}

function isNvidia(file: string, library: string | null): boolean {
  return /nvidia/i.test(basename(file)) || /nvidia/i.test(library ?? '');
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
