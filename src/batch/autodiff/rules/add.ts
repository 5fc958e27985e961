import type { GradRule } from '../grad-rule.ts';

/** d(a + b) = (dy, dy). */
export const addRule: GradRule = { differentiable: 'all', vjp: ({ dy }) => [dy, dy] };
