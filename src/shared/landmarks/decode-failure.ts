import { LandmarkFileError } from './landmark-file-error.ts';

/**
 * What the readers' low-level decoders (thrift, snappy, RLE, delta, Arrow metadata checks) throw on
 * damaged bytes. They do not know the file's name, so the reader wraps it into a `corrupt`
 * LandmarkFileError; its message is one we wrote, safe to show a client.
 */
export class DecodeFailure extends Error {
  override readonly name = 'DecodeFailure';
}

/** Well-formed input using something the readers do not decode (a compressed Arrow body, ...). */
export class UnsupportedInput extends DecodeFailure {}

/**
 * The reader's last line: whatever escaped decoding becomes a typed error. A LandmarkFileError
 * passes through, a DecodeFailure keeps its message (an UnsupportedInput becomes `unsupported`),
 * and anything else — a JS engine error from a library walking damaged bytes — is reported without
 * its message, which names engine internals ("Cannot read properties of undefined") rather than
 * anything about the file.
 */
export function asLandmarkError(error: unknown, source: string, what: string): LandmarkFileError {
  if (error instanceof LandmarkFileError) return error;
  if (error instanceof UnsupportedInput) return new LandmarkFileError('unsupported', source, error.message);
  const detail =
    error instanceof DecodeFailure ? `${what}: ${error.message}` : `${what} could not be decoded`;
  return new LandmarkFileError('corrupt', source, detail, { cause: error });
}
