import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

function onPath(name: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // Not here.
    }
  }
  return null;
}

/**
 * The browser the page tests drive: $CHROMIUM_PATH, else the first Chromium or Chrome on the PATH
 * (Debian's `chromium` package). null when there is none.
 */
export function findChromium(): string | null {
  const configured = process.env['CHROMIUM_PATH'];
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
    return configured;
  }
  for (const name of NAMES) {
    const path = onPath(name);
    if (path !== null) return path;
  }
  return null;
}

/**
 * Whether a missing browser fails the run instead of skipping the browser tests: .ci/run sets
 * SIGNCAST_BROWSER_TESTS=required, so CI cannot pass without them.
 */
export const browserTestsRequired = (): boolean => process.env['SIGNCAST_BROWSER_TESTS'] === 'required';
