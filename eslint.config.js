// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * A small rule set: the recommended checks, plus the two house rules a reviewer would otherwise
 * enforce by hand: small functions in the product code, and the production code never importing
 * the dev wing (scripts/). The import-graph test proves the second transitively.
 */
export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'server/db/migrations/', 'scripts/playground/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // chai's property assertions (`expect(x).to.be.true`) are expressions by design.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['server/**/*.ts', 'shared/**/*.ts', 'widget/src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    files: ['server/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/scripts/**', '**/test/**'], message: 'Production code never imports the dev wing (scripts/) or tests.' },
          ],
        },
      ],
    },
  },
);
