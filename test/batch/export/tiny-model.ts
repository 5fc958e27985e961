import { resolveConfig } from '../../../src/batch/model/config/resolve-config.ts';
import type { SignCastConfig } from '../../../src/batch/model/config/config-schema.ts';
import { buildModel } from '../../../src/batch/model/signcast-model.ts';
import { graphToBytes } from '../../../src/batch/onnx/to-model.ts';
import { neutralStats } from '../../../src/shared/preprocess/neutral-stats.ts';

/** The real architecture at a size that loads and runs in milliseconds, 3 classes (the real files' signs). */
export const TINY_CONFIG: SignCastConfig = resolveConfig('demo', [
  'classes=3',
  'landmark_units=64',
  'units=64',
  'heads=2',
  'blocks=1',
]);

/** Its float32 inference graph with freshly initialised parameters. */
export function tinyInferenceModel(seed = 1): Uint8Array {
  const { graph } = buildModel(TINY_CONFIG.model, neutralStats(), { mode: 'inference', seed });
  return graphToBytes(graph);
}
