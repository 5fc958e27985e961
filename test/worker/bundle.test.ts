import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BUNDLES, call, clipBody, errorOf, expectedClips, post } from './fixtures.ts';

/** GET /v1/model with another bundle (or binding) configured: the load happens in this request. */
async function modelWith(override: Parameters<typeof call>[2]): Promise<Response> {
  return call('/v1/model', {}, override);
}

describe('the bundle is verified when it is loaded', () => {
  const refusals: [string, Record<string, string>, string][] = [
    [
      'a model file whose SHA-256 differs from the manifest',
      { MODEL_NAME: BUNDLES.tampered },
      'hash_mismatch',
    ],
    ['a model file of the wrong size', { MODEL_NAME: BUNDLES.truncated }, 'size_mismatch'],
    [
      'a bundle built for another preprocessing version',
      { MODEL_NAME: BUNDLES.oldPreprocess },
      'preprocess_mismatch',
    ],
    ['a manifest that is not JSON', { MODEL_NAME: BUNDLES.badManifest }, 'manifest_invalid'],
    ['a manifest of an unknown bundle format', { MODEL_NAME: BUNDLES.wrongFormat }, 'format_unsupported'],
    [
      'a model file the manifest names but the bundle lacks',
      { MODEL_NAME: BUNDLES.missingFile },
      'file_missing',
    ],
    ['a bundle that does not exist', { MODEL_NAME: 'no-such-bundle' }, 'manifest_missing'],
    [
      'a variant the bundle does not have',
      { MODEL_NAME: BUNDLES.float32Only, MODEL_VARIANT: 'int8' },
      'variant_missing',
    ],
    ['bytes that are not an ONNX model (hash intact)', { MODEL_NAME: BUNDLES.notOnnx }, 'model_load_failed'],
    [
      'a model without the output the manifest names',
      { MODEL_NAME: BUNDLES.wrongOutput },
      'model_contract_mismatch',
    ],
  ];
  for (const [what, override, code] of refusals) {
    it(`503 ${code}: ${what}`, async () => {
      expect(await errorOf(await modelWith(override))).toMatchObject({ status: 503, code });
    });
  }

  it('refuses predictions too, and /healthz reports the failure without retrying the load', async () => {
    const clip = (await expectedClips())[0]!;
    const res = await post('/v1/predict', clip.mediaType, await clipBody(clip.name), {
      MODEL_NAME: BUNDLES.tampered,
    });
    expect(await errorOf(res)).toMatchObject({ status: 503, code: 'hash_mismatch' });
    const health = (await (await call('/healthz', {}, { MODEL_NAME: BUNDLES.tampered })).json()) as {
      status: string;
      model: { state: string; error?: { code: string } };
    };
    expect(health).toEqual({
      status: 'ok',
      model: { state: 'failed', error: expect.objectContaining({ code: 'hash_mismatch' }) },
    });
  });

  it('503 model_source_missing with neither ASSETS nor MODEL_BUCKET bound', async () => {
    expect(await errorOf(await modelWith({ ASSETS: undefined, MODEL_NAME: 'unbound' }))).toMatchObject({
      status: 503,
      code: 'model_source_missing',
    });
  });

  it('serves a float32-only bundle under MODEL_VARIANT=auto', async () => {
    const body = (await (await modelWith({ MODEL_NAME: BUNDLES.float32Only })).json()) as {
      variant: string;
      variants: string[];
    };
    expect(body).toMatchObject({ variant: 'float32', variants: ['float32'] });
  });

  it('loads the same bundle from an R2 bucket when MODEL_BUCKET is bound', async () => {
    for (const file of ['manifest.json', 'model.onnx', 'model.int8.onnx']) {
      const res = await env.ASSETS!.fetch(`https://assets.invalid/${BUNDLES.good}/${file}`);
      await env.TEST_BUCKET.put(`from-r2/${file}`, new Uint8Array(await res.arrayBuffer()));
    }
    const res = await modelWith({ MODEL_BUCKET: env.TEST_BUCKET, MODEL_NAME: 'from-r2' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ modelId: 'fixture-tiny', source: 'r2', variant: 'int8' });
    // An empty prefix in the bucket is a missing bundle, not a fallback to static assets.
    expect(
      await errorOf(await modelWith({ MODEL_BUCKET: env.TEST_BUCKET, MODEL_NAME: BUNDLES.good })),
    ).toMatchObject({ status: 503, code: 'manifest_missing' });
  });

  it('500 config_invalid for vars a deploy got wrong', async () => {
    const bad: Record<string, string>[] = [
      { MODEL_NAME: '../fixture' },
      { MODEL_VARIANT: 'fp16' },
      { MAX_BODY_BYTES: '8MB' },
      { MAX_FRAMES: '0' },
      // The vars may lower the shared limits (src/shared/limits.ts), never raise them.
      { MAX_FRAMES: '1001' },
      { MAX_BODY_BYTES: String(16 * 1024 * 1024 + 1) },
      { CORS_ORIGINS: 'example.com' },
    ];
    for (const override of bad) {
      expect(await errorOf(await call('/healthz', {}, override)), JSON.stringify(override)).toMatchObject({
        status: 500,
        code: 'config_invalid',
      });
    }
  });
});
