import { z } from 'zod';
import { currentPresentation, type Poll, type PollLanguage, type PollStart } from '@estrade/protocol';
import { CommandRefused, type ClassroomConnection } from '../classroom/connection.svelte';
import type { Confirm } from '../classroom/feedback';
import { i18n, t } from '../i18n/i18n.svelte';
import type { MessageKey } from '../i18n/messages';
import { newReceipt, Receipts, type StoredAnswer } from './receipts';

/**
 * The text and size of every page of a file, as the server's pdf.js read them
 * (GET /api/presentations/:fileId/text): quick polls read the text, a published chart the size.
 */
const PageTexts = z.object({
  pages: z.array(z.string()),
  sizes: z.array(z.object({ width: z.number(), height: z.number() })),
});
type PageTexts = z.infer<typeof PageTexts>;

export type Answer = { choices: number[]; text?: undefined } | { text: string; choices?: undefined };

function tabStorage(): Storage | null {
  try {
    return sessionStorage;
  } catch {
    return null;
  }
}

/**
 * Polls' client side: the presenter's and moderators' actions, a student's answer (with the
 * receipt of an anonymous one, kept in this tab), which panels this person put away, and the
 * pages' text for quick polls. What is shown comes from the meeting state.
 */
export class PollsStore {
  /** Why the last poll action was refused, said in the polls' own panels. */
  notice = $state('');
  /** Pages' texts and sizes, by file, once fetched. */
  pages = $state<Record<string, PageTexts>>({});
  /** Answer panels this person minimised, by poll id. */
  minimised = $state<Record<string, boolean>>({});
  /** Polls whose results panel this page shows (seen running here, or reopened) until closed. */
  watched = $state<Record<string, boolean>>({});
  /** Anonymous answers given from this tab, with their receipts, by poll id. */
  private kept = $state<Record<string, StoredAnswer>>({});
  private readonly receipts: Receipts;
  private readonly loading = new Map<string, Promise<PageTexts | null>>();

  constructor(
    private readonly conn: ClassroomConnection,
    private readonly confirm: Confirm,
    /** Where the text of a file's pages is (a URL carrying the files token). */
    private readonly textUrl: (fileId: string) => string,
    storage: Pick<Storage, 'getItem' | 'setItem' | 'length' | 'key'> | null = tabStorage(),
  ) {
    this.receipts = new Receipts(storage);
    this.kept = this.receipts.all();
  }

  /** This person's answer to a poll: a named one from the state, an anonymous one from this tab. */
  mine(poll: Poll): { choices: number[]; text: string | null } | null {
    if (poll.anonymous) {
      const k = this.kept[poll.id];
      if (!k || (k.choices === undefined && k.text === undefined)) return null;
      return { choices: k.choices ?? [], text: k.text ?? null };
    }
    const a = poll.answers.find((x) => x.participantId === this.conn.you);
    return a ? { choices: a.choices, text: a.text } : null;
  }

  start(command: PollStart) {
    return this.attempt(() => this.conn.send(command));
  }

  /**
   * Sends an answer, or changes the one given. An anonymous answer goes with this tab's receipt,
   * made and kept before it is first sent: if the reply is lost on the way, the receipt still
   * finds the answer the server took (the server then calls a second first answer a conflict).
   */
  answer(poll: Poll, answer: Answer) {
    const body = answer.text !== undefined ? { text: answer.text } : { choices: answer.choices };
    const given = this.mine(poll) !== null;
    if (!poll.anonymous) {
      const type = given ? 'poll.change-answer' : 'poll.answer';
      return this.attempt(() => this.conn.send({ type, pollId: poll.id, ...body }), poll);
    }
    const kept = this.kept[poll.id];
    const receipt = kept?.receipt ?? newReceipt();
    if (!kept) this.keep(poll.id, { receipt });
    return this.attempt(async () => {
      const change = () => this.conn.send({ type: 'poll.change-answer', pollId: poll.id, ...body, receipt });
      if (given) await change();
      else {
        await this.conn.send({ type: 'poll.answer', pollId: poll.id, ...body, receipt }).catch((err: unknown) => {
          // Sent before with this receipt, the reply lost: the answer is there, to be changed.
          if (kept && err instanceof CommandRefused && err.code === 'conflict') return change();
          throw err;
        });
      }
      this.keep(poll.id, { receipt, ...body });
    }, poll);
  }

  stop(poll: Poll) {
    return this.attempt(() => this.conn.send({ type: 'poll.stop', pollId: poll.id }));
  }

  /** Cancels after the person confirms (its answers are not kept); false when they change their mind. */
  async cancel(poll: Poll) {
    if (!this.confirm(t('polls.cancelConfirm'))) return false;
    return this.attempt(() => this.conn.send({ type: 'poll.cancel', pollId: poll.id }));
  }

  /** Publishes in this person's language, with the size of the page on screen if it is known. */
  async publish(poll: Poll, lang: PollLanguage) {
    const pageSize = await this.pageSizeOf();
    return this.attempt(() =>
      this.conn.send({ type: 'poll.publish', pollId: poll.id, lang, ...(pageSize ? { pageSize } : {}) }),
    );
  }

  minimise(pollId: string, minimised: boolean) {
    this.minimised = { ...this.minimised, [pollId]: minimised };
  }

  /** Shows a poll's results panel (again). */
  watch(pollId: string) {
    if (!this.watched[pollId]) this.watched = { ...this.watched, [pollId]: true };
  }

  closeResults(pollId: string) {
    this.watched = { ...this.watched, [pollId]: false };
  }

  /** The text and size of a file's pages, fetched once (again later if it was not ready). */
  loadPages(fileId: string): Promise<PageTexts | null> {
    if (this.pages[fileId]) return Promise.resolve(this.pages[fileId]);
    let loading = this.loading.get(fileId);
    if (!loading) {
      loading = fetch(this.textUrl(fileId))
        .then(async (r) => (r.ok ? PageTexts.parse(await r.json()) : null))
        .catch(() => null)
        .then((texts) => {
          this.loading.delete(fileId);
          if (texts) this.pages = { ...this.pages, [fileId]: texts };
          return texts;
        });
      this.loading.set(fileId, loading);
    }
    return loading;
  }

  /** The size in points of the page on screen, where the server puts the chart, if it can be had. */
  async pageSizeOf(): Promise<{ width: number; height: number } | null> {
    const shown = this.conn.state && currentPresentation(this.conn.state.slides);
    if (!shown) return null;
    const size = (await this.loadPages(shown.fileId))?.sizes[shown.page - 1];
    return size && size.width >= 1 && size.height >= 1 ? size : null;
  }

  private keep(pollId: string, entry: StoredAnswer) {
    this.kept = { ...this.kept, [pollId]: entry };
    this.receipts.set(pollId, entry);
  }

  /** Runs a command; a refusal is said in the polls' panels, in words that fit polls. */
  private async attempt(action: () => Promise<unknown>, answering?: Poll): Promise<boolean> {
    this.notice = '';
    try {
      await action();
      return true;
    } catch (err) {
      this.notice = this.refusal(err, answering);
      return false;
    }
  }

  private refusal(err: unknown, answering?: Poll): string {
    if (!(err instanceof CommandRefused)) return i18n.error('internal');
    if (answering && err.code === 'conflict') {
      const now = this.conn.state?.polls.find((p) => p.id === answering.id);
      const key: MessageKey = now?.status === 'running' ? 'polls.conflict' : 'polls.ended';
      return t(key);
    }
    return i18n.error(err.code);
  }
}
