/** Option parsers shared by the commands (commander calls them with the raw text). */
import { InvalidArgumentError } from 'commander';
import { isVariantPreference, type VariantPreference } from '../../shared/bundle/select-variant.ts';

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

export function variantPreference(value: string): VariantPreference {
  if (!isVariantPreference(value)) throw new InvalidArgumentError('expected auto, int8 or float32');
  return value;
}
