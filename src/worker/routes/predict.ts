import { Hono } from 'hono';
import { setMetric, timing } from 'hono/timing';
import { validator } from 'hono/validator';
import { firstInvalidProbability } from '../../shared/bundle/probabilities.ts';
import { preprocessClip } from '../../shared/preprocess/preprocess-clip.ts';
import { ApiError } from '../api-error.ts';
import type { AppEnv } from '../bindings.ts';
import { readBodyWithin } from '../http/read-body.ts';
import { mediaTypeOf } from '../http/media-type.ts';
import { decoderFor } from '../predict/decode-clip.ts';
import { topK } from '../predict/top-k.ts';
import { getModel } from '../runtime/model-cache.ts';

export const DEFAULT_TOP = 5;
export const MAX_TOP = 1000;
const SOURCE = 'request body';

function parseTop(value: string | string[] | undefined): number {
  if (value === undefined) return DEFAULT_TOP;
  const text = Array.isArray(value) ? value.at(-1)! : value;
  const top = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(top >= 1 && top <= MAX_TOP)) {
    throw new ApiError(
      400,
      'invalid_query',
      `top must be an integer from 1 to ${MAX_TOP}, got ${JSON.stringify(text)}`,
    );
  }
  return top;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/**
 * POST /v1/predict: one clip in, the most probable signs out. The body's Content-Type picks the
 * decoder; the same shared reader and preprocessing as the batch scorer turn it into model inputs.
 */
export const predictRoutes = new Hono<AppEnv>().post(
  '/v1/predict',
  timing({ totalDescription: 'Worker total' }),
  validator('query', (query) => ({ top: parseTop(query['top']) })),
  async (c) => {
    const config = c.get('config');
    const { top } = c.req.valid('query');
    const decode = decoderFor(mediaTypeOf(c.req.header('content-type')));
    const body = await readBodyWithin(c.req.raw, config.maxBodyBytes);
    if (body.length === 0) throw new ApiError(400, 'empty_body', 'the request body is empty; send one clip');

    const t0 = performance.now();
    const clip = await decode(body, SOURCE, { maxFrames: config.maxFrames });
    const t1 = performance.now();
    const inputs = preprocessClip(clip);
    const t2 = performance.now();
    const model = await getModel(c.env, config);
    const t3 = performance.now();
    const probabilities = await model.run(inputs);
    const t4 = performance.now();
    const invalid = firstInvalidProbability(probabilities);
    if (invalid >= 0) {
      throw new ApiError(
        500,
        'non_finite_output',
        `the model gave ${probabilities[invalid]} as the probability of sign ${invalid} for this clip; no answer is given rather than a wrong one`,
      );
    }

    const timings = {
      decode: round(t1 - t0),
      preprocess: round(t2 - t1),
      model: round(t3 - t2),
      inference: round(t4 - t3),
    };
    setMetric(c, 'decode', timings.decode, 'decode clip');
    setMetric(c, 'preprocess', timings.preprocess, 'preprocess');
    setMetric(c, 'model', timings.model, 'wait for model (cold start loads it)');
    setMetric(c, 'inference', timings.inference, 'onnxruntime-web');

    const signs = model.manifest.signs;
    return c.json({
      model: { id: model.manifest.modelId, variant: model.variant },
      frames: clip.frameCount,
      predictions: topK(probabilities, top).map(({ index, probability }) => ({
        sign: signs[index]!,
        index,
        probability,
      })),
      timings,
    });
  },
);
