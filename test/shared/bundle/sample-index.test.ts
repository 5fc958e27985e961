import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSampleIndex, sampleMediaType } from '../../../src/shared/bundle/sample-index.ts';
import { readLandmarkParquet } from '../../../src/shared/landmarks/read-parquet.ts';
import { preprocessClip } from '../../../src/shared/preprocess/preprocess-clip.ts';
import { NodeReference } from '../../../scripts/worker/node-reference.ts';

const DEMO = 'models/demo';
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const valid = {
  format: 'signcast-samples/1',
  note: 'n',
  samples: [{ file: 'a.parquet', title: 'A', frames: 3, fps: 30 }],
};

describe('parseSampleIndex', () => {
  it('accepts an index and keeps only the known fields', () => {
    const index = parseSampleIndex({ ...valid, samples: [{ ...valid.samples[0], sign: 's', extra: 1 }] });
    expect(index.samples).toEqual([{ file: 'a.parquet', title: 'A', sign: 's', frames: 3, fps: 30 }]);
  });

  it('names the first wrong field', () => {
    const withSample = (patch: Record<string, unknown>): unknown => ({
      ...valid,
      samples: [{ ...valid.samples[0], ...patch }],
    });
    expect(() => parseSampleIndex([])).toThrow(/must be a JSON object/);
    expect(() => parseSampleIndex({ ...valid, format: 'x' })).toThrow(/format must be/);
    expect(() => parseSampleIndex(withSample({ file: '../manifest.json' }))).toThrow(/samples\[0\]\.file/);
    expect(() => parseSampleIndex(withSample({ file: 'model.onnx' }))).toThrow(/samples\[0\]\.file/);
    expect(() => parseSampleIndex(withSample({ frames: 0 }))).toThrow(/samples\[0\]\.frames/);
    expect(() => parseSampleIndex(withSample({ fps: Infinity }))).toThrow(/samples\[0\]\.fps/);
    expect(() => parseSampleIndex(withSample({ sign: 3 }))).toThrow(/samples\[0\]\.sign/);
  });

  it('media types come from the extension', () => {
    expect(sampleMediaType('a.arrows')).toBe('application/vnd.apache.arrow.stream');
    expect(sampleMediaType('a.txt')).toBeUndefined();
  });
});

describe("models/demo's samples", () => {
  const index = parseSampleIndex(readJson(join(DEMO, 'samples', 'index.json')));
  const manifest = readJson(join(DEMO, 'manifest.json')) as { signs: string[] };

  it('are listed with their true frame counts and signs the model knows', async () => {
    expect(index.samples.length).toBeGreaterThan(1);
    for (const sample of index.samples) {
      const bytes = new Uint8Array(readFileSync(join(DEMO, 'samples', sample.file)));
      expect((await readLandmarkParquet(bytes, sample.file)).frameCount, sample.file).toBe(sample.frames);
      if (sample.sign !== undefined) expect(manifest.signs, sample.file).toContain(sample.sign);
    }
  });

  it('the one the page opens with is a sign the shipped model recognises', async () => {
    const first = index.samples[0]!;
    const bytes = new Uint8Array(readFileSync(join(DEMO, 'samples', first.file)));
    const model = await NodeReference.create(new Uint8Array(readFileSync(join(DEMO, 'model.int8.onnx'))));
    const probabilities = await model.run(preprocessClip(await readLandmarkParquet(bytes, first.file)));
    await model.release();
    const top = probabilities.indexOf(Math.max(...probabilities));
    expect(manifest.signs[top]).toBe(first.sign);
  });
});
