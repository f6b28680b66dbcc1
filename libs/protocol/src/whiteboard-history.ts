import type { CommandOf } from './meeting';
import { shapeOf, WHITEBOARD_LIMITS, type Annotation, type Shape } from './whiteboard';

// Undo and redo of one's own whiteboard actions. Each participant keeps their own history (in
// their browser); undoing sends ordinary commands, computed against the page as it is now, so
// an action someone else has already undone (the presenter erased my shape) is skipped, never
// forced back.

interface Where {
  presentationId: string;
  page: number;
}

/** One's own action, as it can be undone. */
export type WhiteboardAction =
  | (Where & { kind: 'add'; shapes: Shape[] })
  | (Where & { kind: 'remove'; shapes: Shape[] })
  | (Where & { kind: 'update'; before: Shape; after: Shape });

export interface History {
  done: WhiteboardAction[];
  undone: WhiteboardAction[];
}

export const EMPTY_HISTORY: History = { done: [], undone: [] };
/** How many actions are kept to undo. */
export const HISTORY_DEPTH = 100;

/** A new action: it can be undone, and what was undone can no longer be redone. */
export function record(h: History, action: WhiteboardAction): History {
  return { done: [...h.done, action].slice(-HISTORY_DEPTH), undone: [] };
}

type AnnotationCommand = CommandOf<'annotation.add'> | CommandOf<'annotation.remove'> | CommandOf<'annotation.update'>;

const strip = shapeOf;

/** The commands that apply `action` to a page holding `current` (skipping what is already so). */
export function applyCommands(action: WhiteboardAction, current: readonly Annotation[]): AnnotationCommand[] {
  const where = { presentationId: action.presentationId, page: action.page };
  const on = new Map(current.map((a) => [a.id, a]));
  switch (action.kind) {
    case 'add': {
      const missing = action.shapes.filter((s) => !on.has(s.id)).map(strip);
      const out: AnnotationCommand[] = [];
      for (let i = 0; i < missing.length; i += WHITEBOARD_LIMITS.shapesPerCommand) {
        out.push({
          type: 'annotation.add',
          ...where,
          shapes: missing.slice(i, i + WHITEBOARD_LIMITS.shapesPerCommand),
        });
      }
      return out;
    }
    case 'remove': {
      const present = action.shapes.filter((s) => on.has(s.id)).map((s) => s.id);
      const out: AnnotationCommand[] = [];
      for (let i = 0; i < present.length; i += WHITEBOARD_LIMITS.idsPerCommand) {
        out.push({ type: 'annotation.remove', ...where, ids: present.slice(i, i + WHITEBOARD_LIMITS.idsPerCommand) });
      }
      return out;
    }
    case 'update':
      return on.has(action.after.id) ? [{ type: 'annotation.update', ...where, shape: strip(action.after) }] : [];
  }
}

/** The action that undoes `action`. */
export function inverse(action: WhiteboardAction): WhiteboardAction {
  switch (action.kind) {
    case 'add':
      return { ...action, kind: 'remove' };
    case 'remove':
      return { ...action, kind: 'add' };
    case 'update':
      return { ...action, before: action.after, after: action.before };
  }
}

/** Undoing the last action: the commands to send (against the page it happened on) and the new history. */
export function undo(
  h: History,
  pageOf: (where: Where) => readonly Annotation[],
): { history: History; commands: AnnotationCommand[] } | null {
  const last = h.done.at(-1);
  if (!last) return null;
  return {
    history: { done: h.done.slice(0, -1), undone: [...h.undone, last] },
    commands: applyCommands(inverse(last), pageOf(last)),
  };
}

/** Redoing the last undone action. */
export function redo(
  h: History,
  pageOf: (where: Where) => readonly Annotation[],
): { history: History; commands: AnnotationCommand[] } | null {
  const last = h.undone.at(-1);
  if (!last) return null;
  return {
    history: { done: [...h.done, last], undone: h.undone.slice(0, -1) },
    commands: applyCommands(last, pageOf(last)),
  };
}
