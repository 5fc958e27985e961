import { expect } from 'vitest';

type CodedErrorClass = abstract new (...args: never[]) => Error & { readonly code: string };

/** The `code` of the error `fn` throws, which must be a `type`. */
export function errorCodeOf(type: CodedErrorClass, fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return (err as InstanceType<CodedErrorClass>).code;
  }
  throw new Error(`expected a ${type.name}`);
}
