import { CheckpointError } from './checkpoint-error.ts';
import type { NamedTensor } from './named-tensor.ts';
import { DTYPE_INFO, HOST_IS_LITTLE_ENDIAN, dtypeOf, elementCount } from './safetensors-dtype.ts';

/** The header key the format reserves for free-form string metadata. */
export const METADATA_KEY = '__metadata__';

/**
 * Serialises tensors in the safetensors format (https://github.com/huggingface/safetensors):
 *   8 bytes   N, the header length, unsigned little-endian
 *   N bytes   JSON {"__metadata__": {string: string}, name: {dtype, shape, data_offsets: [begin, end]}, ...},
 *             padded with spaces to a multiple of 8 so the data starts 8-byte aligned
 *   rest      the tensors' little-endian bytes, back to back; offsets are relative to the data start
 * Layout follows the reference writer (descending dtype rank, then name by code point; metadata keys
 * sorted), so the same tensors give byte-identical files, and every tensor is aligned to its element size.
 */
export function encodeSafetensors(
  tensors: readonly NamedTensor[],
  metadata: Readonly<Record<string, string>> = {},
  source = 'safetensors',
): Uint8Array {
  if (!HOST_IS_LITTLE_ENDIAN) {
    throw new CheckpointError('invalid_tensor', source, 'big-endian hosts are not supported');
  }
  checkTensors(tensors, source);
  const ordered = [...tensors].sort(
    (a, b) =>
      DTYPE_INFO[dtypeOf(b.data)].rank - DTYPE_INFO[dtypeOf(a.data)].rank ||
      compareCodePoints(a.name, b.name),
  );
  const header: Record<string, unknown> = {};
  const metaKeys = Object.keys(metadata).sort(compareCodePoints);
  if (metaKeys.length > 0) header[METADATA_KEY] = Object.fromEntries(metaKeys.map((k) => [k, metadata[k]]));
  let offset = 0;
  for (const t of ordered) {
    const end = offset + t.data.byteLength;
    header[t.name] = { dtype: dtypeOf(t.data), shape: t.shape, data_offsets: [offset, end] };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of ordered) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

function checkTensors(tensors: readonly NamedTensor[], source: string): void {
  const names = new Set<string>();
  for (const t of tensors) {
    if (t.name === METADATA_KEY) {
      throw new CheckpointError('invalid_tensor', source, `${METADATA_KEY} is reserved`);
    }
    if (names.has(t.name)) {
      throw new CheckpointError('invalid_tensor', source, `duplicate tensor name ${t.name}`);
    }
    names.add(t.name);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new CheckpointError('invalid_tensor', source, `${t.name}: bad shape [${t.shape.join(', ')}]`);
    }
    if (elementCount(t.shape) !== t.data.length) {
      throw new CheckpointError(
        'invalid_tensor',
        source,
        `${t.name}: shape [${t.shape.join(', ')}] needs ${elementCount(t.shape)} elements, data has ${t.data.length}`,
      );
    }
  }
}

/** Orders like Rust's String comparison (UTF-8 bytes = code points), which JS's UTF-16 `<` is not. */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
