import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Classroom } from '../testing/classroom-kit';
import { TestServer } from '../testing/test-server';

/** The server on its own embedded PostgreSQL (no DATABASE_URL), as `npm start` runs it. */
function embedded(env: Record<string, string> = {}) {
  return new TestServer({ DATABASE_URL: '', ...env });
}

/** Stops the server and removes its data, the PostgreSQL folder placed outside it included. */
async function dispose(server: TestServer) {
  await server.stop();
  const pg = path.join(server.dataDir, 'postgres');
  if (fs.existsSync(pg)) fs.rmSync(fs.realpathSync(pg), { recursive: true, force: true });
  await server.dispose();
}

describe('starting the server (embedded PostgreSQL and LiveKit)', () => {
  it('comes up from a private (0700) folder, and after kill -9 comes back with every meeting intact', async () => {
    const server = embedded();
    try {
      expect(fs.statSync(server.dataDir).mode & 0o777).toBe(0o700);
      await server.start();
      if (process.getuid?.() === 0) {
        // As root, PostgreSQL runs as its own user: its data is where that user can reach it, for it alone.
        const real = fs.realpathSync(path.join(server.dataDir, 'postgres'));
        expect(fs.statSync(real).mode & 0o777).toBe(0o700);
        expect(fs.statSync(real).uid).not.toBe(0);
      }
      const classroom = new Classroom(server);
      const room = await classroom.createRoom('Histoire 1re B');
      const teacher = await classroom.join(room.moderatorCode, 'M. Bernard');
      expect(await teacher.send({ type: 'chat.send', to: null, text: 'avant la panne' })).toEqual({ ok: true });
      await classroom.closeAll();

      await server.crash();
      await server.start();

      const after = new Classroom(server);
      const again = await after.join(room.moderatorCode, 'M. Bernard');
      const snapshot = again.snapshots.at(-1)!;
      expect(snapshot.state.meetingId).toBe(teacher.meetingId);
      expect(snapshot.state.chat.map((m) => m.text)).toContain('avant la panne');
      await after.closeAll();
    } finally {
      await dispose(server);
    }
  });

  it('stops with one clear line and a non-zero exit when PostgreSQL cannot be run', async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'estrade-pg-bin-'));
    fs.mkdirSync(path.join(bin, 'bin'));
    for (const name of ['initdb', 'postgres']) {
      fs.writeFileSync(path.join(bin, 'bin', name), '#!/bin/sh\nexit 0\n', { mode: 0o000 });
    }
    const server = embedded({ EMBEDDED_POSTGRES_BINARIES: bin });
    try {
      const { code, output } = await server.failToStart();
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      const lines = output.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Estrade could not start: embedded PostgreSQL: cannot run .*initdb/);
      expect(lines[0]).toContain('DATABASE_URL');
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      await server.dispose();
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it('stops with one clear line when the LiveKit port is taken', async () => {
    const net = await import('node:net');
    const squatter = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => squatter.once('listening', r));
    const port = (squatter.address() as { port: number }).port;
    const server = new TestServer({ EMBEDDED_LIVEKIT_PORT: String(port) });
    try {
      const { code, output } = await server.failToStart();
      expect(code).toBe(1);
      expect(output.trim()).toBe(
        `Estrade could not start: embedded LiveKit: port ${port} is already in use. Stop what uses it, set EMBEDDED_LIVEKIT_PORT, or: Set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET to use another LiveKit server`,
      );
    } finally {
      squatter.close();
      await server.dispose();
    }
  });
});
