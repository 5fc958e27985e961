/**
 * Dynamic loss scaling for mixed-precision training (config.train.precision 'fp16'), as PyTorch's
 * GradScaler does it: the step graph differentiates loss x scale, so gradients too small for float16
 * (below 6e-8) survive the backward pass, and divides the float32 gradients by the scale again. When
 * the scaled gradients overflow float16, the global norm comes back non-finite: that update is dropped
 * and the scale halved. After `growthInterval` updates in a row without overflow it doubles, to keep as
 * much of float16's range as the gradients allow.
 *
 * The scale is part of where training stands: checkpoints store it (and the updates since the last
 * change), so a resumed run scales exactly as the uninterrupted one would.
 */
export interface LossScaleSettings {
  readonly initial: number;
  readonly growthInterval: number;
  /**
   * Below this the run stops: with gradients this small, float16 overflow means the forward pass
   * itself overflows, which no scale fixes.
   */
  readonly minimum: number;
}

/**
 * 2^12 rather than GradScaler's 2^16: the first updates then rarely overflow, so short runs lose none.
 * 1,000 updates between doublings (GradScaler: 2,000) suits runs of a few thousand steps.
 */
export const LOSS_SCALE_SETTINGS: LossScaleSettings = { initial: 2 ** 12, growthInterval: 1000, minimum: 1 };

const KEYS = { scale: 'amp/loss_scale', goodSteps: 'amp/good_steps' } as const;

export class DynamicLossScale {
  private constructor(
    private current: number,
    private goodSteps: number,
    private readonly settings: LossScaleSettings,
  ) {}

  static start(settings: LossScaleSettings = LOSS_SCALE_SETTINGS): DynamicLossScale {
    return new DynamicLossScale(settings.initial, 0, settings);
  }

  /** From a checkpoint's metrics (toCheckpoint); one written before mixed precision starts afresh. */
  static fromCheckpoint(
    metrics: Readonly<Record<string, number | null>>,
    settings: LossScaleSettings = LOSS_SCALE_SETTINGS,
  ): DynamicLossScale {
    const scale = metrics[KEYS.scale];
    const good = metrics[KEYS.goodSteps];
    if (typeof scale !== 'number' || typeof good !== 'number') return DynamicLossScale.start(settings);
    return new DynamicLossScale(scale, good, settings);
  }

  /** The factor this step's loss is multiplied by. */
  get scale(): number {
    return this.current;
  }

  /**
   * After a step: `finite` says whether its gradients stayed finite. Returns whether its update
   * applies; throws a RangeError when an overflow would take the scale below the minimum.
   */
  update(finite: boolean): boolean {
    if (finite) {
      if (++this.goodSteps >= this.settings.growthInterval) {
        this.current *= 2;
        this.goodSteps = 0;
      }
      return true;
    }
    this.goodSteps = 0;
    if (this.current / 2 < this.settings.minimum) {
      throw new RangeError(
        `float16 gradients overflowed at every loss scale down to ${this.current}: the forward pass itself overflows`,
      );
    }
    this.current /= 2;
    return false;
  }

  toCheckpoint(): Record<string, number> {
    return { [KEYS.scale]: this.current, [KEYS.goodSteps]: this.goodSteps };
  }
}
