import { Hono } from 'hono';
import {
  parseSampleIndex,
  sampleMediaType,
  SAMPLE_DIR,
  SAMPLE_INDEX_FILE,
  type SampleIndex,
} from '../../shared/bundle/sample-index.ts';
import { ApiError } from '../api-error.ts';
import type { AppEnv } from '../bindings.ts';
import { modelSourceFor, type ModelSource } from '../runtime/model-source.ts';

function samplesInvalid(message: string): ApiError {
  return new ApiError(503, 'samples_invalid', message);
}

/** The bundle's sample index; a bundle without one has no samples. */
async function readIndex(source: ModelSource): Promise<SampleIndex> {
  const bytes = await source.read(`${SAMPLE_DIR}/${SAMPLE_INDEX_FILE}`);
  if (bytes === null) return { format: 'signcast-samples/1', note: '', samples: [] };
  try {
    return parseSampleIndex(JSON.parse(new TextDecoder().decode(bytes)));
  } catch (error) {
    throw samplesInvalid(`${source.location}: ${(error as Error).message}`);
  }
}

/**
 * GET /v1/samples: the clips the bundle ships to try it on (`samples/index.json`), first the one a
 * page opens with. GET /v1/samples/<file>: one of them, as it is. Neither loads the model.
 */
export const samplesRoutes = new Hono<AppEnv>()
  .get('/v1/samples', async (c) => {
    const index = await readIndex(modelSourceFor(c.env, c.get('config').modelName));
    return c.json({
      note: index.note,
      samples: index.samples.map((sample) => ({
        ...sample,
        mediaType: sampleMediaType(sample.file)!,
        url: `/v1/samples/${sample.file}`,
      })),
    });
  })
  .get('/v1/samples/:file', async (c) => {
    const file = c.req.param('file');
    const source = modelSourceFor(c.env, c.get('config').modelName);
    const sample = (await readIndex(source)).samples.find((s) => s.file === file);
    if (!sample) throw new ApiError(404, 'not_found', `the bundle has no sample ${JSON.stringify(file)}`);
    const bytes = await source.read(`${SAMPLE_DIR}/${sample.file}`);
    if (bytes === null)
      throw samplesInvalid(`${SAMPLE_DIR}/${SAMPLE_INDEX_FILE} lists ${file}, which is missing`);
    // Both sources read into a fresh ArrayBuffer; the wider type only says what Uint8Array may hold.
    return new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: { 'Content-Type': sampleMediaType(sample.file)!, 'Cache-Control': 'public, max-age=300' },
    });
  });
