import { describe, expect, it } from 'vitest';
import { call, errorOf } from './fixtures.ts';

interface SampleListBody {
  note: string;
  samples: { file: string; title: string; frames: number; fps: number; mediaType: string; url: string }[];
}

describe('GET /v1/samples', () => {
  it("lists the bundle's samples with their media type and URL, and serves each", async () => {
    const res = await call('/v1/samples');
    expect(res.status).toBe(200);
    const body = (await res.json()) as SampleListBody;
    expect(body.samples.length).toBeGreaterThan(0);
    for (const sample of body.samples) {
      expect(sample.url).toBe(`/v1/samples/${sample.file}`);
      const clip = await call(sample.url);
      expect(clip.status, sample.file).toBe(200);
      expect(clip.headers.get('content-type')).toBe(sample.mediaType);
      // The bytes are a clip the predict route takes as they are.
      const predicted = await call('/v1/predict', {
        method: 'POST',
        headers: { 'Content-Type': sample.mediaType },
        body: await clip.arrayBuffer(),
      });
      expect(predicted.status, sample.file).toBe(200);
      expect(((await predicted.json()) as { frames: number }).frames).toBe(sample.frames);
    }
  });

  it('serves only files the index lists', async () => {
    for (const file of ['index.json', 'synthetic-right-hand.json', '..%2Fmanifest.json', 'nope.parquet']) {
      expect(await errorOf(await call(`/v1/samples/${file}`)), file).toMatchObject({
        status: 404,
        code: 'not_found',
      });
    }
  });

  it('a bundle without samples has an empty list; a broken index is samples_invalid', async () => {
    const none = (await (
      await call('/v1/samples', {}, { MODEL_NAME: 'float32-only' })
    ).json()) as SampleListBody;
    expect(none.samples).toEqual([]);
    const res = await call('/v1/samples', {}, { ASSETS: brokenIndexAssets() });
    expect(await errorOf(res)).toMatchObject({ status: 503, code: 'samples_invalid' });
  });

  it('needs the token when API_TOKEN is set, like the rest of /v1', async () => {
    expect(await errorOf(await call('/v1/samples', {}, { API_TOKEN: 'secret' }))).toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
  });
});

/** Static assets whose only file is a samples/index.json that is not an index. */
function brokenIndexAssets(): { fetch(request: Request | string): Promise<Response> } {
  return {
    async fetch(request) {
      const url = new URL(typeof request === 'string' ? request : request.url);
      return url.pathname.endsWith('/samples/index.json')
        ? new Response('{"format": "signcast-samples/1", "note": "", "samples": [{"file": "../x"}]}')
        : new Response('not found', { status: 404 });
    },
  };
}
