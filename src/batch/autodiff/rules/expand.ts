import type { GradRule } from '../grad-rule.ts';
import { unbroadcast } from '../unbroadcast.ts';

/** Expand is pure broadcasting: sum dy back over the expanded axes. */
export const expandRule: GradRule = {
  differentiable: [0],
  vjp: ({ dy, input }) => [unbroadcast(dy, input(0))],
};
