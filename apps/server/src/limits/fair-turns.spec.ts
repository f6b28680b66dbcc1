import { FairTurns } from './fair-turns';
import { Turns } from './turns';

const tick = () => new Promise((r) => setImmediate(r));

describe('fair turns', () => {
  it("lets a newcomer start while one key's flood waits in its own line, and refuses that key beyond its bound", async () => {
    const fair = new FairTurns(new Turns(2, 32), 3, () => new Error('too many'));
    const started: string[] = [];
    const release: (() => void)[] = [];
    const work = (name: string) => () =>
      new Promise<string>((r) => {
        started.push(name);
        release.push(() => r(name));
      });
    const flood = [1, 2, 3].map((i) => fair.run('flooder', work(`f${i}`)));
    await expect(fair.run('flooder', work('f4'))).rejects.toThrow('too many');
    const other = fair.run('other', work('o1'));
    await tick();
    // The flooder holds one turn; the other participant got the second at once.
    expect(started).toEqual(['f1', 'o1']);
    release.splice(0).forEach((r) => r());
    expect(await other).toBe('o1');
    await tick();
    expect(started).toEqual(['f1', 'o1', 'f2']);
    for (let i = 0; i < 2; i++) {
      release.splice(0).forEach((r) => r());
      await tick();
    }
    expect(await Promise.all(flood)).toEqual(['f1', 'f2', 'f3']);
  });
});
