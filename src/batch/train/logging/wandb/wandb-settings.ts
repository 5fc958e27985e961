/** Where and as whom a run logs to Weights & Biases, from W&B's own environment variables. */
export interface WandbSettings {
  readonly apiKey: string;
  /** WANDB_BASE_URL (self-hosted servers, tests); default https://api.wandb.ai. */
  readonly baseUrl: string;
  /** WANDB_ENTITY; when absent the key's default entity is asked for. */
  readonly entity: string | null;
  /** WANDB_PROJECT; default "signcast". */
  readonly project: string;
}

export type WandbDecision =
  | { readonly enabled: true; readonly settings: WandbSettings }
  | { readonly enabled: false; readonly reason: string | null };

export const DEFAULT_WANDB_BASE_URL = 'https://api.wandb.ai';
export const DEFAULT_WANDB_PROJECT = 'signcast';

/**
 * W&B logging is on when WANDB_API_KEY is set or --wandb is given, and off with WANDB_MODE=disabled or
 * offline. Without a key nothing is sent anywhere, --wandb or not (`reason` says why, for a warning):
 * the trainer never prompts, since it may run unattended.
 */
export function decideWandb(env: NodeJS.ProcessEnv, flag: boolean): WandbDecision {
  const apiKey = env.WANDB_API_KEY?.trim() ?? '';
  const mode = env.WANDB_MODE?.trim().toLowerCase();
  if (mode === 'disabled' || mode === 'offline' || env.WANDB_DISABLED === 'true') {
    return { enabled: false, reason: flag ? `WANDB_MODE=${mode ?? 'disabled'}: W&B logging is off` : null };
  }
  if (apiKey === '') {
    return { enabled: false, reason: flag ? '--wandb needs WANDB_API_KEY; W&B logging is off' : null };
  }
  return {
    enabled: true,
    settings: {
      apiKey,
      baseUrl: (env.WANDB_BASE_URL?.trim() || DEFAULT_WANDB_BASE_URL).replace(/\/+$/, ''),
      entity: env.WANDB_ENTITY?.trim() || null,
      project: env.WANDB_PROJECT?.trim() || DEFAULT_WANDB_PROJECT,
    },
  };
}
