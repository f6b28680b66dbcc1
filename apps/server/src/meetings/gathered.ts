/**
 * Requests to a meeting decided together: while one gathering is being decided and written, the
 * next gathers whatever arrives, and is decided as one once that ends. A class joining at once
 * is a few decisions of hundreds of joins each (one copy of the participant list per decision)
 * instead of one per student; a request alone waits for nothing but the one before it.
 *
 * `decideAll` answers each request in order: a value, or an Error that refuses that one only.
 * A thrown error refuses the whole gathering.
 */
export class Gathered<T, R> {
  private readonly open = new Map<string, Waiting<T, R>[]>();
  /** The gathering being decided, per meeting: the next one starts when it ends. */
  private readonly deciding = new Map<string, Promise<void>>();
  /** When each meeting's last gathering was taken (forgotten once nothing is pending). */
  private readonly taken = new Map<string, number>();

  /**
   * `everyMs`: a gathering is taken no sooner than this after the previous one, so requests
   * trickling in one by one under load (each decision copies the participant list) still go
   * several at a time; the first after a quiet moment goes at once.
   */
  constructor(
    private readonly decideAll: (meetingId: string, items: T[]) => Promise<(R | Error)[]>,
    private readonly everyMs = 0,
  ) {}

  add(meetingId: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let gathering = this.open.get(meetingId);
      if (!gathering) {
        this.open.set(meetingId, (gathering = []));
        const taken = gathering;
        const run = (this.deciding.get(meetingId) ?? Promise.resolve()).then(async () => {
          const wait = (this.taken.get(meetingId) ?? -Infinity) + this.everyMs - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          this.taken.set(meetingId, performance.now());
          if (this.open.get(meetingId) === taken) this.open.delete(meetingId);
          try {
            const out = await this.decideAll(
              meetingId,
              taken.map((w) => w.item),
            );
            taken.forEach((w, i) => (out[i] instanceof Error ? w.reject(out[i]) : w.resolve(out[i] as R)));
          } catch (err) {
            for (const w of taken) w.reject(err);
          }
        });
        this.deciding.set(meetingId, run);
        void run.then(() => {
          if (this.deciding.get(meetingId) !== run) return;
          this.deciding.delete(meetingId);
          // Nothing pending: the next request after a quiet moment is decided at once.
          if (!this.open.has(meetingId))
            setTimeout(() => !this.deciding.has(meetingId) && this.taken.delete(meetingId), this.everyMs).unref();
        });
      }
      gathering.push({ item, resolve, reject });
    });
  }
}

interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (err: unknown) => void;
}
