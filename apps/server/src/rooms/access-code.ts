import { createHash, randomBytes } from 'node:crypto';

/** 128 random bits, URL-safe: unguessable, so a fast hash is enough to store it. */
export function newAccessCode(): string {
  return randomBytes(16).toString('base64url');
}

export function hashAccessCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/** Codes are 22 base64url characters; anything else is refused before touching the database. */
export function looksLikeAccessCode(code: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(code);
}
