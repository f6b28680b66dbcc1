import { hashPassword, verifyPassword } from './password';

describe('room passwords', () => {
  // scrypt is slow on purpose; leave room for a busy machine.
  jest.setTimeout(30_000);
  it('verify the right password and refuse a wrong one', async () => {
    const stored = await hashPassword('Sésame 2026');
    expect(stored).not.toContain('Sésame');
    expect(await verifyPassword('Sésame 2026', stored)).toBe(true);
    expect(await verifyPassword('sésame 2026', stored)).toBe(false);
  });
  it('salt every hash', async () => {
    expect(await hashPassword('abcd')).not.toBe(await hashPassword('abcd'));
  });
  it('refuse a malformed stored value', async () => {
    expect(await verifyPassword('abcd', 'plain')).toBe(false);
  });
});
