import * as fs from 'node:fs';

export default async function globalTeardown() {
  const held = (globalThis as { __estradePg?: { pg: { stop(): Promise<void>; dataDir: string }; dir: string } })
    .__estradePg;
  if (!held) return;
  await held.pg.stop();
  fs.rmSync(held.pg.dataDir, { recursive: true, force: true });
  fs.rmSync(held.dir, { recursive: true, force: true });
}
