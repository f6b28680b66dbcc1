import { Client } from 'pg';

// Real services take real time (LiveKit refuses a publication after its own 10 s timeout).
jest.setTimeout(60_000);

// Each Jest worker has a database of its own on the run's PostgreSQL: a server re-arms every
// running meeting it finds at start-up, so the servers of two workers must not see each other's.
const shared = (process.env.ESTRADE_TEST_DATABASE_SHARED ??= process.env.ESTRADE_TEST_DATABASE_URL);
if (shared) {
  const name = `estrade_worker_${Number(process.env.JEST_WORKER_ID ?? 1)}`;
  const url = new URL(shared);
  url.pathname = `/${name}`;
  process.env.ESTRADE_TEST_DATABASE_URL = url.toString();
  beforeAll(async () => {
    const db = new Client({ connectionString: shared });
    await db.connect();
    try {
      await db.query(`CREATE DATABASE ${name}`);
    } catch (err) {
      // 42P04: made by an earlier test file of this worker.
      if ((err as { code?: string }).code !== '42P04') throw err;
    } finally {
      await db.end();
    }
  });
}
