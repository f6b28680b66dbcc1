import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';
import chromiumArgs from './chromium-args.json';

// A server of its own: embedded PostgreSQL and LiveKit in a throwaway data folder, on ports
// that do not collide with `npm start` or the integration tests.
const PORT = 3210;
// Set once in the runner; its workers inherit it, so every process agrees on the folder.
process.env.ESTRADE_E2E_DATA_DIR ??= path.join(os.tmpdir(), `estrade-e2e-${process.pid}`);
export const E2E_DATA_DIR = process.env.ESTRADE_E2E_DATA_DIR;
const dataDir = E2E_DATA_DIR;

export const E2E_LIVEKIT_PORT = 7930;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  forbidOnly: true,
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      // Fake camera, microphone and screen; loopback WebRTC; no traffic to the outside.
      args: chromiumArgs,
    },
    permissions: ['camera', 'microphone'],
    locale: 'en-GB',
    trace: 'off',
  },
  webServer: {
    command: `node ${path.join(__dirname, '../apps/server/dist/apps/server/src/main.js')}`,
    url: `http://localhost:${PORT}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      ESTRADE_DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: '54331',
      EMBEDDED_LIVEKIT_PORT: String(E2E_LIVEKIT_PORT),
      EMBEDDED_LIVEKIT_RTC_PORT: '7931',
      LOG_LEVEL: 'warn',
    },
  },
});
