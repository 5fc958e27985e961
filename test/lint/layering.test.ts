import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layering rules in eslint.config.js, run on imports that would break them: `npm test` lints the
 * tree, and this proves the lint would fail if such an import landed.
 */
const eslint = new ESLint();

async function restricted(filePath: string, from: string): Promise<boolean> {
  const [result] = await eslint.lintText(`import { x } from '${from}';\nexport const y = x;\n`, { filePath });
  return result!.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

describe('layering', () => {
  it('src/shared imports neither end, nor Node built-ins', async () => {
    expect(await restricted('src/shared/bundle/a.ts', '../../batch/onnx/graph.ts')).toBe(true);
    expect(await restricted('src/shared/bundle/a.ts', '../../worker/app.ts')).toBe(true);
    expect(await restricted('src/shared/bundle/a.ts', 'node:fs')).toBe(true);
    expect(await restricted('src/shared/bundle/a.ts', '../preprocess/constants.ts')).toBe(false);
  });

  it('the Worker and the batch runner do not know each other', async () => {
    expect(await restricted('src/worker/routes/a.ts', '../../batch/submit/run-submit.ts')).toBe(true);
    expect(await restricted('src/batch/submit/a.ts', '../../worker/app.ts')).toBe(true);
    expect(await restricted('src/worker/routes/a.ts', '../../shared/landmarks/layout.ts')).toBe(false);
  });

  it('the graph layer knows nothing of training, data or commands', async () => {
    expect(await restricted('src/batch/model/a.ts', '../train/schedule.ts')).toBe(true);
    expect(await restricted('src/batch/onnx/ops/a.ts', '../../train/schedule.ts')).toBe(true);
    expect(await restricted('src/batch/autodiff/a.ts', '../data/dataset/open-dataset.ts')).toBe(true);
    expect(await restricted('src/batch/model/a.ts', '../preprocess/run-preprocess.ts')).toBe(true);
    expect(await restricted('src/batch/model/a.ts', '../../shared/preprocess/constants.ts')).toBe(false);
    expect(await restricted('src/batch/model/a.ts', '../onnx/graph.ts')).toBe(false);
    expect(await restricted('src/batch/train/a.ts', '../model/dense.ts')).toBe(false);
  });
});
