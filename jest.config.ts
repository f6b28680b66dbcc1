import type { Config } from 'jest';

// Transpile only (types are checked by `npm run typecheck`), keeping Nest's decorator metadata.
const transform: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
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
