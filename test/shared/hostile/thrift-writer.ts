/**
 * A compact-protocol Thrift writer for building parquet metadata by hand in tests, including metadata
 * no honest writer would produce: any field id, any type, any value. Values are plain JS: numbers are
 * written as zigzag varints (i32 / i64 alike), so a test can put 2^40 into an i32 field.
 */

export type ThriftValue =
  | { readonly t: 'int'; readonly v: number | bigint; readonly wide?: boolean }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'binary'; readonly v: Uint8Array | string }
  | { readonly t: 'struct'; readonly v: readonly ThriftField[] }
  | { readonly t: 'list'; readonly elementType: number; readonly v: readonly ThriftValue[] }
  /** Bytes written as they are, in place of a field's value (its header still says `type`). */
  | { readonly t: 'raw'; readonly type: number; readonly v: Uint8Array };

export interface ThriftField {
  readonly id: number;
  readonly value: ThriftValue;
}

export const T = { TRUE: 1, FALSE: 2, BYTE: 3, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

/** An i32 field (written as a zigzag varint whatever the value). */
export const int = (v: number | bigint): ThriftValue => ({ t: 'int', v });
/** An i64 field. */
export const i64 = (v: number | bigint): ThriftValue => ({ t: 'int', v, wide: true });
export const bool = (v: boolean): ThriftValue => ({ t: 'bool', v });
export const binary = (v: Uint8Array | string): ThriftValue => ({ t: 'binary', v });
export const struct = (...fields: (ThriftField | undefined)[]): ThriftValue => ({
  t: 'struct',
  v: fields.filter((f): f is ThriftField => f !== undefined),
});
export const list = (elementType: number, v: readonly ThriftValue[]): ThriftValue => ({
  t: 'list',
  elementType,
  v,
});
export const field = (id: number, value: ThriftValue | undefined): ThriftField | undefined =>
  value === undefined ? undefined : { id, value };

export class ByteSink {
  private bytes = new Uint8Array(256);
  length = 0;

  push(...values: number[]): void {
    this.reserve(values.length);
    for (const v of values) this.bytes[this.length++] = v & 0xff;
  }

  append(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      this.push(v === 0n ? byte : byte | 0x80);
    } while (v !== 0n);
  }

  zigzag(value: number | bigint): void {
    const v = BigInt(value);
    this.varint(BigInt.asUintN(64, (v << 1n) ^ (v >> 63n)));
  }

  u32(value: number): void {
    this.push(value, value >>> 8, value >>> 16, value >>> 24);
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

function typeOf(value: ThriftValue): number {
  switch (value.t) {
    case 'int':
      return value.wide === true ? T.I64 : T.I32;
    case 'bool':
      return value.v ? T.TRUE : T.FALSE;
    case 'binary':
      return T.BINARY;
    case 'struct':
      return T.STRUCT;
    case 'list':
      return T.LIST;
    case 'raw':
      return value.type;
  }
}

function writeValue(sink: ByteSink, value: ThriftValue, inList: boolean): void {
  switch (value.t) {
    case 'int':
      sink.zigzag(value.v);
      return;
    case 'bool':
      if (inList) sink.push(value.v ? 1 : 0);
      return;
    case 'binary': {
      const bytes = typeof value.v === 'string' ? new TextEncoder().encode(value.v) : value.v;
      sink.varint(bytes.length);
      sink.append(bytes);
      return;
    }
    case 'struct':
      writeStruct(sink, value.v);
      return;
    case 'list':
      if (value.v.length < 15) sink.push((value.v.length << 4) | value.elementType);
      else {
        sink.push(0xf0 | value.elementType);
        sink.varint(value.v.length);
      }
      for (const element of value.v) writeValue(sink, element, true);
      return;
    case 'raw':
      sink.append(value.v);
      return;
  }
}

export function writeStruct(sink: ByteSink, fields: readonly ThriftField[]): void {
  let last = 0;
  for (const { id, value } of fields) {
    const type = typeOf(value);
    const delta = id - last;
    if (delta > 0 && delta < 16) sink.push((delta << 4) | type);
    else {
      sink.push(type);
      sink.zigzag(id);
    }
    last = id;
    writeValue(sink, value, false);
  }
  sink.push(0);
}

export function encodeStruct(value: ThriftValue): Uint8Array {
  if (value.t !== 'struct') throw new Error('encodeStruct takes a struct');
  const sink = new ByteSink();
  writeStruct(sink, value.v);
  return sink.result();
}
