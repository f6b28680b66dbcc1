import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

// scrypt with N=2^15: a room password is short and typed by people, so it gets a slow hash.
const PARAMS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** More hashes than this waiting: the server is busy (a flood), the request is refused. */
const MAX_WAITING = 200;

export class HashingBusy extends Error {}

let tail: Promise<unknown> = Promise.resolve();
let waiting = 0;

/**
 * One hash at a time. Each costs ~0.1 s of CPU and 32 MiB; run four at once on libuv's pool
 * and a two-core machine has nothing left for the event loop, so a burst of guesses queues
 * here instead and everything else keeps answering.
 */
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  if (waiting >= MAX_WAITING) return Promise.reject(new HashingBusy('too many password checks at once'));
  waiting++;
  const run = tail.then(work).finally(() => waiting--);
  tail = run.catch(() => undefined);
  return run;
}

/** `scrypt$<salt>$<hash>`, both base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await oneAtATime(() => scrypt(password.normalize('NFC'), salt, 32, PARAMS));
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const got = await oneAtATime(() =>
    scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, PARAMS),
  );
  return timingSafeEqual(expected, got);
}
