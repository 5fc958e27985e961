import type { ClipFailureCode } from './clip-failure.ts';
import type { ClipOutcome } from './clip-outcome.ts';

/**
 * One journal line per clip: `{"i":7,"t":[3,9],"p":[0.81,0.05]}` (index in the listing, top classes,
 * their probabilities) or `{"i":8,"e":"corrupt","m":"..."}` (why it failed). JSON keeps float32
 * probabilities exact: every float32 is a double, and JSON round-trips doubles.
 */
export function encodeRecord(index: number, outcome: ClipOutcome): string {
  return outcome.ok
    ? JSON.stringify({ i: index, t: outcome.top, p: outcome.probs })
    : JSON.stringify({ i: index, e: outcome.code, m: outcome.message });
}

/** The record of a journal line, or null if the line is not one (a torn or damaged write). */
export function decodeRecord(
  line: string,
  clips: number,
  classes: number,
): { index: number; outcome: ClipOutcome } | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const r = value as { i?: unknown; t?: unknown; p?: unknown; e?: unknown; m?: unknown } | null;
  if (typeof r !== 'object' || r === null) return null;
  const index = r.i;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0 || index >= clips) return null;
  if (typeof r.e === 'string' && typeof r.m === 'string') {
    return { index, outcome: { ok: false, code: r.e as ClipFailureCode, message: r.m } };
  }
  const { t, p } = r;
  const ok =
    Array.isArray(t) &&
    Array.isArray(p) &&
    t.length === p.length &&
    t.length > 0 &&
    t.every((c) => Number.isSafeInteger(c) && (c as number) >= 0 && (c as number) < classes) &&
    p.every((x) => typeof x === 'number' || x === null);
  if (!ok) return null;
  // JSON writes NaN as null; a model that outputs NaN should read back the same.
  const probs = (p as (number | null)[]).map((x) => x ?? NaN);
  return { index, outcome: { ok: true, top: t as number[], probs } };
}
