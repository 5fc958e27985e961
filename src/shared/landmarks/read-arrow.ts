import { DataType, Precision, tableFromIPC, type Data, type Table, type Vector } from 'apache-arrow';
import { checkArrowIpc } from './arrow-ipc-guard.ts';
import { assembleClip, checkRowCount, maxFramesOf } from './assemble.ts';
import type { Clip } from './clip.ts';
import { LandmarkFileError } from './landmark-file-error.ts';
import { NUMERIC_COLUMNS, REQUIRED_COLUMNS, type LandmarkColumns } from './landmark-columns.ts';
import { POINTS_PER_FRAME } from './layout.ts';
import type { ReadOptions } from './read-options.ts';
import { describeTypeValue, typeCodeOfBytes, UNKNOWN_TYPE_CODE } from './type-codes.ts';

const ARROW_FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

/**
 * The landmark table (frame, type, landmark_index, x, y, z; row_id optional and ignored) as an Arrow
 * IPC stream or file -> the same clip tensor and the same errors as readLandmarkParquet. Integer
 * columns may be any width, x/y/z float32 or float64 (nulls or NaN), type Utf8, LargeUtf8 or a
 * dictionary of Utf8.
 */
export function readLandmarkArrow(bytes: Uint8Array, source: string, opts?: ReadOptions): Clip {
  const table = parseTable(bytes, source, maxFramesOf(opts) * POINTS_PER_FRAME);
  for (const name of REQUIRED_COLUMNS) {
    if (table.getChild(name) === null)
      throw new LandmarkFileError('missing_column', source, `no column named ${name}`);
  }
  checkRowCount(table.numRows, source, opts);
  let columns: LandmarkColumns;
  try {
    columns = tableColumns(table, source);
  } catch (error) {
    // Damaged IPC can parse into vectors whose buffers do not match their type.
    if (error instanceof LandmarkFileError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new LandmarkFileError('corrupt', source, `unreadable Arrow columns: ${detail}`, { cause: error });
  }
  return assembleClip(columns, source, opts);
}

function parseTable(bytes: Uint8Array, source: string, maxRows: number): Table {
  const isFile = startsWith(bytes, ARROW_FILE_MAGIC, 0);
  const isStream =
    bytes.byteLength >= 8 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff;
  if (!isFile && !isStream) {
    throw new LandmarkFileError(
      'not_arrow',
      source,
      'neither an Arrow IPC file ("ARROW1") nor an IPC stream',
    );
  }
  if (isFile && !startsWith(bytes, ARROW_FILE_MAGIC, bytes.byteLength - ARROW_FILE_MAGIC.length)) {
    throw new LandmarkFileError('corrupt', source, 'Arrow file has no footer (truncated file?)');
  }
  try {
    checkArrowIpc(bytes, isFile, maxRows);
    return tableFromIPC(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new LandmarkFileError('corrupt', source, `unreadable Arrow IPC: ${detail}`, { cause: error });
  }
}

function startsWith(bytes: Uint8Array, magic: readonly number[], at: number): boolean {
  if (at < 0 || at + magic.length > bytes.byteLength) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

function tableColumns(table: Table, source: string): LandmarkColumns {
  const length = table.numRows;
  const numbers = new Map<string, Float64Array>();
  for (const name of NUMERIC_COLUMNS) {
    const vector = table.getChild(name)!;
    const integer = name === 'frame' || name === 'landmark_index';
    const ok = integer ? DataType.isInt(vector.type) : isFloat32Or64(vector.type);
    if (!ok) {
      throw new LandmarkFileError(
        'bad_column_type',
        source,
        `column ${name} is ${String(vector.type)}, expected ${integer ? 'an integer' : 'float32 or float64'}`,
      );
    }
    numbers.set(name, numericColumn(vector, length));
  }
  return {
    length,
    frame: numbers.get('frame')!,
    typeCode: typeColumn(table.getChild('type')!, length, source),
    landmarkIndex: numbers.get('landmark_index')!,
    x: numbers.get('x')!,
    y: numbers.get('y')!,
    z: numbers.get('z')!,
  };
}

function isFloat32Or64(type: DataType): boolean {
  return DataType.isFloat(type) && type.precision !== Precision.HALF;
}

/** Float64 copy with NaN for nulls (Arrow leaves arbitrary values under a null bit). */
function numericColumn(vector: Vector, length: number): Float64Array {
  const out = new Float64Array(length);
  let row = 0;
  for (const data of vector.data) {
    const values = data.values as ArrayLike<number | bigint>;
    for (let i = 0; i < data.length; i++) {
      out[row + i] = isNull(data, i) ? NaN : Number(values[i]!);
    }
    row += data.length;
  }
  return out;
}

function typeColumn(vector: Vector, length: number, source: string): Uint8Array {
  const type = vector.type;
  const dictionaryOfText = DataType.isDictionary(type) && isText(type.dictionary);
  if (!isText(type) && !dictionaryOfText) {
    throw new LandmarkFileError('bad_column_type', source, `column type is ${String(type)}, expected text`);
  }
  const out = new Uint8Array(length);
  let row = 0;
  for (const data of vector.data) {
    const codes = dictionaryOfText ? dictionaryCodes(data, source) : undefined;
    for (let i = 0; i < data.length; i++) {
      if (isNull(data, i))
        throw new LandmarkFileError('unknown_type', source, `type is null at row ${row + i}`);
      let code: number;
      if (codes !== undefined) {
        code = codes[Number((data.values as ArrayLike<number | bigint>)[i])] ?? UNKNOWN_TYPE_CODE;
      } else {
        const [start, end] = textBounds(data, i);
        code = typeCodeOfBytes(data.values as Uint8Array, start, end);
      }
      if (code === UNKNOWN_TYPE_CODE) {
        throw new LandmarkFileError(
          'unknown_type',
          source,
          `type ${describeText(data, i)} at row ${row + i} is not a landmark type`,
        );
      }
      out[row + i] = code;
    }
    row += data.length;
  }
  return out;
}

function isText(type: DataType): boolean {
  return DataType.isUtf8(type) || DataType.isLargeUtf8(type);
}

function dictionaryCodes(data: Data, source: string): Uint8Array {
  const dictionary = data.dictionary;
  if (dictionary === undefined)
    throw new LandmarkFileError('corrupt', source, 'dictionary column without a dictionary');
  const codes = new Uint8Array(dictionary.length).fill(UNKNOWN_TYPE_CODE);
  for (let i = 0; i < dictionary.length; i++) {
    const value: unknown = dictionary.get(i);
    if (typeof value === 'string') codes[i] = typeCodeOfBytes(new TextEncoder().encode(value));
  }
  return codes;
}

function textBounds(data: Data, i: number): [number, number] {
  const offsets = data.valueOffsets as ArrayLike<number | bigint>;
  return [Number(offsets[i]), Number(offsets[i + 1])];
}

function describeText(data: Data, i: number): string {
  if (DataType.isDictionary(data.type)) {
    const value: unknown = data.dictionary?.get(Number((data.values as ArrayLike<number | bigint>)[i]));
    return typeof value === 'string' ? JSON.stringify(value) : 'null';
  }
  const [start, end] = textBounds(data, i);
  return describeTypeValue(data.values as Uint8Array, start, end);
}

function isNull(data: Data, i: number): boolean {
  if (data.nullCount === 0) return false;
  const bitmap = data.nullBitmap;
  if (bitmap === undefined || bitmap.length === 0) return false;
  const bit = data.offset + i;
  return ((bitmap[bit >> 3]! >> (bit & 7)) & 1) === 0;
}
