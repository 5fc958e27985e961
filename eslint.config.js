import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layering (../shared/design/architecture.md): data flows one way. src/shared knows neither end; the
 * batch runner and the Worker do not know each other; the graph layer (onnx, autodiff, model) knows
 * nothing of training, data or commands. The patterns match import paths: folder names are unique in
 * src/, except `preprocess`, which exists in src/shared and in src/batch (hence the lookahead).
 */
const NODE_BUILTINS = {
  group: ['node:*', 'fs', 'path', 'os', 'worker_threads', 'crypto'],
  message: 'src/shared must stay runtime-neutral (workerd and Node).',
};
const NOT_BATCH_OR_WORKER = {
  regex: '(^|/)(batch|worker)/',
  message: 'src/shared is imported by src/batch and src/worker, never the other way round.',
};
const NOT_BATCH = { regex: '(^|/)batch/', message: 'the Worker may use src/shared, not the batch runner.' };
const NOT_WORKER = { regex: '(^|/)worker/', message: 'the batch runner may use src/shared, not the Worker.' };
const NOT_ABOVE_GRAPHS = {
  regex: '^(?!(.*/)?shared/)(.*/)?(train|submit|export|preprocess|cli|data|parallel|fixtures)/',
  message:
    'the graph layer (onnx, autodiff, model) builds graphs: it knows nothing of training, data or commands.',
};
const restrictImports = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'data',
      'runs',
      'dist',
      'build',
      'test-artifacts',
      '.wrangler',
      'models',
      'coverage',
      'tmp',
      '.scratch*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // src/shared runs in workerd too: Node globals are not allowed there.
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-globals': ['error', 'Buffer', 'process', '__dirname', 'require'] },
  },
  restrictImports(['src/shared/**/*.ts'], [NODE_BUILTINS, NOT_BATCH_OR_WORKER]),
  restrictImports(['src/worker/**/*.ts'], [NOT_BATCH]),
  restrictImports(['src/batch/**/*.ts'], [NOT_WORKER]),
  restrictImports(
    ['src/batch/onnx/**/*.ts', 'src/batch/autodiff/**/*.ts', 'src/batch/model/**/*.ts'],
    [NOT_WORKER, NOT_ABOVE_GRAPHS],
  ),
  {
    // One owner per runtime opens sessions: the presets, providers and env.wasm live there only.
    files: ['**/*.ts'],
    ignores: ['src/batch/onnx/ort-session.ts', 'src/shared/ort-web-session.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['object.property.name', 'object.name'].map((inferenceSession) => ({
          selector: `MemberExpression[${inferenceSession}='InferenceSession'][property.name='create']`,
          message:
            'Open sessions through src/batch/onnx/ort-session.ts (onnxruntime-node) or src/shared/ort-web-session.ts (onnxruntime-web).',
        })),
      ],
    },
  },
);
