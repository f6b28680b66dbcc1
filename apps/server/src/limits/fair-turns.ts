import { KeyedQueue } from './keyed-queue';
import type { Turns } from './turns';

/**
 * Turns shared by everyone, taken one at a time per key (a participant): however many pieces of
 * work one participant starts, they hold at most one turn and one place in the shared line, so
 * their flood delays nobody else by more than one piece of work. Past `perKey` waiting, refused.
 */
export class FairTurns {
  private readonly lines: KeyedQueue;

  constructor(
    private readonly turns: Turns,
    perKey: number,
    private readonly refuse: () => Error,
  ) {
    this.lines = new KeyedQueue(perKey);
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.lines.run(key, () => this.turns.run(work)) ?? Promise.reject(this.refuse());
  }
}
