/**
 * A small Weights & Biases client over the two HTTP endpoints the official clients use:
 * - POST <base>/graphql: `viewer` (the key's default entity) and `upsertBucket` (create or update a run
 *   with its config), authenticated with HTTP Basic "api:<key>";
 * - POST <base>/files/<entity>/<project>/<run>/file_stream: JSON {files: {"wandb-history.jsonl":
 *   {offset, content: [json lines]}, "wandb-summary.json": {offset: 0, content: [json]}}}, and finally
 *   {complete: true, exitcode}.
 * This is what @wandb/sdk 0.5 (the JS SDK) sends, without its module-wide singleton, its TTY prompt for a
 * key and its retry loops (up to 60 attempts per request) that keep a finished process alive.
 *
 * Nothing here throws or rejects: requests run in the background with a timeout, failures are reported
 * through `onWarning` (once per failure streak) and the history waits in a bounded queue for the next
 * attempt. History lines carry explicit offsets (the trainer uses the epoch index), so a resumed run
 * rewrites the same lines instead of appending duplicates.
 */
import { hostname } from 'node:os';
import type { WandbSettings } from './wandb-settings.ts';

export interface WandbRunInfo {
  /** The run's id in its project (W&B's "name"), stable across resumes. */
  readonly runId: string;
  readonly displayName: string;
  /** Logged as the run's config, each top-level key as {value, desc}. */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface WandbClientOptions {
  readonly timeoutMs?: number;
  readonly onWarning?: (message: string) => void;
  /** Most history lines kept while the server is unreachable; the oldest are dropped beyond it. */
  readonly maxQueued?: number;
}

const UPSERT_BUCKET = `mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String,
  $displayName: String, $config: JSONString, $host: String, $program: String) {
  upsertBucket(input: {id: $id, name: $name, modelName: $project, entityName: $entity,
    displayName: $displayName, config: $config, host: $host, jobProgram: $program}) {
    bucket { id name displayName project { name entity { name } } }
    inserted
  }
}`;

const VIEWER = 'query Viewer { viewer { id entity } }';

interface HistoryLine {
  readonly offset: number;
  readonly line: string;
}

export class WandbClient {
  private entity: string | null;
  private registered = false;
  private readonly queue = new Map<number, string>();
  private summary: Record<string, unknown> = {};
  private summaryDirty = false;
  private inFlight: Promise<void> | null = null;
  private failing = false;
  private readonly started = Date.now();
  private readonly timeoutMs: number;
  private readonly warn: (message: string) => void;
  private readonly maxQueued: number;
  /** Requests that succeeded / failed, for the end-of-run note and the tests. */
  readonly counts = { ok: 0, failed: 0 };

  constructor(
    private readonly settings: WandbSettings,
    private readonly run: WandbRunInfo,
    options: WandbClientOptions = {},
  ) {
    this.entity = settings.entity;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.warn = options.onWarning ?? (() => {});
    this.maxQueued = options.maxQueued ?? 10_000;
  }

  get url(): string | null {
    return this.entity
      ? `https://wandb.ai/${this.entity}/${this.settings.project}/runs/${this.run.runId}`
      : null;
  }

  /** Registers the run (in the background). */
  start(): void {
    this.kick();
  }

  /** Queues one history row at line `offset`; `_step`, `_runtime` and `_timestamp` are added. */
  log(offset: number, step: number, values: Readonly<Record<string, number>>): void {
    const row: Record<string, unknown> = {
      ...finiteOnly(values),
      _step: step,
      _runtime: (Date.now() - this.started) / 1000,
      _timestamp: Date.now() / 1000,
    };
    this.queue.set(offset, JSON.stringify(row));
    while (this.queue.size > this.maxQueued) this.queue.delete(Math.min(...this.queue.keys()));
    this.summary = { ...this.summary, ...row };
    this.summaryDirty = true;
    this.kick();
  }

  /**
   * Sends what is queued and marks the run finished, waiting at most `deadlineMs` in all; resolves
   * either way, with whether everything reached the server.
   */
  async finish(exitCode: number, deadlineMs = 15_000): Promise<boolean> {
    const deadline = Date.now() + deadlineMs;
    const timeLeft = () => Math.max(0, deadline - Date.now());
    while (timeLeft() > 0) {
      if (this.registered && this.queue.size === 0 && !this.summaryDirty) break;
      this.kick();
      await withTimeout(this.inFlight ?? Promise.resolve(), timeLeft());
      if (this.failing) await sleep(Math.min(500, timeLeft()));
    }
    if (!this.registered || this.queue.size > 0 || timeLeft() === 0) return false;
    return this.post(this.fileStreamUrl(), { complete: true, exitcode: exitCode }, 'finish');
  }

  private kick(): void {
    if (this.inFlight) return;
    this.inFlight = this.flush().finally(() => {
      this.inFlight = null;
      // Rows logged while a request was out go in the next one, unless the server is failing, in which
      // case they wait for the next log() or finish() rather than hammer it.
      if (!this.failing && (this.queue.size > 0 || this.summaryDirty)) this.kick();
    });
  }

  private async flush(): Promise<void> {
    if (!this.registered) {
      this.registered = await this.register();
      if (!this.registered) return;
    }
    const lines = this.contiguousHead();
    if (lines.length === 0 && !this.summaryDirty) return;
    const files: Record<string, { offset: number; content: string[] }> = {};
    if (lines.length > 0) {
      files['wandb-history.jsonl'] = { offset: lines[0]!.offset, content: lines.map((l) => l.line) };
    }
    files['wandb-summary.json'] = { offset: 0, content: [JSON.stringify(this.summary)] };
    const sentSummary = this.summary;
    if (await this.post(this.fileStreamUrl(), { files }, 'history')) {
      for (const l of lines) if (this.queue.get(l.offset) === l.line) this.queue.delete(l.offset);
      if (this.summary === sentSummary) this.summaryDirty = false;
    }
  }

  /** The queued lines from the lowest offset on, while offsets are consecutive (one request's worth). */
  private contiguousHead(): HistoryLine[] {
    const offsets = [...this.queue.keys()].sort((a, b) => a - b);
    const out: HistoryLine[] = [];
    for (const offset of offsets) {
      if (out.length > 0 && offset !== out[out.length - 1]!.offset + 1) break;
      out.push({ offset, line: this.queue.get(offset)! });
      if (out.length >= 1000) break;
    }
    return out;
  }

  private async register(): Promise<boolean> {
    if (!this.entity) {
      const viewer = await this.graphql<{ viewer?: { entity?: string } | null }>(VIEWER, {}, 'viewer');
      this.entity = viewer?.viewer?.entity ?? null;
      if (!this.entity) return false;
    }
    const config = Object.fromEntries(
      Object.entries(this.run.config).map(([k, value]) => [k, { value, desc: null }]),
    );
    const result = await this.graphql<{ upsertBucket?: unknown }>(
      UPSERT_BUCKET,
      {
        name: this.run.runId,
        project: this.settings.project,
        entity: this.entity,
        displayName: this.run.displayName,
        config: JSON.stringify(config),
        host: hostname(),
        program: 'signcast train',
      },
      'upsertBucket',
    );
    return result?.upsertBucket != null;
  }

  private fileStreamUrl(): string {
    const part = encodeURIComponent;
    return `${this.settings.baseUrl}/files/${part(this.entity ?? '')}/${part(this.settings.project)}/${part(this.run.runId)}/file_stream`;
  }

  private async graphql<T>(
    query: string,
    variables: Record<string, unknown>,
    what: string,
  ): Promise<T | null> {
    const body = await this.request(`${this.settings.baseUrl}/graphql`, { query, variables }, what);
    if (body === null) return null;
    const parsed = body as { data?: T; errors?: { message?: string }[] };
    if (parsed.errors?.length) {
      this.failed(what, parsed.errors.map((e) => e.message ?? '?').join('; '));
      return null;
    }
    return parsed.data ?? null;
  }

  private async post(url: string, payload: unknown, what: string): Promise<boolean> {
    return (await this.request(url, payload, what)) !== null;
  }

  /** The parsed JSON response (or {} when it is not JSON), or null on any failure. */
  private async request(url: string, payload: unknown, what: string): Promise<unknown> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Basic ${Buffer.from(`api:${this.settings.apiKey}`).toString('base64')}`,
          'User-Agent': 'signcast-trainer',
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      if (!response.ok) {
        this.failed(what, `HTTP ${response.status} ${text.slice(0, 200)}`);
        return null;
      }
      this.counts.ok++;
      if (this.failing) this.warn(`W&B: ${what} went through again`);
      this.failing = false;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return {};
      }
    } catch (err) {
      this.failed(what, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      return null;
    }
  }

  private failed(what: string, detail: string): void {
    this.counts.failed++;
    if (!this.failing) this.warn(`W&B: ${what} failed (${detail}); training goes on, logging will retry`);
    this.failing = true;
  }
}

function finiteOnly(values: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v)));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whichever comes first; the timer is cleared so it does not hold the process open afterwards. */
async function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
