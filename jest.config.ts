import type { Config } from 'jest';

// swc compiles TypeScript with Nest's decorators and their metadata, fast enough for every run.
const transform: Config['transform'] = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2023',
      },
      module: { type: 'commonjs' },
    },
  ],
};

const config: Config = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/apps/server/src/**/*.spec.ts', '<rootDir>/libs/*/src/**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/apps/server/src/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/apps/server/src/testing/global-setup.ts',
      globalTeardown: '<rootDir>/apps/server/src/testing/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/apps/server/src/testing/integration-setup.ts'],
    },
  ],
};

export default config;
