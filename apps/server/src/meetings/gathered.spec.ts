import { Gathered } from './gathered';

describe('requests gathered per meeting', () => {
  it('decides those arriving during a decision together, next, each answered in order', async () => {
    const decided: string[][] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const gathered = new Gathered<string, string>(async (meetingId, items) => {
      decided.push(items);
      if (decided.length === 1) await first;
      return items.map((i) => (i === 'refused' ? new Error(`no ${i}`) : `${meetingId}:${i}`));
    });
    const a = gathered.add('m', 'a');
    await Promise.resolve();
    const later = ['b', 'refused', 'c'].map((i) => gathered.add('m', i));
    const elsewhere = gathered.add('n', 'x');
    release();
    await expect(a).resolves.toBe('m:a');
    await expect(later[0]).resolves.toBe('m:b');
    await expect(later[1]).rejects.toThrow('no refused');
    await expect(later[2]).resolves.toBe('m:c');
    await expect(elsewhere).resolves.toBe('n:x');
    expect(decided).toEqual([['a'], ['x'], ['b', 'refused', 'c']]);
  });

  it('refuses the whole gathering when its decision fails, and decides the next afresh', async () => {
    let fail = true;
    const gathered = new Gathered<number, number>(async (_, items) => {
      if (fail) throw new Error('meeting ended');
      return items;
    });
    await expect(Promise.all([gathered.add('m', 1), gathered.add('m', 2)])).rejects.toThrow('meeting ended');
    fail = false;
    await expect(gathered.add('m', 3)).resolves.toBe(3);
  });
});
