import { z } from 'zod';
import { PollReceipt } from '@estrade/protocol';

// An anonymous answer is logged without its voter, so the meeting state cannot tell this browser
// which answer is its own. The browser keeps it instead: a random receipt made here (the server
// keeps only its hash) and the answer given, per poll, in sessionStorage — this tab's, gone when
// it closes, never sent anywhere but with the answer.

const KEY = 'estrade.poll.';

export const StoredAnswer = z.object({
  receipt: PollReceipt,
  choices: z.array(z.number().int().min(0)).optional(),
  text: z.string().optional(),
});
export type StoredAnswer = z.infer<typeof StoredAnswer>;

/** 32 base64url characters: 24 random bytes (192 bits), from the browser's cryptographic source. */
export function newReceipt(
  random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer> = (b) => crypto.getRandomValues(b),
): string {
  const bytes = random(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/** The receipts and answers this tab keeps, by poll id. */
export class Receipts {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'length' | 'key'> | null) {}

  /** Everything kept so far (what a reload of the tab finds again). */
  all(): Record<string, StoredAnswer> {
    const found: Record<string, StoredAnswer> = {};
    if (!this.storage) return found;
    for (let i = 0; i < this.storage.length; i++) {
      const key = this.storage.key(i);
      if (!key?.startsWith(KEY)) continue;
      const entry = this.get(key.slice(KEY.length));
      if (entry) found[key.slice(KEY.length)] = entry;
    }
    return found;
  }

  get(pollId: string): StoredAnswer | null {
    try {
      const parsed = StoredAnswer.safeParse(JSON.parse(this.storage?.getItem(KEY + pollId) ?? 'null'));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  set(pollId: string, entry: StoredAnswer) {
    try {
      this.storage?.setItem(KEY + pollId, JSON.stringify(entry));
    } catch {
      // Storage full or refused: the answer still counts; this tab just cannot change it later.
    }
  }
}
