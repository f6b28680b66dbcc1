import { KeyedQueue } from './keyed-queue';

describe('a queue per key', () => {
  it('runs one task at a time per key, keys side by side, and refuses beyond the bound', async () => {
    const q = new KeyedQueue(2);
    const order: string[] = [];
    const task = (name: string, ms: number) => () =>
      new Promise<string>((r) =>
        setTimeout(() => {
          order.push(name);
          r(name);
        }, ms),
      );
    const a1 = q.run('a', task('a1', 30));
    const a2 = q.run('a', task('a2', 1));
    expect(q.run('a', task('a3', 1))).toBeNull();
    const b1 = q.run('b', task('b1', 10));
    expect(await Promise.all([a1, a2, b1])).toEqual(['a1', 'a2', 'b1']);
    expect(order).toEqual(['b1', 'a1', 'a2']);
    expect(await q.run('a', task('a4', 1))).toBe('a4');
  });
});
