import { PasswordAttempts } from './password-attempts';

const policy = {
  address: { free: 5, baseMs: 1000, maxMs: 8000, forgetMs: 60_000 },
  room: { free: 20, baseMs: 500, maxMs: 4000, forgetMs: 60_000 },
};

describe('password attempts', () => {
  it('lets five mistakes through, then makes each attempt wait a doubling delay', () => {
    const a = new PasswordAttempts(policy);
    for (let i = 0; i < 5; i++) {
      expect(a.waitMs('1.2.3.4', 'room', 0)).toBe(0);
      a.failed('1.2.3.4', 'room', 0);
    }
    expect(a.waitMs('1.2.3.4', 'room', 0)).toBe(1000);
    expect(a.waitMs('1.2.3.4', 'room', 999)).toBe(1);
    expect(a.waitMs('1.2.3.4', 'room', 1000)).toBe(0);
    a.failed('1.2.3.4', 'room', 1000);
    expect(a.waitMs('1.2.3.4', 'room', 1000)).toBe(2000);
    a.failed('1.2.3.4', 'room', 3000);
    expect(a.waitMs('1.2.3.4', 'room', 3000)).toBe(4000);
    for (let i = 0; i < 10; i++) a.failed('1.2.3.4', 'room', 3000);
    // Capped.
    expect(a.waitMs('1.2.3.4', 'room', 3000)).toBe(8000);
  });

  it('keeps other addresses free until the room itself is under attack', () => {
    const a = new PasswordAttempts(policy);
    for (let i = 0; i < 19; i++) a.failed(`10.0.0.${i}`, 'room', 0);
    expect(a.waitMs('10.0.1.1', 'room', 0)).toBe(0);
    a.failed('10.0.0.99', 'room', 0);
    expect(a.waitMs('10.0.1.1', 'room', 0)).toBe(500);
    expect(a.waitMs('10.0.1.1', 'other room', 0)).toBe(0);
  });

  it('forgets an address after the right password, and everything after a quiet while', () => {
    const a = new PasswordAttempts(policy);
    for (let i = 0; i < 6; i++) a.failed('1.2.3.4', 'room', 0);
    a.succeeded('1.2.3.4');
    expect(a.waitMs('1.2.3.4', 'room', 0)).toBe(0);
    for (let i = 0; i < 6; i++) a.failed('5.6.7.8', 'room', 0);
    expect(a.waitMs('5.6.7.8', 'room', 60_001)).toBe(0);
    a.sweep(60_001);
    expect(a.waitMs('5.6.7.8', 'room', 60_001)).toBe(0);
  });
});
