import { Hono } from 'hono';
import { files, tasksVisionVersion } from '../../../build/page/files.js';
import { PAGE_CONFIG_PLACEHOLDER, pageConfigJson, type PageConfig } from '../../page/page-config.ts';
import { ApiError } from '../api-error.ts';
import type { AppEnv } from '../bindings.ts';
import type { Env } from '../bindings.ts';

/** MediaPipe's published model (float16, version 1), as its holistic landmarker guide names it. */
export const DEFAULT_LANDMARKER_MODEL_URL =
  'https://storage.googleapis.com/mediapipe-models/holistic_landmarker/holistic_landmarker/float16/1/holistic_landmarker.task';

export const defaultLandmarkerWasmBase = (): string =>
  `https://cdn.jsdelivr.net/npm/@mediapipe/tasks-vision@${tasksVisionVersion}/wasm`;

function url(value: string | undefined, name: string): string | null {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  // An absolute http(s) URL, or a path on this origin.
  if (!/^(https?:\/\/[^\s"]+|\/[^\s"]*)$/.test(text))
    throw new ApiError(
      500,
      'config_invalid',
      `Worker misconfigured: ${name} must be an http(s) URL or a /path`,
    );
  return text.replace(/\/$/, '');
}

export function pageConfigOf(env: Env): PageConfig {
  const wasmBase = url(env.LANDMARKER_WASM_URL, 'LANDMARKER_WASM_URL');
  const modelUrl = url(env.LANDMARKER_MODEL_URL, 'LANDMARKER_MODEL_URL');
  return {
    landmarker: {
      wasmBase: wasmBase ?? defaultLandmarkerWasmBase(),
      modelUrl: modelUrl ?? DEFAULT_LANDMARKER_MODEL_URL,
      configured: wasmBase !== null || modelUrl !== null,
    },
  };
}

const html = files['/']!;

/**
 * The page at `/` and its hashed scripts and styles under /page/, from the Worker's own bundle: the
 * static-assets folder holds only model bundles and stays private. Open even when API_TOKEN is set
 * (the page asks for the token when the API wants it).
 */
export const pageRoutes = new Hono<AppEnv>()
  .get('/', (c) => {
    const body = html.body.replace(PAGE_CONFIG_PLACEHOLDER, pageConfigJson(pageConfigOf(c.env)));
    return c.body(body, 200, {
      'Content-Type': html.type,
      // The HTML names the current hashed files: always revalidate it.
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
  })
  .get('/page/:file', (c) => {
    const file = files[`/page/${c.req.param('file')}`];
    if (!file) throw new ApiError(404, 'not_found', `no page file ${c.req.path}`);
    const headers = {
      ETag: file.etag,
      // The name carries the content hash: a new build is a new name.
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    };
    if (c.req.header('If-None-Match') === file.etag) return c.body(null, 304, headers);
    return c.body(file.body, 200, { ...headers, 'Content-Type': file.type });
  });
