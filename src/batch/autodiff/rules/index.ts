/**
 * THE table: every operator autodiff can differentiate, by ONNX op type (default domain), gathered
 * from one file per operator family, as the builder's operators are grouped in onnx/ops. The engine
 * knows no operator by name; an operator's gradient is one entry in its family's table.
 */
import type { GradRule } from '../grad-rule.ts';
import { NO_GRADIENT } from '../grad-rule.ts';
import { ARITHMETIC_RULES } from './arithmetic-grads.ts';
import { ELEMENTWISE_UNARY_RULES } from './elementwise-unary-grads.ts';
import { INDEXING_RULES } from './indexing-grads.ts';
import { LINEAR_ALGEBRA_RULES } from './linear-algebra-grads.ts';
import { MOVEMENT_RULES } from './movement-grads.ts';
import { REDUCE_RULES } from './reduce-grads.ts';

/** Piecewise-constant or integer/boolean-valued: no gradient flows through them. */
const BLOCKING = [
  'And',
  'BitShift',
  'BitwiseAnd',
  'BitwiseOr',
  'BitwiseXor',
  'Ceil',
  'ConstantOfShape',
  'Equal',
  'Floor',
  'Greater',
  'GreaterOrEqual',
  'Less',
  'LessOrEqual',
  'NonZero',
  'Not',
  'OneHot',
  'Or',
  'Range',
  'Shape',
  'Sign',
  'Size',
  'Xor',
];

function table(...families: Readonly<Record<string, GradRule>>[]): Readonly<Record<string, GradRule>> {
  const rules: Record<string, GradRule> = {};
  for (const [opType, rule] of families.flatMap((f) => Object.entries(f))) {
    if (Object.hasOwn(rules, opType)) throw new Error(`two gradient rules for ${opType}`);
    rules[opType] = rule;
  }
  return rules;
}

export const GRAD_RULES = table(
  ELEMENTWISE_UNARY_RULES,
  ARITHMETIC_RULES,
  REDUCE_RULES,
  LINEAR_ALGEBRA_RULES,
  MOVEMENT_RULES,
  INDEXING_RULES,
  Object.fromEntries(BLOCKING.map((opType) => [opType, NO_GRADIENT])),
);
