import * as dgram from 'node:dgram';
import * as net from 'node:net';

const given = new Set<number>();

// Jest workers run side by side and cannot see each other's `given`: each picks in a slice of
// its own, so two never pick the same port between the check and the server binding it.
const SLOTS = 4;
const SLOT_SIZE = 12_000 / SLOTS;
const SLOT = (Number(process.env.JEST_WORKER_ID ?? 1) - 1) % SLOTS;

/**
 * A port free on loopback right now, for TCP and UDP (LiveKit's RTC port uses both). Picked
 * below Linux's ephemeral range (32768 and up), so an outgoing connection of a bot or a browser
 * cannot take it between this check and the server binding it; never the same port twice.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + SLOT * SLOT_SIZE + Math.floor(Math.random() * SLOT_SIZE);
    if (given.has(port)) continue;
    if ((await tcpFree(port)) && (await udpFree(port))) {
      given.add(port);
      return port;
    }
  }
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    sock.once('error', () => resolve(false));
    sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
  });
}
