import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WandbClient } from '../../../../src/batch/train/logging/wandb/wandb-client.ts';
import { decideWandb } from '../../../../src/batch/train/logging/wandb/wandb-settings.ts';
import type { WandbSettings } from '../../../../src/batch/train/logging/wandb/wandb-settings.ts';

interface Seen {
  path: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}

type Handler = (seen: Seen, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

/** A W&B stand-in on 127.0.0.1: records every request and answers with `handler`. */
async function fakeWandb(handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const s = {
        path: req.url ?? '',
        auth: req.headers.authorization,
        body: JSON.parse(text) as Record<string, unknown>,
      };
      seen.push(s);
      handler(s, res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** Answers like W&B: viewer, upsertBucket and file_stream. */
const healthy: Handler = (s, res) => {
  const query = String(s.body.query ?? '');
  if (s.path === '/graphql' && query.includes('viewer'))
    return json(res, 200, { data: { viewer: { entity: 'me' } } });
  if (s.path === '/graphql')
    return json(res, 200, { data: { upsertBucket: { bucket: { id: 'x' }, inserted: true } } });
  return json(res, 200, { exitcode: null, limits: {} });
};

const settings = (baseUrl: string): WandbSettings => ({
  apiKey: 'k'.repeat(40),
  baseUrl,
  entity: null,
  project: 'p',
});
const run = { runId: 'abc123', displayName: 'demo-run', config: { model: { units: 8 }, seed: 1 } };

describe('decideWandb', () => {
  it('stays off the network without a key, --wandb or not, and on with one', () => {
    expect(decideWandb({}, false)).toEqual({ enabled: false, reason: null });
    expect(decideWandb({}, true)).toMatchObject({
      enabled: false,
      reason: expect.stringMatching(/WANDB_API_KEY/),
    });
    expect(decideWandb({ WANDB_API_KEY: 'x', WANDB_MODE: 'offline' }, true)).toMatchObject({
      enabled: false,
    });
    expect(decideWandb({ WANDB_API_KEY: 'x', WANDB_BASE_URL: 'http://h:1/' }, false)).toEqual({
      enabled: true,
      settings: { apiKey: 'x', baseUrl: 'http://h:1', entity: null, project: 'signcast' },
    });
  });
});

describe('WandbClient', () => {
  it('registers the run and streams history rows at their offsets, then marks it finished', async () => {
    const server = await fakeWandb(healthy);
    const client = new WandbClient(settings(server.url), run);
    client.start();
    client.log(0, 10, { 'train/loss': 5, 'val/loss': Number.NaN });
    client.log(1, 20, { 'train/loss': 4 });
    expect(await client.finish(0, 5000)).toBe(true);

    expect(
      server.seen.every((s) => s.auth === `Basic ${Buffer.from(`api:${'k'.repeat(40)}`).toString('base64')}`),
    ).toBe(true);
    const upsert = server.seen.find((s) => String(s.body.query).includes('upsertBucket'))!;
    expect(upsert.body.variables).toMatchObject({
      name: 'abc123',
      project: 'p',
      entity: 'me',
      displayName: 'demo-run',
    });
    expect(JSON.parse((upsert.body.variables as { config: string }).config)).toEqual({
      model: { value: { units: 8 }, desc: null },
      seed: { value: 1, desc: null },
    });
    const streams = server.seen.filter((s) => s.path === '/files/me/p/abc123/file_stream');
    const history = streams.flatMap((s) => {
      const file = (s.body.files as Record<string, { offset: number; content: string[] }> | undefined)?.[
        'wandb-history.jsonl'
      ];
      return file
        ? file.content.map((line, i) => ({
            offset: file.offset + i,
            row: JSON.parse(line) as Record<string, number>,
          }))
        : [];
    });
    expect(history.map((h) => [h.offset, h.row._step, h.row['train/loss']])).toEqual([
      [0, 10, 5],
      [1, 20, 4],
    ]);
    expect('val/loss' in history[0]!.row).toBe(false);
    expect(streams.at(-1)!.body).toEqual({ complete: true, exitcode: 0 });
  });

  it('never throws when the server fails, and delivers the queue once it recovers', async () => {
    let failing = true;
    const server = await fakeWandb((s, res) =>
      failing ? json(res, 503, { error: 'down' }) : healthy(s, res),
    );
    const warnings: string[] = [];
    const client = new WandbClient(settings(server.url), run, { onWarning: (m) => warnings.push(m) });
    client.start();
    client.log(0, 1, { a: 1 });
    client.log(1, 2, { a: 2 });
    const started = Date.now();
    expect(await client.finish(0, 700)).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(client.counts.failed).toBeGreaterThan(0);
    expect(warnings.filter((w) => w.includes('failed'))).toHaveLength(1);

    failing = false;
    client.log(2, 3, { a: 3 });
    expect(await client.finish(0, 5000)).toBe(true);
    expect(warnings.at(-1)).toMatch(/went through again/);
    const offsets = server.seen
      .filter((s) => s.path.endsWith('/file_stream') && s.body.files)
      .flatMap((s) => {
        const f = (s.body.files as Record<string, { offset: number; content: string[] }>)[
          'wandb-history.jsonl'
        ];
        return f ? f.content.map((_, i) => f.offset + i) : [];
      });
    expect(offsets).toEqual([0, 1, 2]);
  });

  it('gives up quietly on an unreachable or silent server within its deadline', async () => {
    const closed = await fakeWandb(healthy);
    const url = closed.url;
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
    const refused = new WandbClient(settings(url), run, { timeoutMs: 500 });
    refused.start();
    refused.log(0, 1, { a: 1 });
    expect(await refused.finish(0, 800)).toBe(false);

    const silent = await fakeWandb(() => {});
    const hanging = new WandbClient(settings(silent.url), run, { timeoutMs: 300 });
    hanging.start();
    hanging.log(0, 1, { a: 1 });
    const started = Date.now();
    expect(await hanging.finish(0, 1000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2500);
  });
});
