import { DataType, Precision, tableFromIPC, type Data, type Table, type Vector } from 'apache-arrow';
import { checkArrowIpc } from './arrow-ipc-guard.ts';
import { assembleClip, checkBodySize, checkRowCount, maxFramesOf } from './assemble.ts';
import type { Clip } from './clip.ts';
import { asLandmarkError } from './decode-failure.ts';
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
 * dictionary of Utf8. apache-arrow decodes the IPC after `checkArrowIpc` has checked its metadata;
 * the buffers it hands back are then checked against the lengths they claim before any is read.
 */
export function readLandmarkArrow(bytes: Uint8Array, source: string, opts?: ReadOptions): Clip {
  checkBodySize(bytes, source);
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
    throw asLandmarkError(error, source, 'Arrow columns');
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
    throw asLandmarkError(error, source, 'Arrow IPC');
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
    numbers.set(name, numericColumn(vector, length, name, source));
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

function corrupt(source: string, detail: string): LandmarkFileError {
  return new LandmarkFileError('corrupt', source, detail);
}

/** A column's chunks must together hold exactly the table's rows. */
function checkChunks(vector: Vector, length: number, name: string, source: string): void {
  let rows = 0;
  for (const data of vector.data) rows += data.length;
  if (rows !== length) throw corrupt(source, `column ${name} holds ${rows} rows, the table ${length}`);
}

/**
 * Arrow leaves the buffer lengths to the writer: a buffer shorter than its node's length would read
 * as missing values (or values from elsewhere in the body), and a null count that disagrees with the
 * validity bitmap would turn nulls into numbers. Refused instead.
 */
function checkValidity(data: Data, name: string, source: string): void {
  const bitmap = data.nullBitmap;
  const end = data.offset + data.length;
  if (bitmap === undefined || bitmap.length === 0) {
    if (data.nullCount > 0) throw corrupt(source, `column ${name} has nulls but no validity bitmap`);
    return;
  }
  if (bitmap.length * 8 < end) throw corrupt(source, `column ${name} has a short validity bitmap`);
  let nulls = 0;
  for (let bit = data.offset; bit < end; bit++) if (((bitmap[bit >> 3]! >> (bit & 7)) & 1) === 0) nulls++;
  if (nulls !== data.nullCount) {
    throw corrupt(source, `column ${name} claims ${data.nullCount} nulls, its validity bitmap ${nulls}`);
  }
}

/** Float64 copy with NaN for nulls (Arrow leaves arbitrary values under a null bit). */
function numericColumn(vector: Vector, length: number, name: string, source: string): Float64Array {
  checkChunks(vector, length, name, source);
  const out = new Float64Array(length);
  let row = 0;
  for (const data of vector.data) {
    checkValidity(data, name, source);
    const values = data.values as ArrayLike<number | bigint>;
    if (values.length < data.length)
      throw corrupt(source, `column ${name} has a buffer shorter than its rows`);
    for (let i = 0; i < data.length; i++) {
      out[row + i] = isNull(data, i) ? NaN : Number(values[i]!);
    }
    row += data.length;
  }
  return out;
}

/** Type codes of a Utf8 / LargeUtf8 chunk's values, with their offsets checked against the data. */
function textCodes(
  data: Data,
  name: string,
  source: string,
): { codes: Uint8Array; describe(i: number): string } {
  const offsets = data.valueOffsets as ArrayLike<number | bigint> | undefined;
  const bytes = data.values as Uint8Array | undefined;
  if (offsets === undefined || bytes === undefined || offsets.length < data.length + 1) {
    throw corrupt(source, `column ${name} has a short offsets buffer`);
  }
  const codes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const start = Number(offsets[i]);
    const end = Number(offsets[i + 1]);
    if (!(start >= 0 && start <= end && end <= bytes.length)) {
      throw corrupt(source, `column ${name} has a string outside its data buffer`);
    }
    codes[i] = typeCodeOfBytes(bytes, start, end);
  }
  return {
    codes,
    describe: (i) => describeTypeValue(bytes, Number(offsets[i]), Number(offsets[i + 1])),
  };
}

/** A dictionary may arrive in several chunks (delta dictionaries): one index space across them. */
function dictionaryCodes(
  dictionary: Vector,
  source: string,
): { codes: Uint8Array; describe(i: number): string } {
  const parts = dictionary.data.map((chunk) => textCodes(chunk, 'type dictionary', source));
  const codes = new Uint8Array(parts.reduce((n, part) => n + part.codes.length, 0));
  const starts: number[] = [];
  let at = 0;
  for (const part of parts) {
    codes.set(part.codes, at);
    starts.push(at);
    at += part.codes.length;
  }
  return {
    codes,
    describe: (i) => {
      let k = starts.length - 1;
      while (starts[k]! > i) k--;
      return parts[k]!.describe(i - starts[k]!);
    },
  };
}

function typeColumn(vector: Vector, length: number, source: string): Uint8Array {
  const type = vector.type;
  const dictionaryOfText = DataType.isDictionary(type) && isText(type.dictionary);
  if (!isText(type) && !dictionaryOfText) {
    throw new LandmarkFileError('bad_column_type', source, `column type is ${String(type)}, expected text`);
  }
  checkChunks(vector, length, 'type', source);
  const out = new Uint8Array(length);
  let row = 0;
  for (const data of vector.data) {
    checkValidity(data, 'type', source);
    let text: { codes: Uint8Array; describe(i: number): string };
    let indices: ArrayLike<number | bigint> | undefined;
    if (dictionaryOfText) {
      const dictionary = data.dictionary;
      if (dictionary === undefined) throw corrupt(source, 'column type is a dictionary without a dictionary');
      text = dictionaryCodes(dictionary, source);
      indices = data.values as ArrayLike<number | bigint>;
      if (indices.length < data.length)
        throw corrupt(source, 'column type has a buffer shorter than its rows');
    } else {
      text = textCodes(data, 'type', source);
    }
    for (let i = 0; i < data.length; i++) {
      if (isNull(data, i))
        throw new LandmarkFileError('unknown_type', source, `type is null at row ${row + i}`);
      const index = indices === undefined ? i : Number(indices[i]);
      if (!(index >= 0 && index < text.codes.length)) {
        throw corrupt(source, `column type has a dictionary index out of range at row ${row + i}`);
      }
      const code = text.codes[index]!;
      if (code === UNKNOWN_TYPE_CODE) {
        throw new LandmarkFileError(
          'unknown_type',
          source,
          `type ${text.describe(index)} at row ${row + i} is not a landmark type`,
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

function isNull(data: Data, i: number): boolean {
  if (data.nullCount === 0) return false;
  // checkValidity has made sure the bitmap is there.
  const bitmap = data.nullBitmap!;
  const bit = data.offset + i;
  return ((bitmap[bit >> 3]! >> (bit & 7)) & 1) === 0;
}
