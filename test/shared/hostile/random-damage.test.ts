import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judge, readOutcome, type HostileCase, type Outcome } from './check-outcome.ts';
import { baseClip, baseFiles } from './hostile-cases.ts';
import { landmarkParquet, LAYOUTS, type ColumnName } from './landmark-parquet.ts';

/*
 * Property-based damage with fast-check (shrinking finds the smallest damage that breaks a reader,
 * and a failure prints the seed that replays it): random edits anywhere in each base file, and random
 * values in random page header fields. The structural corpus (hostile-corpus.test.ts) covers every
 * structural offset once; this covers combinations. The seed is fixed so CI runs the same cases;
 * FUZZ_SEED=<n> explores others.
 */

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261204);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 600);

const read = (format: HostileCase['format'], bytes: Uint8Array): Promise<Outcome> =>
  readOutcome(format, bytes, 'damaged');

const base = baseClip();
const files = baseFiles(base);

type Edit = { kind: 'set' | 'flip' | 'insert' | 'delete'; at: number; value: number };

function applyEdits(bytes: Uint8Array, edits: readonly Edit[], cut: number | null): Uint8Array {
  const out = Array.from(bytes);
  for (const { kind, at, value } of edits) {
    const i = at % Math.max(1, out.length);
    if (kind === 'set') out[i] = value;
    else if (kind === 'flip') out[i]! ^= 1 << (value & 7);
    else if (kind === 'insert') out.splice(i, 0, value);
    else out.splice(i, 1);
  }
  const damaged = Uint8Array.from(out);
  return cut === null ? damaged : damaged.subarray(0, cut % (damaged.length + 1));
}

const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('set', 'flip', 'insert', 'delete'),
  at: fc.nat(),
  value: fc.integer({ min: 0, max: 255 }),
});

/** Integers a lying field is likely to hold: boundaries of every width, and small ones. */
const lie = fc.oneof(
  fc.constantFrom(0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, 2 ** 28, 2 ** 53 - 1),
  fc.integer({ min: -1000, max: 100_000 }),
  fc.integer(),
);

describe('random damage (fast-check)', () => {
  it('random edits to any base file end in a typed error or a well-formed clip', async () => {
    let worstMs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...files),
        fc.array(edit, { minLength: 1, maxLength: 6 }),
        fc.option(fc.nat(), { freq: 4 }),
        async (file, edits, cut) => {
          const start = performance.now();
          const outcome = await read(file.format, applyEdits(file.bytes, edits, cut));
          worstMs = Math.max(worstMs, performance.now() - start);
          const c: HostileCase = {
            name: file.name,
            category: 'random',
            format: file.format,
            bytes: file.bytes,
            expect: { clip: 'any' },
          };
          expect(judge(c, outcome)).toBeUndefined();
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`random edits: ${RUNS} runs (seed ${SEED}), worst ${worstMs.toFixed(1)} ms`);
    expect(worstMs).toBeLessThan(10_000);
  }, 300_000);

  it('random values in page header fields of a parquet file end in a typed error or a well-formed clip', async () => {
    const columns: ColumnName[] = ['frame', 'type', 'landmark_index', 'x', 'y', 'z'];
    const fields = [
      'compressedSize',
      'uncompressedSize',
      'numValues',
      'encoding',
      'definitionLevelsByteLength',
      'repetitionLevelsByteLength',
      'type',
      'definitionLevelEncoding',
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...LAYOUTS),
        fc.constantFrom(...columns),
        fc.integer({ min: -1, max: 1 }),
        fc.constantFrom(...fields),
        lie,
        async (layout, column, page, name, value) => {
          const bytes = landmarkParquet(base.table, layout, {
            columns: { [column]: { page: { [page]: { [name]: value } } } },
          }).bytes;
          const c: HostileCase = {
            name: 'lie',
            category: 'random',
            format: 'parquet',
            bytes,
            expect: { clip: 'any' },
          };
          expect(judge(c, await read('parquet', bytes))).toBeUndefined();
        },
      ),
      { seed: SEED, numRuns: Math.ceil(RUNS / 2) },
    );
  }, 300_000);
});
