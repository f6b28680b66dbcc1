import { PollReceipt } from '@estrade/protocol';
import { describe, expect, it } from 'vitest';
import { newReceipt, Receipts } from './receipts';
import { memoryStorage } from '../testing/storage';

describe('receipts of anonymous answers', () => {
  it('are 32 base64url characters from 24 random bytes, as the protocol takes them', () => {
    const r = newReceipt();
    expect(r).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(PollReceipt.safeParse(r).success).toBe(true);
    expect(newReceipt()).not.toBe(r);
    expect(newReceipt((b) => b.fill(255))).toBe('_'.repeat(32));
    // Bytes that standard base64 writes with + and / come out URL-safe.
    expect(newReceipt((b) => b.fill(0xfb))).toBe('-_v7'.repeat(8));
  });

  it('are kept per poll in the tab’s storage, found again after a reload, junk ignored', () => {
    const storage = memoryStorage();
    const receipts = new Receipts(storage);
    receipts.set('p1', { receipt: 'a'.repeat(32), choices: [1] });
    storage.setItem('estrade.poll.p2', '{not json');
    storage.setItem('estrade.poll.p3', JSON.stringify({ receipt: 'short' }));
    storage.setItem('other', 'x');
    expect(new Receipts(storage).all()).toEqual({ p1: { receipt: 'a'.repeat(32), choices: [1] } });
    expect(new Receipts(null).all()).toEqual({});
  });
});
