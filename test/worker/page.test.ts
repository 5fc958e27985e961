import { describe, expect, it } from 'vitest';
import { files, tasksVisionVersion } from '../../build/page/files.js';
import type { PageConfig } from '../../src/page/page-config.ts';
import { call, errorOf } from './fixtures.ts';

function configIn(html: string): PageConfig {
  const match = /<script id="page-config" type="application\/json">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error('the page has no config element');
  return JSON.parse(match[1]!) as PageConfig;
}

const pageFilesIn = (html: string): string[] =>
  [...html.matchAll(/(?:src|href)="(\/page\/[^"]+)"/g)].map((m) => m[1]!);

describe('GET / (the page)', () => {
  it('serves the HTML with the landmarker config filled in, without a token', async () => {
    const res = await call('/', {}, { API_TOKEN: 'secret' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    expect(html).toContain('<canvas id="skeleton"');
    expect(configIn(html)).toEqual({
      landmarker: {
        wasmBase: `https://cdn.jsdelivr.net/npm/@mediapipe/tasks-vision@${tasksVisionVersion}/wasm`,
        modelUrl:
          'https://storage.googleapis.com/mediapipe-models/holistic_landmarker/holistic_landmarker/float16/1/holistic_landmarker.task',
        configured: false,
      },
    });
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await call('/', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe('');
  });

  it('takes the landmarker locations from the vars, and refuses a malformed one', async () => {
    const html = await (
      await call(
        '/',
        {},
        {
          LANDMARKER_MODEL_URL: '/models/holistic.task',
          LANDMARKER_WASM_URL: 'https://cdn.example/mp/wasm/',
        },
      )
    ).text();
    expect(configIn(html).landmarker).toEqual({
      wasmBase: 'https://cdn.example/mp/wasm',
      modelUrl: '/models/holistic.task',
      configured: true,
    });
    const bad = await call('/', {}, { LANDMARKER_MODEL_URL: 'javascript:alert(1)' });
    expect(await errorOf(bad)).toMatchObject({ status: 500, code: 'config_invalid' });
  });

  it('a config value cannot end the script element it is written into', async () => {
    const html = await (await call('/', {}, { LANDMARKER_MODEL_URL: '/x</script><script>alert(1)' })).text();
    expect(html).not.toContain('</script><script>alert(1)');
    expect(configIn(html).landmarker.modelUrl).toBe('/x</script><script>alert(1)');
  });

  it('serves every script and style sheet the HTML names, cacheable forever and revalidated by ETag', async () => {
    const html = await (await call('/')).text();
    const paths = pageFilesIn(html);
    expect(paths.some((p) => p.endsWith('.js'))).toBe(true);
    expect(paths.some((p) => p.endsWith('.css'))).toBe(true);
    for (const path of paths) {
      const res = await call(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/(javascript|css); charset=utf-8$/);
      expect(res.headers.get('cache-control'), path).toContain('immutable');
      const etag = res.headers.get('etag')!;
      expect(await res.text(), path).toBe(files[path]!.body);
      const again = await call(path, { headers: { 'If-None-Match': etag } });
      expect(again.status, path).toBe(304);
      expect(await again.text(), path).toBe('');
    }
  });

  it('serves nothing else from /page/ or the assets: bundle files stay private', async () => {
    for (const path of [
      '/page/nope.js',
      '/fixture/manifest.json',
      '/fixture/samples/index.json',
      '/index.html',
    ]) {
      expect(await errorOf(await call(path))).toMatchObject({ status: 404, code: 'not_found' });
    }
    expect(await errorOf(await call('/', { method: 'POST', body: 'x' }))).toMatchObject({
      status: 405,
      code: 'method_not_allowed',
    });
  });
});
