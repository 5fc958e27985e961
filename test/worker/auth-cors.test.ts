import { describe, expect, it } from 'vitest';
import { call, errorOf } from './fixtures.ts';

const TOKEN = { API_TOKEN: 's3cret-token_value' };

describe('optional bearer token (API_TOKEN)', () => {
  it('leaves the API open when unset', async () => {
    expect((await call('/v1/signs')).status).toBe(200);
  });

  it('answers 401 JSON without a token, with a malformed header, and with a wrong token', async () => {
    for (const authorization of [
      undefined,
      'Basic czNjcmV0',
      'Bearer',
      'Bearer wrong-token',
      `Bearer ${TOKEN.API_TOKEN}x`,
    ]) {
      const headers: Record<string, string> =
        authorization === undefined ? {} : { Authorization: authorization };
      const res = await call('/v1/signs', { headers }, TOKEN);
      expect(await errorOf(res), String(authorization)).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const predict = await call(
      '/v1/predict',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' },
      TOKEN,
    );
    expect((await errorOf(predict)).status).toBe(401);
  });

  it('lets the right token through, and keeps /healthz open', async () => {
    expect(
      (await call('/v1/signs', { headers: { Authorization: `Bearer ${TOKEN.API_TOKEN}` } }, TOKEN)).status,
    ).toBe(200);
    expect(
      (await call('/v1/signs', { headers: { Authorization: `bearer ${TOKEN.API_TOKEN}` } }, TOKEN)).status,
    ).toBe(200);
    expect((await call('/healthz', {}, TOKEN)).status).toBe(200);
  });
});

describe('CORS (CORS_ORIGINS)', () => {
  const preflight = {
    method: 'OPTIONS',
    headers: {
      Origin: 'https://app.example',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization, content-type',
    },
  };

  it('sends no CORS headers when unset', async () => {
    const res = await call('/v1/signs', { headers: { Origin: 'https://app.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows listed origins only, and answers preflights before the token check', async () => {
    const config = { CORS_ORIGINS: 'https://app.example, https://other.example', ...TOKEN };
    const res = await call('/v1/predict', preflight, config);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');

    const denied = await call(
      '/v1/predict',
      { ...preflight, headers: { ...preflight.headers, Origin: 'https://evil.example' } },
      config,
    );
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();

    // Errors carry the CORS headers too, or a browser could not read them.
    const unauthorized = await call('/v1/signs', { headers: { Origin: 'https://other.example' } }, config);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe('https://other.example');
  });

  it('exposes Server-Timing to any origin with CORS_ORIGINS=*', async () => {
    const res = await call(
      '/v1/signs',
      { headers: { Origin: 'https://anywhere.example' } },
      { CORS_ORIGINS: '*' },
    );
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('Server-Timing');
  });
});
