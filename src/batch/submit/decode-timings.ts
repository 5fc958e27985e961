/** Milliseconds spent per stage of turning files into model inputs, summed over clips. */
export interface DecodeTimings {
  readMs: number;
  decodeMs: number;
  preprocessMs: number;
}

export function zeroDecodeTimings(): DecodeTimings {
  return { readMs: 0, decodeMs: 0, preprocessMs: 0 };
}

export function addDecodeTimings(into: DecodeTimings, more: Readonly<DecodeTimings>): void {
  into.readMs += more.readMs;
  into.decodeMs += more.decodeMs;
  into.preprocessMs += more.preprocessMs;
}
