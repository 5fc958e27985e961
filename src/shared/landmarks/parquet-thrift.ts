import { DecodeFailure } from './decode-failure.ts';

/*
 * Thrift's compact protocol, as parquet writes its footer and page headers, read with bounds. The
 * caller takes the fields it needs and everything else is skipped without allocating; every length
 * is checked against the bytes left and nesting is capped. So walking damaged or hostile metadata
 * costs time linear in its size and memory for the kept fields only. (hyparquet's reader allocates a
 * JS array of whatever length a list header claims and an object per struct: ~50 bytes of heap per
 * byte of input for a list of empty structs.)
 */

export const THRIFT = {
  STOP: 0,
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

/** Parquet's metadata nests about 7 deep (FileMetaData > row groups > columns > meta data > stats). */
const MAX_DEPTH = 16;
/** A varint longer than this is not an int64. */
const MAX_VARINT_BYTES = 10;

export class CompactReader {
  private pos: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    if (!(start >= 0 && end <= bytes.length && start <= end)) throw new DecodeFailure('thrift: bad bounds');
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  /**
   * Reads a struct: `onField(id, type)` reads the fields it knows with the typed readers below and
   * returns true; any field it does not take is skipped.
   */
  struct(depth: number, onField: (id: number, type: number) => boolean): void {
    if (depth > MAX_DEPTH) throw new DecodeFailure('thrift: metadata nests too deep');
    let id = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === THRIFT.STOP) return;
      const delta = header >> 4;
      id = delta !== 0 ? id + delta : this.zigzag();
      const before = this.pos;
      if (!onField(id, type)) {
        if (this.pos !== before) throw new DecodeFailure('thrift: a field was half read');
        this.skip(type, depth + 1);
      }
    }
  }

  /** Calls `onElement(type, index)` for each element of a list; it must consume the element. */
  list(type: number, depth: number, onElement: (elementType: number, index: number) => void): void {
    this.expect(type, THRIFT.LIST, 'a list');
    if (depth > MAX_DEPTH) throw new DecodeFailure('thrift: metadata nests too deep');
    const { size, elementType } = this.listHeader();
    for (let i = 0; i < size; i++) onElement(elementType, i);
  }

  /** An integer field (i8, i16, i32 or i64) as a Number; int64 beyond 2^53 is refused. */
  integer(type: number): number {
    if (type === THRIFT.BYTE) return (this.byte() << 24) >> 24;
    if (type !== THRIFT.I16 && type !== THRIFT.I32 && type !== THRIFT.I64)
      throw new DecodeFailure(`thrift: expected an integer, found type ${type}`);
    return this.zigzag();
  }

  /** A struct field's bool: the compact protocol keeps it in the field's type. */
  bool(type: number): boolean {
    if (type === THRIFT.TRUE) return true;
    if (type === THRIFT.FALSE) return false;
    throw new DecodeFailure(`thrift: expected a bool, found type ${type}`);
  }

  /** A binary or string field: a view into the input, no copy. */
  binary(type: number): Uint8Array {
    this.expect(type, THRIFT.BINARY, 'a string');
    const length = this.varint();
    if (length > this.end - this.pos)
      throw new DecodeFailure(`thrift: a ${length}-byte string runs past the end`);
    const value = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return value;
  }

  skip(type: number, depth: number): void {
    if (depth > MAX_DEPTH) throw new DecodeFailure('thrift: metadata nests too deep');
    switch (type) {
      case THRIFT.TRUE:
      case THRIFT.FALSE:
        return;
      case THRIFT.BYTE:
        this.byte();
        return;
      case THRIFT.I16:
      case THRIFT.I32:
      case THRIFT.I64:
        this.skipVarint();
        return;
      case THRIFT.DOUBLE:
        this.advance(8);
        return;
      case THRIFT.BINARY:
        this.advance(this.varint());
        return;
      case THRIFT.LIST:
      case THRIFT.SET: {
        const { size, elementType } = this.listHeader();
        // Bools in a list take a byte each, unlike in a struct.
        const element =
          elementType === THRIFT.TRUE || elementType === THRIFT.FALSE ? THRIFT.BYTE : elementType;
        for (let i = 0; i < size; i++) this.skip(element, depth + 1);
        return;
      }
      case THRIFT.MAP: {
        const size = this.varint();
        if (size === 0) return;
        if (size * 2 > this.end - this.pos)
          throw new DecodeFailure(`thrift: a map of ${size} entries cannot fit`);
        const types = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(types >> 4, depth + 1);
          this.skip(types & 0x0f, depth + 1);
        }
        return;
      }
      case THRIFT.STRUCT:
        this.struct(depth, () => false);
        return;
      default:
        throw new DecodeFailure(`thrift: unknown type ${type}`);
    }
  }

  private listHeader(): { size: number; elementType: number } {
    const header = this.byte();
    const elementType = header & 0x0f;
    const size = header >> 4 === 15 ? this.varint() : header >> 4;
    // Every element takes at least one byte, so a count beyond the bytes left is a lie.
    if (size > this.end - this.pos) throw new DecodeFailure(`thrift: a list of ${size} elements cannot fit`);
    return { size, elementType };
  }

  private expect(type: number, wanted: number, what: string): void {
    if (type !== wanted) throw new DecodeFailure(`thrift: expected ${what}, found type ${type}`);
  }

  private byte(): number {
    if (this.pos >= this.end) throw new DecodeFailure('thrift: metadata ends early');
    return this.bytes[this.pos++]!;
  }

  private advance(count: number): void {
    if (count > this.end - this.pos) throw new DecodeFailure('thrift: metadata ends early');
    this.pos += count;
  }

  private varint(): number {
    let value = 0;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const byte = this.byte();
      value += (byte & 0x7f) * 2 ** (7 * i);
      if (byte < 0x80) {
        if (value > Number.MAX_SAFE_INTEGER) throw new DecodeFailure('thrift: an integer beyond 2^53');
        return value;
      }
    }
    throw new DecodeFailure('thrift: a varint longer than 10 bytes');
  }

  /** Skipped integers may be any int64 (statistics of an int64 column). */
  private skipVarint(): void {
    for (let i = 0; i < MAX_VARINT_BYTES; i++) if (this.byte() < 0x80) return;
    throw new DecodeFailure('thrift: a varint longer than 10 bytes');
  }

  private zigzag(): number {
    const value = this.varint();
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  }
}
