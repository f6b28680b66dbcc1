import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findLivekitBinary } from '../infra/embedded-livekit';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';
import { findRepoRoot } from '../infra/repo-root';
import { freePort } from './ports';

/**
 * One real PostgreSQL for the integration run (each test creates its own rooms). Every test
 * server process is started against it and runs its own embedded LiveKit. A missing component
 * fails the run here, loudly: nothing is skipped.
 */
export default async function globalSetup() {
  const root = findRepoRoot(__dirname);
  findLivekitBinary(root);
  const main = path.join(root, 'apps/server/dist/apps/server/src/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  // A private (0700) folder, as mkdtemp makes it: as root, the data then lives where the
  // postgres user can reach it, which is what `npm start` from root's home needs too.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'estrade-int-pg-'));
  const pg = await startEmbeddedPostgres({
    dir: path.join(dir, 'pg'),
    port: await freePort(),
    password: 'integration',
  });
  process.env.ESTRADE_TEST_DATABASE_URL = pg.url;
  (globalThis as { __estradePg?: unknown }).__estradePg = { pg, dir };
}
