import { isVariantPreference, type VariantPreference } from '../shared/bundle/select-variant.ts';
import { MAX_BODY_BYTES, MAX_FRAMES } from '../shared/limits.ts';
import { ApiError } from './api-error.ts';
import type { Env } from './bindings.ts';

export interface WorkerConfig {
  readonly modelName: string;
  readonly variant: VariantPreference;
  readonly maxBodyBytes: number;
  readonly maxFrames: number;
  /** null: no CORS headers at all. */
  readonly corsOrigins: '*' | readonly string[] | null;
  /** null: the API is open. */
  readonly apiToken: string | null;
}

/** The clip limits default to the shared ones (src/shared/limits.ts), which submit and preprocess apply too. */
export const DEFAULTS = {
  modelName: 'demo',
  maxBodyBytes: MAX_BODY_BYTES,
  maxFrames: MAX_FRAMES,
} as const;

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function misconfigured(what: string): never {
  throw new ApiError(500, 'config_invalid', `Worker misconfigured: ${what}`);
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    misconfigured(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function corsOrigins(value: string | undefined): WorkerConfig['corsOrigins'] {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return null;
  if (trimmed === '*') return '*';
  const origins = trimmed
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      misconfigured(`CORS_ORIGINS entry ${JSON.stringify(origin)} is not an origin like https://example.com`);
  }
  return origins;
}

/** A var may lower a shared limit for this deployment; raising it would answer what submit refuses. */
function limit(value: string | undefined, name: string, shared: number): number {
  const n = positiveInt(value, name, shared);
  if (n > shared)
    misconfigured(
      `${name} may lower the shared limit of ${shared} (src/shared/limits.ts), not raise it; got ${n}`,
    );
  return n;
}

/** The Worker's settings from its vars and secrets; a bad value is a deploy mistake, answered as a 500. */
export function readConfig(env: Env): WorkerConfig {
  const modelName = env.MODEL_NAME?.trim() || DEFAULTS.modelName;
  if (!MODEL_NAME.test(modelName))
    misconfigured(`MODEL_NAME ${JSON.stringify(modelName)} is not a plain folder name`);
  const variant = env.MODEL_VARIANT?.trim() || 'auto';
  if (!isVariantPreference(variant))
    misconfigured(`MODEL_VARIANT must be auto, int8 or float32, got ${JSON.stringify(variant)}`);
  return {
    modelName,
    variant,
    maxBodyBytes: limit(env.MAX_BODY_BYTES, 'MAX_BODY_BYTES', DEFAULTS.maxBodyBytes),
    maxFrames: limit(env.MAX_FRAMES, 'MAX_FRAMES', DEFAULTS.maxFrames),
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    apiToken: env.API_TOKEN && env.API_TOKEN.length > 0 ? env.API_TOKEN : null,
  };
}
