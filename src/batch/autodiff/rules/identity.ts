import type { GradRule } from '../grad-rule.ts';

/** Identity passes the gradient through. */
export const identityRule: GradRule = { differentiable: 'all', vjp: ({ dy }) => [dy] };
