import { CheckpointError } from './checkpoint-error.ts';
import { METADATA_KEY } from './encode-safetensors.ts';
import type { NamedTensor } from './named-tensor.ts';
import { DTYPE_INFO, HOST_IS_LITTLE_ENDIAN, elementCount, isSafetensorsDtype } from './safetensors-dtype.ts';
import type { SafetensorsDtype } from './safetensors-dtype.ts';

/** The reference implementation refuses larger headers, so a corrupt length cannot make us read a huge one. */
export const MAX_HEADER_BYTES = 100_000_000;

export interface DecodedTensor extends NamedTensor {
  readonly dtype: SafetensorsDtype;
}

export interface DecodedSafetensors {
  /** In data order (ascending offsets). */
  readonly tensors: readonly DecodedTensor[];
  readonly metadata: Readonly<Record<string, string>>;
}

interface HeaderEntry {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/**
 * Reads a safetensors file with the checks the reference reader makes: the header fits in the file, is a
 * UTF-8 JSON object, names known dtypes with sizes that match their shapes, and its tensors tile the data
 * section exactly (contiguous from 0 to its end, no gaps, no overlap, nothing after). Data is copied into
 * fresh, aligned typed arrays that the caller owns.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): DecodedSafetensors {
  if (!HOST_IS_LITTLE_ENDIAN) {
    throw new CheckpointError('bad_header', source, 'big-endian hosts are not supported');
  }
  if (bytes.length < 8) {
    throw new CheckpointError(
      'truncated',
      source,
      `${bytes.length} bytes, shorter than the 8-byte header length`,
    );
  }
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw new CheckpointError('bad_header', source, `header length ${n} exceeds ${MAX_HEADER_BYTES}`);
  }
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) {
    throw new CheckpointError(
      'truncated',
      source,
      `header of ${headerLength} bytes but only ${bytes.length - 8} follow`,
    );
  }
  const { entries, metadata } = parseHeader(bytes.subarray(8, 8 + headerLength), source);
  const data = bytes.subarray(8 + headerLength);
  checkTiling(entries, data.length, source);
  const tensors = entries.map((e): DecodedTensor => {
    const copy = data.slice(e.begin, e.end).buffer;
    return { name: e.name, dtype: e.dtype, shape: e.shape, data: DTYPE_INFO[e.dtype].fromBuffer(copy) };
  });
  return { tensors, metadata };
}

function parseHeader(
  raw: Uint8Array,
  source: string,
): { entries: HeaderEntry[]; metadata: Record<string, string> } {
  const bad = (detail: string): never => {
    throw new CheckpointError('bad_header', source, detail);
  };
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    bad('header is not UTF-8');
  }
  if (!text.startsWith('{')) bad('header does not start with {');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    bad(`header is not JSON: ${(err as Error).message}`);
  }
  if (!isRecord(json)) return bad('header is not a JSON object');

  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === METADATA_KEY) {
      if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) {
        bad(`${METADATA_KEY} must map strings to strings`);
      }
      metadata = value as Record<string, string>;
      continue;
    }
    if (!isRecord(value)) return bad(`${name}: not an object`);
    const { dtype, shape, data_offsets: offsets } = value;
    if (!isSafetensorsDtype(dtype)) {
      throw new CheckpointError(
        'unsupported_dtype',
        source,
        `${name}: dtype ${JSON.stringify(dtype)} is not one of ${Object.keys(DTYPE_INFO).join(', ')}`,
      );
    }
    if (!Array.isArray(shape) || !shape.every(isSize)) {
      bad(`${name}: shape must be an array of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isSize)) {
      bad(`${name}: data_offsets must be [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    const dims = shape as number[];
    if (end < begin) bad(`${name}: data_offsets [${begin}, ${end}] run backwards`);
    const expected = elementCount(dims) * DTYPE_INFO[dtype].bytes;
    if (end - begin !== expected) {
      bad(`${name}: ${dtype} [${dims.join(', ')}] needs ${expected} bytes, data_offsets give ${end - begin}`);
    }
    entries.push({ name, dtype, shape: dims, begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  return { entries, metadata };
}

function checkTiling(entries: readonly HeaderEntry[], dataLength: number, source: string): void {
  let at = 0;
  for (const e of entries) {
    if (e.begin !== at) {
      throw new CheckpointError(
        'bad_header',
        source,
        `${e.name} starts at ${e.begin}, expected ${at} (gap or overlap)`,
      );
    }
    at = e.end;
  }
  if (at > dataLength) {
    throw new CheckpointError(
      'truncated',
      source,
      `tensor data needs ${at} bytes, the file holds ${dataLength}`,
    );
  }
  if (at < dataLength) {
    throw new CheckpointError('bad_header', source, `${dataLength - at} bytes after the last tensor`);
  }
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
