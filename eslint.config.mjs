import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/build/**', '**/.svelte-kit/**', 'data/**', 'tools/**', '**/*.svelte', 'scripts/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['apps/server/**/*.ts', 'libs/**/*.ts'],
    languageOptions: {
      parserOptions: {
        project: ['apps/server/tsconfig.spec.json', 'libs/protocol/tsconfig.spec.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // An unawaited promise in a gateway is a lost event.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
