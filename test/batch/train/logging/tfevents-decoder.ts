/**
 * An event-file reader written independently of the writer under test: bit-by-bit CRC-32C (no table),
 * a hand-rolled protobuf wire parser (DataView, no protobufjs), TFRecord framing checked on every record.
 */

export interface DecodedValue {
  tag: string;
  simpleValue?: number;
  histogram?: { min: number; max: number; num: number; bucketLimits: number[]; buckets: number[] };
}

export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  values?: DecodedValue[];
  sessionStatus?: number;
}

function crc32cBitwise(bytes: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

export function maskCrc(crc: number): number {
  const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
  return (rotated + 0xa282ead8) % 2 ** 32;
}

export function crc32cReference(bytes: Uint8Array): number {
  return crc32cBitwise(bytes);
}

/** Splits an event file into records, throwing on any length or CRC mismatch. */
export function readRecords(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < file.length) {
    if (at + 12 > file.length) throw new Error(`truncated header at ${at}`);
    const length = Number(view.getBigUint64(at, true));
    const lengthCrc = view.getUint32(at + 8, true);
    if (lengthCrc !== maskCrc(crc32cBitwise(file.subarray(at, at + 8))))
      throw new Error(`length CRC at ${at}`);
    const start = at + 12;
    if (start + length + 4 > file.length) throw new Error(`truncated record at ${at}`);
    const data = file.subarray(start, start + length);
    if (view.getUint32(start + length, true) !== maskCrc(crc32cBitwise(data)))
      throw new Error(`data CRC at ${at}`);
    records.push(data);
    at = start + length + 4;
  }
  return records;
}

interface Field {
  no: number;
  wire: number;
  varint?: bigint;
  fixed64?: DataView;
  fixed32?: DataView;
  bytes?: Uint8Array;
}

function* fields(buf: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[at++];
      if (b === undefined) throw new Error('varint past the end');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    const view = (n: number) => new DataView(buf.buffer, buf.byteOffset + at, n);
    if (wire === 0) yield { no, wire, varint: varint() };
    else if (wire === 1) {
      yield { no, wire, fixed64: view(8) };
      at += 8;
    } else if (wire === 5) {
      yield { no, wire, fixed32: view(4) };
      at += 4;
    } else if (wire === 2) {
      const n = Number(varint());
      yield { no, wire, bytes: buf.subarray(at, at + n) };
      at += n;
    } else throw new Error(`wire type ${wire}`);
  }
}

function packedDoubles(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 8 }, (_, i) => view.getFloat64(8 * i, true));
}

function decodeValue(bytes: Uint8Array): DecodedValue {
  const v: DecodedValue = { tag: '' };
  for (const f of fields(bytes)) {
    if (f.no === 1) v.tag = new TextDecoder().decode(f.bytes);
    else if (f.no === 2) v.simpleValue = f.fixed32!.getFloat32(0, true);
    else if (f.no === 5) {
      const h = { min: 0, max: 0, num: 0, bucketLimits: [] as number[], buckets: [] as number[] };
      for (const g of fields(f.bytes!)) {
        if (g.no === 1) h.min = g.fixed64!.getFloat64(0, true);
        if (g.no === 2) h.max = g.fixed64!.getFloat64(0, true);
        if (g.no === 3) h.num = g.fixed64!.getFloat64(0, true);
        if (g.no === 6) h.bucketLimits = packedDoubles(g.bytes!);
        if (g.no === 7) h.buckets = packedDoubles(g.bytes!);
      }
      v.histogram = h;
    }
  }
  return v;
}

export function decodeEvent(bytes: Uint8Array): DecodedEvent {
  const e: DecodedEvent = { wallTime: 0, step: 0 };
  for (const f of fields(bytes)) {
    if (f.no === 1) e.wallTime = f.fixed64!.getFloat64(0, true);
    else if (f.no === 2) e.step = Number(f.varint!);
    else if (f.no === 3) e.fileVersion = new TextDecoder().decode(f.bytes);
    else if (f.no === 5)
      e.values = [...fields(f.bytes!)].filter((v) => v.no === 1).map((v) => decodeValue(v.bytes!));
    else if (f.no === 7) {
      for (const g of fields(f.bytes!)) if (g.no === 1) e.sessionStatus = Number(g.varint!);
    }
  }
  return e;
}

export function readEventFile(file: Uint8Array): DecodedEvent[] {
  return readRecords(file).map(decodeEvent);
}

/** scalar tag -> [step, value] in file order. */
export function scalarSeries(events: readonly DecodedEvent[]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const e of events) {
    for (const v of e.values ?? []) {
      if (v.simpleValue === undefined) continue;
      const list = out.get(v.tag) ?? [];
      list.push([e.step, v.simpleValue]);
      out.set(v.tag, list);
    }
  }
  return out;
}
