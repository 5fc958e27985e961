import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import worker from '../../src/worker/index.ts';
import type { Env } from '../../src/worker/bindings.ts';
import { clipBody, expectedClips, type ExpectedClip } from './fixtures.ts';

interface PredictBody {
  model: { id: string; variant: string };
  frames: number;
  predictions: { sign: string; index: number; probability: number }[];
  timings: { decode: number; preprocess: number; model: number; inference: number };
}

async function predict(clip: ExpectedClip, query = '', viaEnv?: Partial<Env>): Promise<Response> {
  const request = new Request(`https://signcast.test/v1/predict${query}`, {
    method: 'POST',
    headers: { 'Content-Type': clip.mediaType },
    body: await clipBody(clip.name),
  });
  return viaEnv ? worker.fetch(request, { ...env, ...viaEnv }) : exports.default.fetch(request);
}

let clips: ExpectedClip[] = [];
beforeAll(async () => {
  clips = await expectedClips();
});

describe('POST /v1/predict', () => {
  it('answers the top 5 signs with the model id, timings and a Server-Timing header', async () => {
    const clip = clips.find((c) => c.format === 'parquet' && !c.real)!;
    const res = await predict(clip);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as PredictBody;
    expect(body.model).toEqual({ id: 'fixture-tiny', variant: 'int8' });
    expect(body.frames).toBe(clip.frames);
    expect(body.predictions).toHaveLength(5);
    const ranked = [...clip.expected.int8.keys()].sort(
      (a, b) => clip.expected.int8[b]! - clip.expected.int8[a]!,
    );
    expect(body.predictions.map((p) => p.index)).toEqual(ranked.slice(0, 5));
    expect(body.predictions[0]!.sign).toBe(`sign-${String(ranked[0]).padStart(3, '0')}`);
    for (const key of ['decode', 'preprocess', 'model', 'inference'] as const)
      expect(body.timings[key]).toBeGreaterThanOrEqual(0);
    const serverTiming = res.headers.get('server-timing') ?? '';
    for (const metric of ['decode', 'preprocess', 'model', 'inference', 'total'])
      expect(serverTiming).toMatch(new RegExp(`(^|, ?)${metric};dur=`));
  });

  it('honours ?top', async () => {
    const clip = clips.find((c) => c.format === 'json')!;
    const one = (await (await predict(clip, '?top=1')).json()) as PredictBody;
    expect(one.predictions).toHaveLength(1);
    const all = (await (await predict(clip, '?top=1000')).json()) as PredictBody;
    expect(all.predictions).toHaveLength(250);
    expect(all.predictions[0]).toEqual(one.predictions[0]);
  });

  // One code path: parquet, Arrow and JSON of the same clip give the same answer.
  it('decodes every content type to the same prediction', async () => {
    const bodies = await Promise.all(
      clips
        .filter((c) => !c.real)
        .map(async (c) => ((await (await predict(c, '?top=250')).json()) as PredictBody).predictions),
    );
    expect(bodies).toHaveLength(3);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  // The 1e-4 tolerance must be able to tell the variants and the clips apart, or the test below proves nothing.
  it('has expectations that differ between variants and between clips', () => {
    const gap = (a: number[], b: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
    for (const clip of clips)
      expect(gap(clip.expected.float32, clip.expected.int8), clip.name).toBeGreaterThan(1e-4);
    const real = clips.filter((c) => c.real);
    expect(real).toHaveLength(inject('hasRealData') ? 4 : 0);
    for (let i = 1; i < real.length; i++)
      expect(gap(real[0]!.expected.float32, real[i]!.expected.float32)).toBeGreaterThan(1e-3);
  });

  for (const variant of ['float32', 'int8'] as const) {
    it(`agrees with onnxruntime-node (${variant}) on real and synthetic clips within 1e-4`, async () => {
      for (const clip of clips) {
        const res = await predict(clip, '?top=250', { MODEL_VARIANT: variant });
        expect(res.status, clip.name).toBe(200);
        const body = (await res.json()) as PredictBody;
        expect(body.model.variant).toBe(variant);
        expect(body.frames, clip.name).toBe(clip.frames);
        const probabilities = new Array<number>(250);
        for (const p of body.predictions) probabilities[p.index] = p.probability;
        const expected = clip.expected[variant];
        const worst = Math.max(...expected.map((e, i) => Math.abs(e - probabilities[i]!)));
        expect(worst, `${clip.name}: largest |worker - node|`).toBeLessThan(1e-4);
      }
    });
  }
});
