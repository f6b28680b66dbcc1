import { randomBytes, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * scrypt on a thread of its own at the lowest CPU priority (nice 19: on Linux, setpriority on
 * "process 0" applies to the calling thread), so a flood of guesses uses the spare CPU only and
 * neither the event loop nor PostgreSQL or LiveKit waits behind it. Inline code: the same in the
 * built server and under ts-jest.
 */
const HASHER = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
try { require('node:os').setPriority(0, 19); } catch {}
parentPort.on('message', ({ id, password, salt, keylen, options }) => {
  try {
    parentPort.postMessage({ id, key: scryptSync(password, Buffer.from(salt), keylen, options) });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err) });
  }
});`;

/**
 * More hashes than this waiting: the server is busy (a flood), the request is refused. Each
 * costs ~0.1 s of CPU and 32 MiB; the one worker takes them one at a time.
 */
const MAX_WAITING = 200;

export class HashingBusy extends Error {}

let hasher: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (key: Buffer) => void; reject: (err: Error) => void }>();

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  if (pending.size >= MAX_WAITING) return Promise.reject(new HashingBusy('too many password checks at once'));
  if (!hasher) {
    const worker = new Worker(HASHER, { eval: true });
    worker.unref();
    worker.on('message', (m: { id: number; key?: Uint8Array; error?: string }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (pending.size === 0) worker.unref();
      if (m.key) p?.resolve(Buffer.from(m.key));
      else p?.reject(new Error(m.error));
    });
    worker.on('error', (err) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      hasher = null;
    });
    hasher = worker;
  }
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    // Held open while a hash is awaited, let go when idle.
    hasher!.ref();
    hasher!.postMessage({ id, password, salt, keylen, options });
  });
}

// scrypt with N=2^15: a room password is short and typed by people, so it gets a slow hash.
const PARAMS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** `scrypt$<salt>$<hash>`, both base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password.normalize('NFC'), salt, 32, PARAMS);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const got = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, PARAMS);
  return timingSafeEqual(expected, got);
}
