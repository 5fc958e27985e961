/**
 * Every file under src/ has a name no other file there has, so a name found in a stack trace, an
 * import or a review comment points at one file. index.ts (a folder's entry) and README.md are the
 * exceptions by convention.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = 'src';
const SHARED_BY_CONVENTION = new Set(['index.ts', 'README.md']);

function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('source file names', () => {
  it('are unique under src/', () => {
    const byName = new Map<string, string[]>();
    for (const path of sourceFiles()) {
      const name = basename(path);
      if (SHARED_BY_CONVENTION.has(name)) continue;
      byName.set(name, [...(byName.get(name) ?? []), path]);
    }
    const shared = [...byName.values()].filter((paths) => paths.length > 1).map((paths) => paths.sort());
    expect(shared).toEqual([]);
  });
});
