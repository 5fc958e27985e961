import { BundleError } from './bundle-error.ts';
import { BUNDLE_FORMAT, type BundleManifest, type ModelVariant } from './manifest.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const VARIANTS: readonly ModelVariant[] = ['float32', 'int8'];

type Json = Record<string, unknown>;

function invalid(path: string, what: string): never {
  throw new BundleError('manifest_invalid', `manifest.json: ${path} ${what}`);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, path: string): Json {
  if (!isObject(value)) invalid(path, 'must be an object');
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) invalid(path, 'must be a non-empty string');
  return value;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) invalid(path, 'must be an array');
  return value;
}

/** A bundle file path stays inside its folder: relative, no `..`, no backslashes. */
function relativePath(value: unknown, path: string): string {
  const p = string(value, path);
  if (p.startsWith('/') || p.includes('\\') || p.split('/').some((part) => part === '..' || part === '')) {
    invalid(path, `must be a plain relative path inside the bundle (got ${JSON.stringify(p)})`);
  }
  return p;
}

function checkFiles(value: unknown): void {
  const files = object(value, 'files');
  const present = VARIANTS.filter((v) => files[v] !== undefined);
  if (present.length === 0) invalid('files', 'must name at least one of float32, int8');
  for (const variant of present) {
    const file = object(files[variant], `files.${variant}`);
    relativePath(file['path'], `files.${variant}.path`);
    if (typeof file['sha256'] !== 'string' || !SHA256_HEX.test(file['sha256'])) {
      invalid(`files.${variant}.sha256`, 'must be 64 lower-case hex digits');
    }
    const bytes = file['bytes'];
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes <= 0) {
      invalid(`files.${variant}.bytes`, 'must be a positive integer');
    }
  }
}

function checkTensors(value: unknown, path: string): void {
  const tensors = array(value, path);
  if (tensors.length === 0) invalid(path, 'must not be empty');
  tensors.forEach((t, i) => {
    const tensor = object(t, `${path}[${i}]`);
    string(tensor['name'], `${path}[${i}].name`);
    const shape = array(tensor['shape'], `${path}[${i}].shape`);
    shape.forEach((d, j) => {
      const ok =
        (typeof d === 'number' && Number.isSafeInteger(d) && d > 0) ||
        (typeof d === 'string' && d.length > 0);
      if (!ok) invalid(`${path}[${i}].shape[${j}]`, 'must be a positive integer or a symbolic name');
    });
    if (tensor['dtype'] !== 'float32' && tensor['dtype'] !== 'int64')
      invalid(`${path}[${i}].dtype`, 'must be float32 or int64');
  });
}

function checkSigns(value: unknown, fallback: unknown, outputs: unknown): void {
  const signs = array(value, 'signs');
  if (signs.length === 0) invalid('signs', 'must not be empty');
  const seen = new Set<string>();
  signs.forEach((s, i) => {
    const name = string(s, `signs[${i}]`);
    if (seen.has(name)) invalid(`signs[${i}]`, `repeats ${JSON.stringify(name)}`);
    seen.add(name);
  });
  if (!seen.has(string(fallback, 'fallbackSign'))) invalid('fallbackSign', 'must be one of the signs');
  // The class dimension of the first output, when fixed, must match the sign list.
  const first = (outputs as Json[])[0];
  const classes = Array.isArray(first?.['shape']) ? first['shape'].at(-1) : undefined;
  if (typeof classes === 'number' && classes !== signs.length) {
    invalid('signs', `has ${signs.length} names but outputs[0] has ${classes} classes`);
  }
}

/**
 * Checks that a parsed manifest.json has the bundle's shape and returns it typed. Throws
 * `BundleError` (`manifest_invalid` naming the first bad field, or `format_unsupported`).
 */
export function parseManifest(value: unknown): BundleManifest {
  const m = object(value, 'the manifest');
  if (m['format'] !== BUNDLE_FORMAT) {
    throw new BundleError(
      'format_unsupported',
      `manifest.json: format ${JSON.stringify(m['format'])} is not ${BUNDLE_FORMAT}`,
    );
  }
  string(m['modelId'], 'modelId');
  string(m['createdAt'], 'createdAt');
  checkFiles(m['files']);
  checkTensors(m['inputs'], 'inputs');
  checkTensors(m['outputs'], 'outputs');
  const preprocess = object(m['preprocess'], 'preprocess');
  string(preprocess['version'], 'preprocess.version');
  const stats = object(preprocess['stats'], 'preprocess.stats');
  object(stats['groups'], 'preprocess.stats.groups');
  checkSigns(m['signs'], m['fallbackSign'], m['outputs']);
  object(m['config'], 'config');
  object(m['metrics'], 'metrics');
  const training = object(m['training'], 'training');
  string(training['run'], 'training.run');
  if (training['synthetic'] !== undefined && typeof training['synthetic'] !== 'boolean')
    invalid('training.synthetic', 'must be true or false when present');
  return m as unknown as BundleManifest;
}

/** Parses manifest.json bytes; JSON syntax errors become `manifest_invalid` too. */
export function parseManifestBytes(bytes: Uint8Array): BundleManifest {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new BundleError(
      'manifest_invalid',
      `manifest.json is not valid JSON: ${(cause as Error).message}`,
      { cause },
    );
  }
  return parseManifest(value);
}
