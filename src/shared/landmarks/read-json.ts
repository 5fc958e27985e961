import {
  checkBodySize,
  coordinateError,
  isAcceptableCoordinate,
  checkFrameCount,
  checkHasLandmarks,
  maxFramesOf,
} from './assemble.ts';
import type { Clip } from './clip.ts';
import { LandmarkFileError, type LandmarkErrorCode } from './landmark-file-error.ts';
import { COORDS, POINTS_PER_FRAME, VALUES_PER_FRAME } from './layout.ts';
import type { ReadOptions } from './read-options.ts';

/*
 * The Worker's JSON body `{"frames": [[[x, y, z] | null, ... 543 entries], ...]}` -> clip tensor,
 * parsed in one pass straight into the float32 tensor. JSON.parse would build a JS array per point
 * first: 11x the body's size in heap for a clip, 14-22x for bodies of empty arrays or objects; here
 * the cost is the tensor, at about half JSON.parse's speed. Frames are consecutive from 0. A
 * point is null (missing) or three coordinates, each a number or null (NaN in the tensor). Anything
 * else is refused, naming the frame and point, rather than guessed at: a client bug should surface,
 * not become a silently wrong prediction. A shape error is only reported for valid JSON (as if the
 * body had been parsed first); other bodies are `invalid_json`.
 */

const INITIAL_FRAMES = 64;

/** Character codes the parser compares against. */
const Char = {
  Tab: 9,
  NewLine: 10,
  Return: 13,
  Space: 32,
  Quote: 34,
  Plus: 43,
  Comma: 44,
  Minus: 45,
  Dot: 46,
  Zero: 48,
  Nine: 57,
  Colon: 58,
  UpperE: 69,
  OpenBracket: 91,
  Backslash: 92,
  CloseBracket: 93,
  LowerE: 101,
  OpenBrace: 123,
  CloseBrace: 125,
} as const;

/** Thrown inside the parser for bytes that are not JSON; the reader turns it into `invalid_json`. */
class NotJson extends Error {}

class JsonCursor {
  pos = 0;

  constructor(readonly text: string) {}

  ws(): void {
    const { text } = this;
    let c = text.charCodeAt(this.pos);
    while (c === Char.Space || c === Char.NewLine || c === Char.Return || c === Char.Tab)
      c = text.charCodeAt(++this.pos);
  }

  /** The next non-space character code (NaN at the end), not consumed. */
  peek(): number {
    this.ws();
    return this.text.charCodeAt(this.pos);
  }

  take(code: number): boolean {
    if (this.peek() !== code) return false;
    this.pos++;
    return true;
  }

  expect(code: number): void {
    if (!this.take(code)) throw new NotJson();
  }

  /** After an element of an array or object: true for `,`, false for the closing character. */
  more(close: number): boolean {
    if (this.take(Char.Comma)) return true;
    this.expect(close);
    return false;
  }

  literal(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    this.pos += word.length;
    return true;
  }

  /** A JSON number, or null for the literal; undefined when the value is something else. */
  numberOrNull(): number | null | undefined {
    const c = this.peek();
    if (c === 110 /* n */) {
      if (!this.literal('null')) throw new NotJson();
      return null;
    }
    if (c !== Char.Minus && !(c >= Char.Zero && c <= Char.Nine)) return undefined;
    const { text } = this;
    const start = this.pos;
    if (text.charCodeAt(this.pos) === Char.Minus) this.pos++;
    if (text.charCodeAt(this.pos) === Char.Zero) this.pos++;
    else if (!this.digits()) throw new NotJson();
    if (text.charCodeAt(this.pos) === Char.Dot) {
      this.pos++;
      if (!this.digits()) throw new NotJson();
    }
    const e = text.charCodeAt(this.pos);
    if (e === Char.LowerE || e === Char.UpperE) {
      this.pos++;
      const sign = text.charCodeAt(this.pos);
      if (sign === Char.Plus || sign === Char.Minus) this.pos++;
      if (!this.digits()) throw new NotJson();
    }
    // Number() rounds the decimal exactly as JSON.parse does.
    return Number(text.slice(start, this.pos));
  }

  private digits(): boolean {
    const start = this.pos;
    let c = this.text.charCodeAt(this.pos);
    while (c >= Char.Zero && c <= Char.Nine) c = this.text.charCodeAt(++this.pos);
    return this.pos > start;
  }

  /** A string at the cursor; returns its raw extent (quotes included), validated. */
  string(): [number, number] {
    const { text } = this;
    const start = this.pos;
    if (text.charCodeAt(this.pos) !== Char.Quote) throw new NotJson();
    this.pos++;
    for (;;) {
      const c = text.charCodeAt(this.pos++);
      if (c === Char.Quote) return [start, this.pos];
      if (Number.isNaN(c) || c < 0x20) throw new NotJson();
      if (c === Char.Backslash) {
        const escaped = text.charCodeAt(this.pos++);
        if (escaped === 117 /* u */) {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.pos, this.pos + 4))) throw new NotJson();
          this.pos += 4;
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(escaped))) {
          throw new NotJson();
        }
      }
    }
  }

  /**
   * Any JSON value, validated and skipped without building it. Iterative, with one byte of stack per
   * open bracket: a body of 16 MiB of "[" is a 16 MiB stack, not 16 million JS frames.
   */
  skipValue(): void {
    let stack = new Uint8Array(64);
    let depth = 0;
    for (;;) {
      // A value.
      const c = this.peek();
      let opened = false;
      if (c === Char.Quote) {
        this.string();
      } else if (c === Char.OpenBracket || c === Char.OpenBrace) {
        this.pos++;
        const close = c === Char.OpenBracket ? Char.CloseBracket : Char.CloseBrace;
        if (!this.take(close)) {
          if (depth === stack.length) {
            const grown = new Uint8Array(stack.length * 2);
            grown.set(stack);
            stack = grown;
          }
          stack[depth++] = close;
          if (close === Char.CloseBrace) this.key();
          opened = true;
        }
      } else if (!(this.literal('true') || this.literal('false') || this.numberOrNull() !== undefined)) {
        throw new NotJson();
      }
      if (opened) continue;
      // After a value: close what ends here, or go on to the next element.
      for (;;) {
        if (depth === 0) return;
        const close = stack[depth - 1]!;
        if (this.take(Char.Comma)) {
          if (close === Char.CloseBrace) this.key();
          break;
        }
        this.expect(close);
        depth--;
      }
    }
  }

  /** An object key and its colon. */
  private key(): void {
    this.ws();
    this.string();
    this.expect(Char.Colon);
  }

  /** What the value at the cursor is, for a message: "an object", "a string", ... */
  kind(): string {
    const c = this.peek();
    if (c === Char.OpenBrace) return 'an object';
    if (c === Char.OpenBracket) return 'an array';
    if (c === Char.Quote) return 'a string';
    if (c === 110) return 'null';
    if (c === 116 || c === 102) return 'a boolean';
    return 'a number';
  }
}

/** A shape error found mid-parse; reported only once the whole body is known to be JSON. */
class ShapeError extends Error {
  constructor(
    readonly code: LandmarkErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function isJson(text: string): boolean {
  const cursor = new JsonCursor(text);
  try {
    cursor.skipValue();
    cursor.ws();
    return cursor.pos === text.length;
  } catch (error) {
    if (error instanceof NotJson) return false;
    throw error;
  }
}

/** Frames parsed so far, in a tensor that doubles as it fills. */
class FrameBuffer {
  data = new Float32Array(INITIAL_FRAMES * VALUES_PER_FRAME).fill(NaN);
  frames = 0;
  present = 0;

  frameStart(): number {
    if ((this.frames + 1) * VALUES_PER_FRAME > this.data.length) {
      const grown = new Float32Array(this.data.length * 2).fill(NaN);
      grown.set(this.data);
      this.data = grown;
    }
    return this.frames++ * VALUES_PER_FRAME;
  }
}

export function readLandmarkJson(bytes: Uint8Array, source: string, opts?: ReadOptions): Clip {
  checkBodySize(bytes, source);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LandmarkFileError('invalid_json', source, 'is not valid UTF-8');
  }
  try {
    return parseClip(new JsonCursor(text), source, maxFramesOf(opts));
  } catch (error) {
    if (error instanceof NotJson) throw new LandmarkFileError('invalid_json', source, 'is not valid JSON');
    if (error instanceof ShapeError || error instanceof LandmarkFileError) {
      if (!isJson(text)) throw new LandmarkFileError('invalid_json', source, 'is not valid JSON');
      if (error instanceof ShapeError) throw new LandmarkFileError(error.code, source, error.message);
    }
    throw error;
  }
}

function parseClip(cursor: JsonCursor, source: string, maxFrames: number): Clip {
  if (cursor.peek() !== Char.OpenBrace)
    throw new ShapeError('bad_shape', 'expected an object {"frames": [...]}');
  cursor.pos++;
  let clip: FrameBuffer | undefined;
  if (!cursor.take(Char.CloseBrace)) {
    do {
      cursor.ws();
      const [start, end] = cursor.string();
      cursor.expect(Char.Colon);
      const key = end - start <= 32 ? (JSON.parse(cursor.text.slice(start, end)) as string) : '';
      // A repeated key counts once, the last time, as JSON.parse has it.
      if (key === 'frames') clip = parseFrames(cursor, source, maxFrames);
      else cursor.skipValue();
    } while (cursor.more(Char.CloseBrace));
  }
  cursor.ws();
  if (cursor.pos !== cursor.text.length) throw new NotJson();
  if (clip === undefined) throw new ShapeError('bad_shape', '"frames" must be an array');
  checkHasLandmarks(clip.present, source);
  return { frameCount: clip.frames, firstFrame: 0, data: clip.data.slice(0, clip.frames * VALUES_PER_FRAME) };
}

function parseFrames(cursor: JsonCursor, source: string, maxFrames: number): FrameBuffer {
  if (cursor.peek() !== Char.OpenBracket) throw new ShapeError('bad_shape', '"frames" must be an array');
  cursor.pos++;
  const clip = new FrameBuffer();
  if (cursor.take(Char.CloseBracket)) throw new ShapeError('no_frames', '"frames" is empty');
  do {
    if (clip.frames === maxFrames) {
      // Count the rest (validating them) so the message says how long the clip is.
      let frames = clip.frames;
      do {
        cursor.skipValue();
        frames++;
      } while (cursor.more(Char.CloseBracket));
      checkFrameCount(frames, source, { maxFrames });
    }
    parseFrame(cursor, clip, source);
  } while (cursor.more(Char.CloseBracket));
  return clip;
}

function parseFrame(cursor: JsonCursor, clip: FrameBuffer, source: string): void {
  const f = clip.frames;
  const wrongLength = (got: string) =>
    new ShapeError('bad_shape', `frame ${f} must be an array of ${POINTS_PER_FRAME} points, got ${got}`);
  if (cursor.peek() !== Char.OpenBracket) throw wrongLength(cursor.kind());
  cursor.pos++;
  const base = clip.frameStart();
  if (cursor.take(Char.CloseBracket)) throw wrongLength('0 entries');
  let p = 0;
  do {
    if (p === POINTS_PER_FRAME) {
      let entries = p;
      do {
        cursor.skipValue();
        entries++;
      } while (cursor.more(Char.CloseBracket));
      throw wrongLength(`${entries} entries`);
    }
    parsePoint(cursor, clip, base + p * COORDS, f, p, source);
    p++;
  } while (cursor.more(Char.CloseBracket));
  if (p !== POINTS_PER_FRAME) throw wrongLength(`${p} entries`);
}

function parsePoint(
  cursor: JsonCursor,
  clip: FrameBuffer,
  at: number,
  f: number,
  p: number,
  source: string,
): void {
  const notAPoint = () => new ShapeError('bad_shape', `frame ${f} point ${p} must be null or [x, y, z]`);
  if (cursor.peek() !== Char.OpenBracket) {
    if (cursor.literal('null')) return;
    throw notAPoint();
  }
  cursor.pos++;
  const { data } = clip;
  let seen = false;
  for (let c = 0; c < COORDS; c++) {
    if (c > 0 && !cursor.take(Char.Comma)) {
      cursor.expect(Char.CloseBracket);
      throw notAPoint();
    }
    const value = cursor.numberOrNull();
    if (value === undefined) {
      if (cursor.peek() === Char.CloseBracket && c === 0) throw notAPoint();
      throw new ShapeError('bad_shape', `frame ${f} point ${p} coordinate ${c} is not a number or null`);
    }
    if (value === null) continue;
    data[at + c] = value;
    const stored = data[at + c]!;
    if (!isAcceptableCoordinate(stored, c)) throw coordinateError(stored, c, source, `frame ${f} point ${p}`);
    if (stored === stored) seen = true;
  }
  if (!cursor.take(Char.CloseBracket)) throw notAPoint();
  if (seen) clip.present++;
}
