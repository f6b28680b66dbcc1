import {
  annotationsOf,
  shapeOf,
  EMPTY_HISTORY,
  pageKey,
  record,
  redo,
  SOCKET,
  undo,
  type Annotation,
  type Colour,
  type History,
  type MeetingState,
  type Shape,
  type ShapeKind,
  WHITEBOARD_LIMITS,
} from '@estrade/protocol';
import { CommandRefused, type ClassroomConnection } from '../classroom/connection.svelte';
import type { Run } from '../classroom/feedback';
import { t } from '../i18n/i18n.svelte';

/** What one draws with: every kind but a chart (a poll's results, which only publishing adds). */
type DrawnKind = Exclude<ShapeKind, 'chart'>;
export type Tool = DrawnKind | 'select' | 'eraser' | 'hand' | 'laser';

/** A tool and its key (shown in its tooltip). */
export const TOOLS: { tool: Tool; key: string }[] = [
  { tool: 'hand', key: 'h' },
  { tool: 'select', key: 'v' },
  { tool: 'pencil', key: 'p' },
  { tool: 'highlighter', key: 'm' },
  { tool: 'line', key: 'l' },
  { tool: 'arrow', key: 'a' },
  { tool: 'rectangle', key: 'r' },
  { tool: 'ellipse', key: 'o' },
  { tool: 'triangle', key: 'g' },
  { tool: 'text', key: 't' },
  { tool: 'note', key: 'n' },
  { tool: 'eraser', key: 'e' },
  { tool: 'laser', key: 'k' },
];

export const SIZES = [2, 4, 8, 16] as const;
export const FONT_SIZES = [14, 20, 28, 40] as const;

export interface Where {
  presentationId: string;
  page: number;
}

/** Someone else's shape while they draw it. */
export interface Draft {
  from: string;
  key: string;
  shape: Shape;
  at: number;
}

/** Someone's pointer on a page (the laser pointer when `laser`). */
export interface Cursor {
  key: string;
  point: [number, number];
  laser: boolean;
  at: number;
}

/** A draft nobody finished (the drawer left mid-stroke) fades out after this. */
const DRAFT_EXPIRY_MS = 5000;
const CURSOR_EXPIRY_MS = 4000;
/** A finished shape refused as "too fast" is sent again, a little later, up to this many times. */
const RETRIES = 8;

let counter = 0;
/** A shape id: random, so two drawers never collide, and the draft and the finished shape share it. */
export function newShapeId(): string {
  counter = (counter + 1) % 1e6;
  const random = crypto.getRandomValues(new Uint32Array(2));
  return `s${random[0].toString(36)}${random[1].toString(36)}${counter.toString(36)}`.slice(0, 40).padEnd(8, '0');
}

/**
 * The whiteboard's client side: the tool and style in hand, one's own undo history, others'
 * strokes in progress and pointers (live, never logged), and sending what is drawn. Finished
 * shapes are never dropped: one refused as too fast is sent again.
 */
export class WhiteboardStore {
  tool = $state<Tool>('hand');
  colour = $state<Colour>('#e03131');
  size = $state<number>(SIZES[1]);
  fontSize = $state<number>(FONT_SIZES[1]);
  fill = $state(false);
  history = $state<History>(EMPTY_HISTORY);
  drafts = $state<Record<string, Draft>>({});
  cursors = $state<Record<string, Cursor>>({});
  /** Shapes being erased or moved here, hidden until the log confirms. */
  hidden = $state<Record<string, true>>({});

  private pendingDraft: { where: Where; shape: Shape; offset: number } | null = null;
  private pendingCursor: { where: Where; point: [number, number] | null; laser: boolean } | null = null;
  private sentPoints = new Map<string, number>();
  private frame = 0;

  constructor(
    private readonly conn: ClassroomConnection,
    private readonly run: Run,
  ) {}

  private get state(): MeetingState | null {
    return this.conn.state;
  }

  pageOf = (where: Where): Annotation[] =>
    this.state ? annotationsOf(this.state.whiteboard, where.presentationId, where.page) : [];

  start(): () => void {
    const me = () => this.conn.you;
    const offDraft = this.conn.onTransient(SOCKET.annotationDraft, (batch) => {
      const next = { ...this.drafts };
      const now = Date.now();
      for (const d of batch) {
        if (d.from === me()) continue;
        const before = next[d.shape.id];
        const points =
          d.offset === 0 || !before ? d.shape.points : [...before.shape.points.slice(0, d.offset), ...d.shape.points];
        next[d.shape.id] = {
          from: d.from,
          key: pageKey(d.presentationId, d.page),
          shape: { ...d.shape, points },
          at: now,
        };
      }
      this.drafts = next;
    });
    const offCursor = this.conn.onTransient(SOCKET.whiteboardCursor, (batch) => {
      const next = { ...this.cursors };
      const now = Date.now();
      for (const c of batch) {
        if (c.from === me()) continue;
        if (c.point) next[c.from] = { key: pageKey(c.presentationId, c.page), point: c.point, laser: c.laser, at: now };
        else delete next[c.from];
      }
      this.cursors = next;
    });
    // A finished shape replaces its draft; a confirmed erasure or move shows as the log has it.
    const offEvent = this.conn.onEvent(({ event }) => {
      if (event.type === 'annotations.added' && Object.keys(this.drafts).length) {
        const next = { ...this.drafts };
        for (const a of event.annotations) delete next[a.id];
        this.drafts = next;
      }
      if (
        (event.type === 'annotations.removed' || event.type === 'annotation.updated') &&
        Object.keys(this.hidden).length
      ) {
        const next = { ...this.hidden };
        for (const id of event.type === 'annotations.removed' ? event.ids : [event.shape.id]) delete next[id];
        this.hidden = next;
      }
    });
    const sweep = setInterval(() => {
      const now = Date.now();
      const drafts = Object.entries(this.drafts).filter(([, d]) => now - d.at < DRAFT_EXPIRY_MS);
      if (drafts.length !== Object.keys(this.drafts).length) this.drafts = Object.fromEntries(drafts);
      const cursors = Object.entries(this.cursors).filter(([, c]) => now - c.at < CURSOR_EXPIRY_MS);
      if (cursors.length !== Object.keys(this.cursors).length) this.cursors = Object.fromEntries(cursors);
    }, 1000);
    return () => {
      offDraft();
      offCursor();
      offEvent();
      clearInterval(sweep);
      cancelAnimationFrame(this.frame);
    };
  }

  /** The stroke in progress: its new points go out with the next frame (never logged). */
  draft(where: Where, shape: Shape) {
    const sent = this.sentPoints.get(shape.id) ?? 0;
    // Strokes grow: only new points travel. Other shapes change as a whole.
    const offset = shape.kind === 'pencil' || shape.kind === 'highlighter' ? Math.min(sent, shape.points.length) : 0;
    const pending = this.pendingDraft;
    this.pendingDraft = {
      where,
      shape,
      offset: pending && pending.shape.id === shape.id ? Math.min(pending.offset, offset) : offset,
    };
    this.schedule();
  }

  /** Where one's pointer is on the page (null: it left); with the next frame. */
  cursor(where: Where, point: [number, number] | null, laser: boolean) {
    this.pendingCursor = { where, point, laser };
    this.schedule();
  }

  private schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const d = this.pendingDraft;
      if (d) {
        this.pendingDraft = null;
        // Catching up (after a stall) sends the latest points only; the finished shape has them all.
        const from = Math.max(d.offset, d.shape.points.length - WHITEBOARD_LIMITS.pointsPerDraft);
        const points = d.shape.points.slice(from);
        if (points.length) {
          this.conn.transient(SOCKET.annotationDraft, {
            ...d.where,
            offset: from,
            shape: { ...d.shape, points },
          });
          this.sentPoints.set(d.shape.id, d.shape.points.length);
        }
      }
      const c = this.pendingCursor;
      if (c) {
        this.pendingCursor = null;
        this.conn.transient(SOCKET.whiteboardCursor, {
          ...c.where,
          point: c.point && [round(c.point[0]), round(c.point[1])],
          laser: c.laser,
        });
      }
    });
  }

  /** A finished shape: logged, and one's own to undo. */
  async finish(where: Where, shape: Shape) {
    this.sentPoints.delete(shape.id);
    if (this.pendingDraft?.shape.id === shape.id) this.pendingDraft = null;
    const ok = await this.send({ type: 'annotation.add', ...where, shapes: [shape] });
    if (ok) this.history = record(this.history, { kind: 'add', ...where, shapes: [shape] });
  }

  async erase(where: Where, shapes: Annotation[]) {
    if (!shapes.length) return;
    this.hide(shapes.map((s) => s.id));
    const ok = await this.send({ type: 'annotation.remove', ...where, ids: shapes.map((s) => s.id) });
    if (ok) this.history = record(this.history, { kind: 'remove', ...where, shapes: shapes.map(shapeOf) });
    else this.unhide(shapes.map((s) => s.id));
  }

  async change(where: Where, before: Annotation, after: Shape) {
    const ok = await this.send({ type: 'annotation.update', ...where, shape: after });
    if (ok) this.history = record(this.history, { kind: 'update', ...where, before: shapeOf(before), after });
  }

  async clearMine(where: Where) {
    const mine = this.pageOf(where).filter((a) => a.author === this.conn.you);
    if (!mine.length) return;
    const ok = await this.send({ type: 'annotation.clear-mine', ...where });
    if (ok) this.history = record(this.history, { kind: 'remove', ...where, shapes: mine.map(shapeOf) });
  }

  async clearAll(where: Where) {
    await this.send({ type: 'annotation.clear-all', ...where });
  }

  async setMultiUser(enabled: boolean) {
    await this.send({ type: 'whiteboard.set-multi-user', enabled });
  }

  get canUndo() {
    return this.history.done.length > 0;
  }
  get canRedo() {
    return this.history.undone.length > 0;
  }

  async undo() {
    const step = undo(this.history, this.pageOf);
    if (!step) return;
    this.history = step.history;
    for (const c of step.commands) await this.send(c);
  }

  async redo() {
    const step = redo(this.history, this.pageOf);
    if (!step) return;
    this.history = step.history;
    for (const c of step.commands) await this.send(c);
  }

  private hide(ids: string[]) {
    this.hidden = { ...this.hidden, ...Object.fromEntries(ids.map((id) => [id, true as const])) };
  }
  private unhide(ids: string[]) {
    const next = { ...this.hidden };
    for (const id of ids) delete next[id];
    this.hidden = next;
  }

  /** Sends a drawing command; "too fast" waits and tries again, so no finished shape is lost. */
  private async send(command: Parameters<ClassroomConnection['send']>[0]): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.conn.send(command);
        return true;
      } catch (err) {
        if (err instanceof CommandRefused && err.code === 'too_fast' && attempt < RETRIES) {
          await new Promise((r) => setTimeout(r, 150 * (attempt + 1)));
          continue;
        }
        // "Already there": a retry after a lost reply; the shape is in.
        if (err instanceof CommandRefused && err.code === 'conflict' && command.type === 'annotation.add') return true;
        // The page's or the meeting's ink is all used: say so in the whiteboard's words.
        if (err instanceof CommandRefused && err.code === 'too_large') {
          return this.run(() => Promise.reject(new CommandRefused(err.code, err.message, t('whiteboard.full'))));
        }
        return this.run(() => Promise.reject(err));
      }
    }
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
