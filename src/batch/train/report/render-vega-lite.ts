import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite spec rendered to an SVG string in Node: compiled to Vega, run headless (renderer 'none',
 * no canvas, no DOM), serialised by Vega's own SVG renderer. Text widths are Vega's estimates, which is
 * why labels use its default sans-serif font.
 */
const quiet = vega.logger(vega.Error);

export async function renderVegaLite(spec: TopLevelSpec): Promise<string> {
  // Problems in our own specs surface as errors in the tests; warnings would only litter the console.
  const view = new vega.View(vega.parse(compile(spec, { logger: quiet }).spec), { renderer: 'none' });
  view.logLevel(vega.Error);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
