/**
 * Work that runs at most `at` at a time; the rest waits its turn in arrival order, and past
 * `queue` waiting is refused at once with `refuse()` (say a CommandError `busy`): a class
 * uploading twenty decks at once waits in a bounded line instead of starving the server.
 * A finished piece of work hands its turn straight to the next in line, so a newcomer never
 * slips in ahead of those already waiting.
 */
export class Turns {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly at: number,
    private readonly queue = Infinity,
    private readonly refuse: () => Error = () => new Error('too many waiting'),
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.take();
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private take(): Promise<void> {
    if (this.running < this.at) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queue) return Promise.reject(this.refuse());
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
