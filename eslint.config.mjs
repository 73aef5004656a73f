// Type-checked ESLint with Nx module boundaries: a service never imports another service,
// and libraries depend only downward (contracts and kernel depend on nothing of ours).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', '.data/**', '.cache/**', '.nx/**', 'tmp/**', 'coverage/**', '**/*.js', '**/*.mjs', 'services/metrics/src/dashboard/static/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='parseFloat']", message: 'Money is integer fen: use Money from @ipfin/kernel.' }],
      '@nx/enforce-module-boundaries': ['error', {
        enforceBuildableLibDependency: false,
        allow: [],
        depConstraints: [
          { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
          { sourceTag: 'type:kernel', onlyDependOnLibsWithTags: [] },
          { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:contracts', 'type:kernel'] },
          { sourceTag: 'type:http', onlyDependOnLibsWithTags: ['type:kernel', 'type:messaging', 'type:contracts'] },
          { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:kernel', 'type:messaging', 'type:http'] },
          { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:contracts', 'type:kernel', 'type:messaging', 'type:http', 'type:testing'] },
          { sourceTag: 'scope:pledge-loans', notDependOnLibsWithTags: ['scope:risk-compensation', 'scope:patent-registry', 'scope:dense-products', 'scope:metrics'] },
          { sourceTag: 'scope:risk-compensation', notDependOnLibsWithTags: ['scope:pledge-loans', 'scope:patent-registry', 'scope:dense-products', 'scope:metrics'] },
          { sourceTag: 'scope:patent-registry', notDependOnLibsWithTags: ['scope:pledge-loans', 'scope:risk-compensation', 'scope:dense-products', 'scope:metrics'] },
          { sourceTag: 'scope:dense-products', notDependOnLibsWithTags: ['scope:pledge-loans', 'scope:risk-compensation', 'scope:patent-registry', 'scope:metrics'] },
          { sourceTag: 'scope:metrics', notDependOnLibsWithTags: ['scope:pledge-loans', 'scope:risk-compensation', 'scope:patent-registry', 'scope:dense-products'] },
        ],
      }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'bench/**/*.ts', 'tools/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
