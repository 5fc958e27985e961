/**
 * What the linux-x64 archive holds (`npm run pack`, see README.md here). Everything the runner reads at
 * run time is listed once here; the pack fails rather than ship an archive that would miss a file.
 */

export interface ArchiveCommand {
  /** `./signcast <name>`; also the bundle's name, lib/<name>.mjs. */
  readonly name: string;
  /** The command's entry in the repository. */
  readonly source: string;
  /** One line for `./signcast --help`. */
  readonly summary: string;
}

export const ARCHIVE_COMMANDS: readonly ArchiveCommand[] = [
  {
    name: 'synth',
    source: 'src/batch/cli/synth.ts',
    summary: 'write a synthetic dataset in the Kaggle layout',
  },
  {
    name: 'preprocess',
    source: 'src/batch/cli/preprocess.ts',
    summary: 'parquet clips -> Arrow shards + normalisation stats',
  },
  {
    name: 'artifacts',
    source: 'src/batch/cli/artifacts.ts',
    summary: 'write the training, step, eval, optimizer and inference ONNX graphs',
  },
  {
    name: 'train',
    source: 'src/batch/cli/train.ts',
    summary: 'train on a preprocessed dataset (--ep cpu|webgpu)',
  },
  {
    name: 'export',
    source: 'src/batch/cli/export.ts',
    summary: 'a run -> model bundle (float32 + int8 ONNX, manifest)',
  },
  {
    name: 'submit',
    source: 'src/batch/cli/submit.ts',
    summary: 'score a test set with a model bundle -> submission.csv',
  },
  {
    name: 'gpu-check',
    source: 'src/batch/cli/gpu-check.ts',
    summary: 'can this machine train with --ep webgpu? (driver, Vulkan, adapter)',
  },
  {
    name: 'bench-train-step',
    source: 'src/batch/cli/bench-train-step.ts',
    summary: "time the trainer's step (--ep webgpu --profile --peer torch_baseline.py on a GPU box)",
  },
];

/** The bundles' folder inside the archive. */
export const BUNDLE_DIR = 'lib';

/**
 * Repository folders copied as they are, at the same relative path: presets/ because the trainer finds
 * it from its own code (src/batch/model/config/load-preset.ts); models/demo because `submit` defaults to
 * it, relative to the working directory.
 */
export const SHIPPED_FOLDERS: readonly string[] = ['presets', 'models/demo'];

/**
 * Packages the bundles import at run time instead of inlining them: native code, or code that finds its
 * own files (.node, .so, .wasm) next to itself. Only the files listed are shipped; the package.json
 * comes with each, so Node resolves them as usual from lib/.
 */
export interface ExternalPackage {
  readonly name: string;
  /** Paths inside the package (a trailing / means the folder's files, without .map or .d.ts). */
  readonly files: readonly string[];
}

export const EXTERNAL_PACKAGES: readonly ExternalPackage[] = [
  {
    name: 'onnxruntime-node',
    // Only linux-x64's binding and runtime: the other platforms' binaries are 240 MB more.
    files: ['dist/', 'bin/napi-v6/linux/x64/'],
  },
  { name: 'onnxruntime-common', files: ['dist/'] },
  {
    // `export` compares the bundle in onnxruntime-web's WASM build (what the Worker runs, imported as
    // onnxruntime-web/wasm) with onnxruntime-node; in Node that bundle still imports the emscripten
    // loader and the .wasm from beside itself.
    name: 'onnxruntime-web',
    files: [
      'dist/ort.wasm.bundle.min.mjs',
      'dist/ort-wasm-simd-threaded.mjs',
      'dist/ort-wasm-simd-threaded.wasm',
    ],
  },
];

export const ARCHIVE_PLATFORM = 'linux-x64';

export function archiveName(version: string): string {
  return `signcast-${version}-${ARCHIVE_PLATFORM}`;
}
