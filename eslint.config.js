import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    // src/shared runs in workerd too: Node built-ins are not allowed there.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'worker_threads', 'crypto'],
              message: 'src/shared must stay runtime-neutral (workerd and Node).',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'Buffer', 'process', '__dirname', 'require'],
    },
  },
);
