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

  constructor(private readonly decideAll: (meetingId: string, items: T[]) => Promise<(R | Error)[]>) {}

  add(meetingId: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let gathering = this.open.get(meetingId);
      if (!gathering) {
        this.open.set(meetingId, (gathering = []));
        const taken = gathering;
        const run = (this.deciding.get(meetingId) ?? Promise.resolve()).then(async () => {
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
        void run.then(() => this.deciding.get(meetingId) === run && this.deciding.delete(meetingId));
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
