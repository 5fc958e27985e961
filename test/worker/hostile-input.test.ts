import { describe, expect, it } from 'vitest';
import { syntheticClip, type ClipFrames } from '../../scripts/worker/synthetic-clip.ts';
import { landmarkArrow, ARROW_LAYOUTS } from '../shared/hostile/arrow-ipc.ts';
import { craftedDeltaPrefixFile } from '../shared/hostile/crafted-files.ts';
import { landmarkParquet, LAYOUTS, tableOf } from '../shared/hostile/landmark-parquet.ts';
import { BUNDLES, errorOf, post } from './fixtures.ts';

/** The four failures of issue 13, each as a client would send it, in every format it applies to. */

const PARQUET = 'application/vnd.apache.parquet';
const ARROW = 'application/vnd.apache.arrow.stream';
const JSON_TYPE = 'application/json';

const clip = syntheticClip({ frames: 6, seed: 21, hand: 'left_hand' });

/** The clip with x replaced by `x` wherever a point is present. */
function withX(frames: ClipFrames, x: number | null): ClipFrames {
  return frames.map((frame) =>
    frame.map((p) => (p === null ? null : x === null ? null : ([x, p[1], p[2]] as const))),
  );
}

function bodies(frames: ClipFrames): [string, Uint8Array<ArrayBuffer>][] {
  const table = tableOf(frames, 10);
  return [
    [PARQUET, landmarkParquet(table, LAYOUTS[0]!).bytes.slice()],
    [ARROW, landmarkArrow(table, ARROW_LAYOUTS[0]!).slice()],
    [JSON_TYPE, new TextEncoder().encode(JSON.stringify({ frames }))],
  ];
}

describe('hostile input at the Worker', () => {
  it('the 841-byte parquet claiming 256 MB prefixes is 400 corrupt, with a clean message', async () => {
    for (const prefix of [2 ** 28, 2 ** 30]) {
      const res = await post('/v1/predict', PARQUET, craftedDeltaPrefixFile(prefix).slice());
      const error = await errorOf(res);
      expect(error).toMatchObject({ status: 400, code: 'corrupt' });
      expect(error.message).toContain('prefix');
      // eslint-disable-next-line no-control-regex
      expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it('huge finite coordinates are 422 coordinate_out_of_range in parquet, Arrow and JSON', async () => {
    for (const x of [1e10, 1e19, 3e38]) {
      for (const [type, body] of bodies(withX(clip, x))) {
        const error = await errorOf(await post('/v1/predict', type, body));
        expect(error, `${type} x=${x}`).toMatchObject({ status: 422, code: 'coordinate_out_of_range' });
        expect(error.message).toContain('x =');
      }
    }
  });

  it('a clip with no landmark at all is 422 no_landmarks, not a confident answer', async () => {
    for (const [type, body] of bodies(withX(clip, null))) {
      expect(await errorOf(await post('/v1/predict', type, body)), type).toMatchObject({
        status: 422,
        code: 'no_landmarks',
      });
    }
  });

  it('a parquet footer of length 0 is corrupt, in words we wrote', async () => {
    const bytes = landmarkParquet(tableOf(clip), LAYOUTS[0]!, {
      file: { footerBytes: () => new Uint8Array(0) },
    }).bytes;
    const error = await errorOf(await post('/v1/predict', PARQUET, bytes.slice()));
    expect(error).toMatchObject({ status: 400, code: 'corrupt' });
    expect(error.message).not.toMatch(/undefined|Cannot read|map/);
  });

  it('a model that answers NaN gets 500 non_finite_output, never a null probability', async () => {
    const [, body] = bodies(clip)[2]!;
    const res = await post('/v1/predict', JSON_TYPE, body, { MODEL_NAME: BUNDLES.nanOutput });
    const answer = (await res.clone().json()) as Record<string, unknown>;
    expect(await errorOf(res)).toMatchObject({ status: 500, code: 'non_finite_output' });
    expect(answer).not.toHaveProperty('predictions');
  });

  it('the same clip with plausible coordinates is answered', async () => {
    for (const [type, body] of bodies(clip)) {
      const res = await post('/v1/predict', type, body);
      expect(res.status, type).toBe(200);
      const answer = (await res.json()) as { frames: number; predictions: { probability: number }[] };
      expect(answer.frames).toBe(6);
      for (const p of answer.predictions) expect(p.probability).toBeGreaterThan(0);
    }
  });
});
