/**
 * Tensor names shared by the optimizer graph, the training graph and the checkpoint (ORT's training
 * conventions where it has one): gradients `<param>_grad`, Adam moments `adam_m.<param>` and
 * `adam_v.<param>`, updated values `<input name>.new`.
 */
/** float32 scalars fed per step (adamWStepScalars): the bias-corrected step size and 1 - wd. */
export const OPTIMIZER_SCALARS = {
  stepSize: 'step_size',
  decay: 'decay',
} as const;

export const GLOBAL_NORM = 'global_norm';

/** float32 scalar fed per step under mixed precision: what the loss is multiplied by before backward. */
export const LOSS_SCALE = 'loss_scale';

export const gradientName = (param: string): string => `${param}_grad`;
export const firstMomentName = (param: string): string => `adam_m.${param}`;
export const secondMomentName = (param: string): string => `adam_v.${param}`;
export const updatedName = (input: string): string => `${input}.new`;
