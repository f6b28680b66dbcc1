import type { Config } from 'jest';

// Transpile only (types are checked by `npm run typecheck`), keeping Nest's decorator metadata.
const transform: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
};

// Real PostgreSQL for the run; each test starts its own server with its own LiveKit.
const integration = {
  testEnvironment: 'node',
  transform,
  globalSetup: '<rootDir>/apps/server/src/testing/global-setup.ts',
  globalTeardown: '<rootDir>/apps/server/src/testing/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/apps/server/src/testing/integration-setup.ts'],
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
      ...integration,
      displayName: 'integration',
      testMatch: ['<rootDir>/apps/server/src/**/*.int-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.alone\\.int-spec\\.ts$'],
    },
    {
      // Tests that measure how quickly the server answers: run after the parallel tier, one at a
      // time, so that another test worker's servers do not share the two cores with them.
      ...integration,
      displayName: 'integration-alone',
      testMatch: ['<rootDir>/apps/server/src/**/*.alone.int-spec.ts'],
    },
  ],
};

export default config;
