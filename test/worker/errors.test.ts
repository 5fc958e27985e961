import { describe, expect, it } from 'vitest';
import { Random } from '../../src/batch/random/random.ts';
import { POINTS_PER_FRAME } from '../../src/shared/landmarks/layout.ts';
import { MAX_BODY_BYTES } from '../../src/shared/limits.ts';
import { BAD_CLIPS, call, clipBody, errorOf, post } from './fixtures.ts';

const PARQUET = 'application/vnd.apache.parquet';
const ARROW = 'application/vnd.apache.arrow.stream';
const JSON_TYPE = 'application/json';

/** A JSON clip of `frames` frames with one visible left hand (or nothing at all). */
function jsonClip(frames: number, point: unknown = [0.5, 0.5, 0]): string {
  const frame = JSON.stringify(
    Array.from({ length: POINTS_PER_FRAME }, (_, i) => (i >= 468 && i < 489 ? point : null)),
  );
  return `{"frames":[${Array.from({ length: frames }, () => frame).join(',')}]}`;
}

/** A body that arrives in chunks with no Content-Length, as a chunked upload does. */
function streamOf(totalBytes: number, chunkBytes = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const n = Math.min(chunkBytes, totalBytes - sent);
      controller.enqueue(new Uint8Array(n).fill(0x20));
      sent += n;
    },
  });
}

describe('POST /v1/predict refuses bad input with a JSON 4xx', () => {
  it('415 for a missing or unknown Content-Type, naming the accepted types', async () => {
    for (const type of [null, 'text/plain', 'application/octet-stream', 'application/x-parquet']) {
      const res = await post('/v1/predict', type, jsonClip(2));
      const error = await errorOf(res);
      expect(error, String(type)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
      expect(res.headers.get('accept')).toContain(PARQUET);
    }
  });

  it('accepts media type parameters and any letter case', async () => {
    expect((await post('/v1/predict', 'Application/JSON; charset=utf-8', jsonClip(3))).status).toBe(200);
  });

  it('413 from Content-Length, before reading the body', async () => {
    const res = await post('/v1/predict', JSON_TYPE, jsonClip(10), { MAX_BODY_BYTES: '1000' });
    expect(await errorOf(res)).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('413 while streaming a body with no Content-Length (default: the shared MAX_BODY_BYTES)', async () => {
    const over = await post('/v1/predict', JSON_TYPE, streamOf(MAX_BODY_BYTES + 1));
    expect(await errorOf(over)).toMatchObject({ status: 413, code: 'payload_too_large' });
    // Exactly at a (small) limit is fine: the body is read, then refused for what it is.
    const at = await post('/v1/predict', JSON_TYPE, streamOf(1000), { MAX_BODY_BYTES: '1000' });
    expect(await errorOf(at)).toMatchObject({ status: 400, code: 'invalid_json' });
    const past = await post('/v1/predict', JSON_TYPE, streamOf(1001, 100), { MAX_BODY_BYTES: '1000' });
    expect(await errorOf(past)).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('400 for an empty body', async () => {
    expect(await errorOf(await post('/v1/predict', PARQUET, new Uint8Array(0)))).toMatchObject({
      status: 400,
      code: 'empty_body',
    });
  });

  it('400 for bytes that are not the declared format', async () => {
    const cases: [string, BodyInit, string][] = [
      [JSON_TYPE, '{"frames": [', 'invalid_json'],
      [JSON_TYPE, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'invalid_json'],
      [PARQUET, jsonClip(2), 'not_parquet'],
      [ARROW, jsonClip(2), 'not_arrow'],
      [PARQUET, await clipBody(BAD_CLIPS.truncatedParquet), 'corrupt'],
    ];
    for (const [type, body, code] of cases) {
      expect(await errorOf(await post('/v1/predict', type, body)), code).toMatchObject({ status: 400, code });
    }
  });

  it('422 for a readable clip of the wrong shape', async () => {
    const cases: [string, string][] = [
      ['[]', 'bad_shape'],
      ['{"frames": {}}', 'bad_shape'],
      ['{"frames": []}', 'no_frames'],
      ['{"frames": [[[0.1, 0.2, 0.3]]]}', 'bad_shape'],
      [jsonClip(2, [0.1, 0.2]), 'bad_shape'],
      [jsonClip(2, [0.1, '0.2', 0.3]), 'bad_shape'],
    ];
    for (const [body, code] of cases) {
      expect(await errorOf(await post('/v1/predict', JSON_TYPE, body)), body.slice(0, 40)).toMatchObject({
        status: 422,
        code,
      });
    }
  });

  it('422 for non-finite coordinates, in JSON and in parquet / Arrow', async () => {
    expect(
      await errorOf(
        await post('/v1/predict', JSON_TYPE, jsonClip(3, [0.5, 'HUGE', 0]).replaceAll('"HUGE"', '1e999')),
      ),
    ).toMatchObject({ status: 422, code: 'non_finite' });
    expect(
      await errorOf(await post('/v1/predict', PARQUET, await clipBody(BAD_CLIPS.infiniteParquet))),
    ).toMatchObject({ status: 422, code: 'non_finite' });
    expect(
      await errorOf(await post('/v1/predict', ARROW, await clipBody(BAD_CLIPS.infiniteArrow))),
    ).toMatchObject({ status: 422, code: 'non_finite' });
  });

  it('422 for too many frames: 1000 by default, MAX_FRAMES when set', async () => {
    expect((await post('/v1/predict', JSON_TYPE, jsonClip(1000))).status).toBe(200);
    expect(await errorOf(await post('/v1/predict', JSON_TYPE, jsonClip(1001)))).toMatchObject({
      status: 422,
      code: 'too_many_frames',
    });
    expect(
      await errorOf(await post('/v1/predict', JSON_TYPE, jsonClip(11), { MAX_FRAMES: '10' })),
    ).toMatchObject({ status: 422, code: 'too_many_frames' });
  });

  it('400 for a bad ?top', async () => {
    for (const top of ['0', '-1', '1001', 'abc', '2.5', '']) {
      expect(await errorOf(await post(`/v1/predict?top=${top}`, JSON_TYPE, jsonClip(2))), top).toMatchObject({
        status: 400,
        code: 'invalid_query',
      });
    }
  });

  it('never answers garbage with a 500', async () => {
    const rng = Random.seeded(1);
    const random = (): number => rng.nextFloat();
    const prefixes: Record<string, number[]> = {
      [PARQUET]: [0x50, 0x41, 0x52, 0x31],
      [ARROW]: [0xff, 0xff, 0xff, 0xff],
      [JSON_TYPE]: [0x7b],
    };
    for (const [type, prefix] of Object.entries(prefixes)) {
      for (let i = 0; i < 8; i++) {
        const body = new Uint8Array(16 + Math.floor(random() * 2000)).map(() => Math.floor(random() * 256));
        body.set(prefix);
        if (type !== JSON_TYPE) body.set(prefix, body.length - prefix.length);
        const { status } = await errorOf(await post('/v1/predict', type, body));
        expect([400, 422], `${type} #${i}`).toContain(status);
      }
    }
  });
});

describe('routing errors are JSON too', () => {
  it('404 for an unknown path', async () => {
    expect(await errorOf(await call('/v2/predict'))).toMatchObject({ status: 404, code: 'not_found' });
    // `/` is the page (page.test.ts); any other unknown path is a JSON 404.
    expect(await errorOf(await call('/nope'))).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('405 with Allow for a known path and the wrong method', async () => {
    const get = await call('/v1/predict');
    expect(await errorOf(get)).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(get.headers.get('allow')).toBe('POST');
    const postSigns = await post('/v1/signs', JSON_TYPE, '{}');
    expect(await errorOf(postSigns)).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(postSigns.headers.get('allow')).toContain('GET');
    expect((await errorOf(await call('/healthz', { method: 'DELETE' }))).status).toBe(405);
  });
});
