import type { GradRule } from '../grad-rule.ts';

/** Expand is pure broadcasting: dy, which the engine sums back over the expanded axes. */
export const expandRule: GradRule = { differentiable: [0], vjp: ({ dy }) => [dy] };
