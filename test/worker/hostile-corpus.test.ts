import { describe, expect, it } from 'vitest';
import { badMessage, LANDMARK_CODES, type HostileCase } from '../shared/hostile/check-outcome.ts';
import { allCases } from '../shared/hostile/hostile-cases.ts';
import { post } from './fixtures.ts';

const MEDIA_TYPES = {
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.stream',
  json: 'application/json',
} as const;

/** Codes the Worker answers for a body before (or instead of) reading it. */
const BODY_CODES: Readonly<Record<string, string>> = { file_too_large: 'payload_too_large' };

/** Why the Worker's answer to a case breaks the corpus contract, or undefined. */
async function judgeResponse(c: HostileCase, res: Response): Promise<string | undefined> {
  const body = (await res.json()) as {
    frames?: number;
    predictions?: { probability: unknown }[];
    error?: { code: string; message: string };
  };
  const { codes, clip } = c.expect;
  if (res.status === 200) {
    if (clip === undefined) return `200, expected ${codes?.join(' or ')}`;
    if (clip !== 'any' && body.frames !== clip.frameCount)
      return `200 with ${body.frames} frames, expected ${clip.frameCount}`;
    const bad = body.predictions?.find(
      (p) => !(typeof p.probability === 'number' && p.probability >= 0 && p.probability <= 1),
    );
    if (body.predictions === undefined || body.predictions.length === 0 || bad !== undefined)
      return `200 with probabilities ${JSON.stringify(body.predictions?.slice(0, 3))}`;
    return undefined;
  }
  if (res.status >= 500) return `${res.status} ${JSON.stringify(body.error)}`;
  const code = body.error?.code ?? '(none)';
  const message = body.error?.message ?? '';
  const expected = c.bytes.length === 0 ? ['empty_body'] : codes?.map((k) => BODY_CODES[k] ?? k);
  const known = [...LANDMARK_CODES, 'payload_too_large', 'empty_body'] as readonly string[];
  if (!known.includes(code)) return `${res.status} with unknown code ${code}`;
  const problem = badMessage(message);
  if (problem !== undefined) return problem;
  if (expected !== undefined && !expected.includes(code))
    return `${code} (${message}), expected ${expected.join(' or ')}`;
  if (expected === undefined && clip !== 'any') return `${code} (${message}), expected the clip`;
  return undefined;
}

describe('the hostile corpus, posted to the Worker in workerd', () => {
  it('answers every case with a typed 4xx or a sound 200, never a 5xx, within a time bound', async () => {
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    let cases = 0;
    let worst = { ms: 0, name: '' };
    for (const c of allCases()) {
      const start = performance.now();
      const res = await post('/v1/predict?top=3', MEDIA_TYPES[c.format], c.bytes.slice());
      const problem = await judgeResponse(c, res);
      const ms = performance.now() - start;
      cases++;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (ms > worst.ms) worst = { ms, name: c.name };
      if (problem !== undefined) failures.push(`${c.name}: ${problem}`);
    }
    console.log(
      `workerd: ${cases} cases, ${failures.length} failures; statuses ${JSON.stringify(statuses)}; worst ${worst.ms.toFixed(0)} ms (${worst.name})`,
    );
    expect(failures.slice(0, 50)).toEqual([]);
    // A ceiling that catches the seconds-per-request failures (4-5 s each before), not a timing.
    expect(worst.ms).toBeLessThan(10_000);
  }, 600_000);
});
