import { Turns } from './turns';

const tick = () => new Promise((r) => setImmediate(r));

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('Turns', () => {
  it('runs at most `at` at once, the others in arrival order', async () => {
    const turns = new Turns(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) => turns.run(async () => (started.push(i), await g.opened, i)));
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1].open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0].open();
    gates[2].open();
    gates[3].open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('gives a freed turn to the one waiting, not to a newcomer', async () => {
    const turns = new Turns(1);
    const first = gate();
    const order: string[] = [];
    const a = turns.run(async () => (order.push('a'), await first.opened));
    const b = turns.run(async () => void order.push('b'));
    await tick();
    first.open();
    await a;
    // Arrives after a finished, before b has had a chance to start.
    const c = turns.run(async () => void order.push('c'));
    await Promise.all([b, c]);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('refuses past the queue, and a failed piece of work frees its turn', async () => {
    const turns = new Turns(1, 1, () => new Error('busy'));
    const first = gate();
    const a = turns.run(async () => {
      await first.opened;
      throw new Error('broken');
    });
    const b = turns.run(async () => 'b');
    await expect(turns.run(async () => 'c')).rejects.toThrow('busy');
    first.open();
    await expect(a).rejects.toThrow('broken');
    expect(await b).toBe('b');
    expect(await turns.run(async () => 'd')).toBe('d');
  });
});
