import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/build/**', '**/.svelte-kit/**', 'data/**', 'tools/**', 'scripts/**'] },
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  ...svelte.configs.prettier,
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
  {
    // The web app: components and runes modules, type-aware through the app's own tsconfig.
    files: ['apps/web/**/*.ts', 'apps/web/**/*.svelte'],
    languageOptions: {
      globals: globals.browser,
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        parser: tseslint.parser,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // An unawaited command is a refusal nobody hears about.
      '@typescript-eslint/no-floating-promises': 'error',
      // Our Sets are built afresh inside derivations or hold listeners: none is state changed in place.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
);
