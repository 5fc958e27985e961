/**
 * Every file under src/ has a name no other file there has, so a name found in a stack trace, an
 * import or a review comment points at one file. index.ts (a folder's entry) and README.md are the
 * exceptions by convention.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = 'src';
const SHARED_BY_CONVENTION = new Set(['index.ts', 'README.md']);

/**
 * Files that other workstreams of issue 12 rename or merge away; each entry goes when its branch lands
 * (the second test fails while an entry names a file that is gone).
 */
const AWAITING_OTHER_BRANCHES: Readonly<Record<string, string>> = {
  // r-sessions: both become the one openBundle in src/shared/bundle.
  'src/batch/submit/load-model.ts': 'r-sessions',
  'src/worker/runtime/load-model.ts': 'r-sessions',
};

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
      if (SHARED_BY_CONVENTION.has(name) || path in AWAITING_OTHER_BRANCHES) continue;
      byName.set(name, [...(byName.get(name) ?? []), path]);
    }
    const shared = [...byName.values()].filter((paths) => paths.length > 1).map((paths) => paths.sort());
    expect(shared).toEqual([]);
  });

  it('are exempted only while the exempted file exists', () => {
    expect(Object.keys(AWAITING_OTHER_BRANCHES).filter((path) => !existsSync(path))).toEqual([]);
  });
});
