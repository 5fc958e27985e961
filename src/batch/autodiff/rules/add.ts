import type { GradRule } from '../grad-rule.ts';
import { unbroadcast } from '../unbroadcast.ts';

/** d(a + b) = (dy, dy), each summed back over its broadcast axes. */
export const addRule: GradRule = {
  differentiable: 'all',
  vjp: ({ dy, wants, input }) => [
    wants[0] ? unbroadcast(dy, input(0)) : undefined,
    wants[1] ? unbroadcast(dy, input(1)) : undefined,
  ],
};
