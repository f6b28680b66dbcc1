import { z } from 'zod';
import { ParticipantId } from './common';
import { PresentationId } from './presentations';
import { RATES } from './rules';
import { defineSlice } from './slice';
import type { MeetingState } from './meeting';

// Annotations: shapes drawn over a presentation's page, in the page's own coordinates (points
// of the page as pdf.js shows it, rotation included, origin top-left), so they stay in place at
// any zoom, pan or window size.

/** Limits of the whiteboard, checked by the schemas and the fold's callers alike. */
export const WHITEBOARD_LIMITS = {
  pointsPerStroke: 10_000,
  /** New points of a stroke in progress sent at once (one frame's worth, with room to catch up). */
  pointsPerDraft: 500,
  textLength: 2_000,
  shapesPerPage: 5_000,
  /** Shapes in one add (an undone "clear mine" comes back in a few commands). */
  shapesPerCommand: 200,
  idsPerCommand: 500,
  /** Page coordinates stay within this of the page (a shape may stick out a little). */
  coordinate: 100_000,
  /**
   * A page as a whole: its points (what every client draws on turning to it) and its bytes as
   * stored and sent. A full board is some 2,000 shapes, most of them strokes of 40–50 points
   * (at the 0.01-point precision clients send, 12–15 bytes a point).
   */
  pointsPerPage: 100_000,
  bytesPerPage: 1280 * 1024,
  /**
   * Every page of a meeting together: what a late joiner's snapshot carries, so that a
   * full-but-legal meeting's snapshot stays under 2 MB.
   */
  bytesPerMeeting: 1792 * 1024,
  /**
   * Ink one participant may add, in bytes: a whole page at once (an undone "clear all"), then
   * 16 KB a second, several times a quick drawer's pace. It bounds how fast anyone grows the log.
   */
  ink: { burst: 1280 * 1024, perSecond: 16 * 1024 },
} as const;

/** A shape's id, chosen by its author's client (so a stroke in progress and its end share it). */
export const ShapeId = z.string().regex(/^[A-Za-z0-9_-]{8,40}$/, 'an id of 8 to 40 letters, digits, - or _');
const Coordinate = z.number().min(-WHITEBOARD_LIMITS.coordinate).max(WHITEBOARD_LIMITS.coordinate);
/** x, y, and the pen's pressure (0–1) where the device gives it. */
export const Point = z.union([
  z.tuple([Coordinate, Coordinate]),
  z.tuple([Coordinate, Coordinate, z.number().min(0).max(1)]),
]);
export type Point = z.infer<typeof Point>;

/** Drawn from the points the pointer went through. */
export const STROKE_KINDS = ['pencil', 'highlighter'] as const;
/**
 * Drawn between two corners (or ends). A chart is a poll's published results: the server adds
 * it, no tool draws one; once there it moves, resizes and erases like any shape.
 */
export const BOX_KINDS = ['line', 'arrow', 'rectangle', 'ellipse', 'triangle', 'text', 'note', 'chart'] as const;
export const ShapeKind = z.enum([...STROKE_KINDS, ...BOX_KINDS]);
export type ShapeKind = z.infer<typeof ShapeKind>;
export const isStroke = (k: ShapeKind) => (STROKE_KINDS as readonly string[]).includes(k);

/**
 * What a chart shows: a title, one bar per answer and how many people answered. Percentages are
 * of `responders`, not of the bars' sum: where several answers may be chosen they add up past 100 %.
 */
export const ChartData = z
  .object({
    title: z.string().max(300),
    bars: z
      .array(z.object({ label: z.string().max(200), count: z.number().int().min(0).max(1_000_000) }).strict())
      .min(1)
      .max(12),
    responders: z.number().int().min(0).max(1_000_000),
  })
  .strict();
export type ChartData = z.infer<typeof ChartData>;

/** The palette every client offers (a fixed list: shapes look the same everywhere, and print). */
export const COLOURS = [
  '#1e1e1e',
  '#e03131',
  '#f08c00',
  '#2f9e44',
  '#1971c2',
  '#9c36b5',
  '#ffffff',
  '#ffd43b',
] as const;
export const Colour = z.enum(COLOURS);
export type Colour = z.infer<typeof Colour>;

export const Shape = z
  .object({
    id: ShapeId,
    kind: ShapeKind,
    points: z.array(Point).min(1).max(WHITEBOARD_LIMITS.pointsPerStroke),
    colour: Colour,
    /** Line thickness in page points (text and notes: the font size). */
    size: z.number().min(0.5).max(144),
    fill: z.boolean(),
    text: z.string().max(WHITEBOARD_LIMITS.textLength).optional(),
    /** A chart's data (and only a chart's). */
    chart: ChartData.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!isStroke(s.kind) && s.points.length !== 2) {
      ctx.addIssue({ code: 'custom', message: `a ${s.kind} has exactly two points`, path: ['points'] });
    }
    if ((s.kind === 'text' || s.kind === 'note') !== (s.text !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'only text and notes carry text, and they must', path: ['text'] });
    }
    if ((s.kind === 'chart') !== (s.chart !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'only a chart carries chart data, and it must', path: ['chart'] });
    }
    if (s.chart?.bars.some((b) => b.count > s.chart!.responders)) {
      ctx.addIssue({ code: 'custom', message: 'a bar counts at most the responders', path: ['chart', 'bars'] });
    }
    // Its background is white: white bars and edges would not show.
    if (s.kind === 'chart' && s.colour === '#ffffff') {
      ctx.addIssue({ code: 'custom', message: 'a chart is drawn in a colour other than white', path: ['colour'] });
    }
  });
export type Shape = z.infer<typeof Shape>;

/** A shape as kept: with the participant who drew it. */
export const Annotation = z.object({ ...Shape.shape, author: ParticipantId });
export type Annotation = z.infer<typeof Annotation>;

/** The shape of an annotation, without who drew it (what commands carry). */
export function shapeOf(a: Annotation | Shape): Shape {
  const shape: Partial<Annotation> = { ...a };
  delete shape.author;
  return shape as Shape;
}

/** Where annotations live: a page of a presentation of the meeting. */
const Where = { presentationId: PresentationId, page: z.number().int().positive() };
export const pageKey = (presentationId: string, page: number) => `${presentationId}/${page}`;

// Commands

export const AnnotationAdd = z
  .object({
    type: z.literal('annotation.add'),
    ...Where,
    shapes: z.array(Shape).min(1).max(WHITEBOARD_LIMITS.shapesPerCommand),
  })
  .strict();
/** Moves, resizes or retypes one's shape (the presenter and moderators: anyone's); the id stays. */
export const AnnotationUpdate = z.object({ type: z.literal('annotation.update'), ...Where, shape: Shape }).strict();
export const AnnotationRemove = z
  .object({
    type: z.literal('annotation.remove'),
    ...Where,
    ids: z.array(ShapeId).min(1).max(WHITEBOARD_LIMITS.idsPerCommand),
  })
  .strict();
export const AnnotationClearMine = z.object({ type: z.literal('annotation.clear-mine'), ...Where }).strict();
export const AnnotationClearAll = z.object({ type: z.literal('annotation.clear-all'), ...Where }).strict();
/** Multi-user mode: everyone draws (viewers subject to the whiteboard lock), not only the presenter. */
export const WhiteboardSetMultiUser = z
  .object({ type: z.literal('whiteboard.set-multi-user'), enabled: z.boolean() })
  .strict();

// Events

export const AnnotationsAdded = z.object({
  type: z.literal('annotations.added'),
  ...Where,
  annotations: z.array(Annotation),
});
export const AnnotationUpdated = z.object({ type: z.literal('annotation.updated'), ...Where, shape: Shape });
export const AnnotationsRemoved = z.object({ type: z.literal('annotations.removed'), ...Where, ids: z.array(ShapeId) });
/** Clears a page: everyone's annotations (`author` null) or one author's. */
export const AnnotationsCleared = z.object({
  type: z.literal('annotations.cleared'),
  ...Where,
  author: ParticipantId.nullable(),
});
export const WhiteboardMultiUserChanged = z.object({
  type: z.literal('whiteboard.multi-user-changed'),
  enabled: z.boolean(),
});

export const WhiteboardState = z.object({
  whiteboard: z
    .object({
      multiUser: z.boolean(),
      /** Annotations by page (`pageKey`), in drawing order. */
      pages: z.record(z.string(), z.array(Annotation)),
    })
    .default(() => ({ multiUser: false, pages: {} })),
});
export type Whiteboard = z.infer<typeof WhiteboardState>['whiteboard'];

type WhiteboardEvent =
  | z.infer<typeof AnnotationsAdded>
  | z.infer<typeof AnnotationUpdated>
  | z.infer<typeof AnnotationsRemoved>
  | z.infer<typeof AnnotationsCleared>
  | z.infer<typeof WhiteboardMultiUserChanged>;

/** The annotations of a page, in drawing order. */
export function annotationsOf(w: Whiteboard, presentationId: string, page: number): Annotation[] {
  return w.pages[pageKey(presentationId, page)] ?? [];
}

/** What a shape weighs: its bytes as JSON (UTF-8), as it is stored, sent and kept, and its points. */
export interface InkWeight {
  bytes: number;
  points: number;
}
const utf8 = new TextEncoder();
// Annotations and pages are never changed in place (the fold makes new ones), so their weights
// are kept beside them: checking a page of 5,000 shapes costs lookups, not 5,000 encodings.
const weights = new WeakMap<object, InkWeight>();

export function shapeWeight(s: Shape | Annotation): InkWeight {
  let w = weights.get(s);
  if (!w) weights.set(s, (w = { bytes: utf8.encode(JSON.stringify(s)).length, points: s.points.length }));
  return w;
}

export function pageWeight(annotations: readonly Annotation[]): InkWeight {
  let w = weights.get(annotations);
  if (!w) {
    w = { bytes: 0, points: 0 };
    for (const a of annotations) {
      const one = shapeWeight(a);
      w.bytes += one.bytes;
      w.points += one.points;
    }
    weights.set(annotations, w);
  }
  return w;
}

/** Bytes of every annotation of the meeting, all pages together. */
export function whiteboardBytes(w: Whiteboard): number {
  let bytes = 0;
  for (const page of Object.values(w.pages)) bytes += pageWeight(page).bytes;
  return bytes;
}

/**
 * Why a page that went from `before` to `after` breaks the whiteboard's limits, or null. Only
 * growth is refused: a change that makes an over-full page lighter (limits lowered since) passes.
 */
export function inkOverflow(
  w: Whiteboard,
  before: readonly Annotation[],
  after: readonly Annotation[],
): 'page-points' | 'page-bytes' | 'meeting-bytes' | null {
  const [was, now] = [pageWeight(before), pageWeight(after)];
  if (now.points > WHITEBOARD_LIMITS.pointsPerPage && now.points > was.points) return 'page-points';
  if (now.bytes > WHITEBOARD_LIMITS.bytesPerPage && now.bytes > was.bytes) return 'page-bytes';
  if (now.bytes > was.bytes && whiteboardBytes(w) - was.bytes + now.bytes > WHITEBOARD_LIMITS.bytesPerMeeting)
    return 'meeting-bytes';
  return null;
}

/** The whiteboard's fold: pure, the unit of every shape operation. */
export function foldWhiteboard(w: Whiteboard, e: WhiteboardEvent): Whiteboard {
  if (e.type === 'whiteboard.multi-user-changed') return { ...w, multiUser: e.enabled };
  const key = pageKey(e.presentationId, e.page);
  const before = w.pages[key] ?? [];
  const set = (after: Annotation[]) => {
    const pages = { ...w.pages };
    if (after.length) pages[key] = after;
    else delete pages[key];
    return { ...w, pages };
  };
  switch (e.type) {
    case 'annotations.added': {
      const taken = new Set(before.map((a) => a.id));
      return set([...before, ...e.annotations.filter((a) => !taken.has(a.id))]);
    }
    case 'annotation.updated':
      return set(before.map((a) => (a.id === e.shape.id ? { ...e.shape, author: a.author } : a)));
    case 'annotations.removed': {
      const gone = new Set(e.ids);
      return set(before.filter((a) => !gone.has(a.id)));
    }
    case 'annotations.cleared':
      return set(e.author ? before.filter((a) => a.author !== e.author) : []);
  }
}

/** Whether this participant may draw now: the presenter always, anyone in multi-user mode. */
export function isDrawer(state: Pick<MeetingState, 'presenterId' | 'whiteboard'>, participantId: string): boolean {
  return state.presenterId === participantId || state.whiteboard.multiUser;
}

// Drawing: the presenter, or anyone in multi-user mode; a viewer other than the presenter is
// subject to the whiteboard lock; moving or erasing someone else's shape is the presenter's and
// moderators' alone.
const draw = {
  who: 'drawer',
  rate: RATES.drawing,
  lock: (_command: unknown, _context: unknown, actor: { presenter: boolean }) =>
    actor.presenter ? null : 'whiteboard',
  others: 'presenter-or-moderator',
} as const;

export const whiteboard = defineSlice({
  commands: [
    AnnotationAdd,
    AnnotationUpdate,
    AnnotationRemove,
    AnnotationClearMine,
    AnnotationClearAll,
    WhiteboardSetMultiUser,
  ],
  events: [AnnotationsAdded, AnnotationUpdated, AnnotationsRemoved, AnnotationsCleared, WhiteboardMultiUserChanged],
  permissions: {
    'annotation.add': draw,
    // A control may ask before the shape exists (a partial command): nothing aimed at yet.
    'annotation.update': {
      ...draw,
      targets: (c, ctx) => [ctx.annotationAuthor(c.presentationId, c.page, (c.shape as Shape | undefined)?.id ?? '')],
    },
    'annotation.remove': {
      ...draw,
      targets: (c, ctx) =>
        ((c.ids as string[] | undefined) ?? []).map((id) => ctx.annotationAuthor(c.presentationId, c.page, id)),
    },
    'annotation.clear-mine': draw,
    'annotation.clear-all': { who: 'presenter-or-moderator', rate: RATES.moderation },
    'whiteboard.set-multi-user': { who: 'presenter-or-moderator', rate: RATES.moderation },
  },
  fold: (state, e) => ({ ...state, whiteboard: foldWhiteboard(state.whiteboard, e) }),
});

// Live (never logged): a stroke while it is drawn, and cursors.

/**
 * Part of a shape being drawn: its points from `offset` on (a stroke grows by its new points;
 * other shapes are sent whole, offset 0). Its finished form is the logged `annotation.add`.
 */
export const AnnotationDraft = z
  .object({ ...Where, offset: z.number().int().min(0).max(WHITEBOARD_LIMITS.pointsPerStroke), shape: Shape })
  .strict()
  // A frame's worth of new points, not a whole stroke: relayed to every client, so kept small.
  .refine((d) => d.shape.points.length <= WHITEBOARD_LIMITS.pointsPerDraft, {
    message: `at most ${WHITEBOARD_LIMITS.pointsPerDraft} points in one draft`,
    path: ['shape', 'points'],
  });
export const AnnotationDraftRelay = z.object({
  from: ParticipantId,
  ...Where,
  offset: z.number().int(),
  shape: Shape,
});
export type AnnotationDraftRelay = z.infer<typeof AnnotationDraftRelay>;

/** Where a drawer's pointer is on the page (null: gone); `laser` shows it as the fading laser pointer. */
export const WhiteboardCursor = z
  .object({ ...Where, point: z.tuple([Coordinate, Coordinate]).nullable(), laser: z.boolean() })
  .strict();
export const WhiteboardCursorRelay = z.object({
  from: ParticipantId,
  ...Where,
  point: z.tuple([z.number(), z.number()]).nullable(),
  laser: z.boolean(),
});
export type WhiteboardCursorRelay = z.infer<typeof WhiteboardCursorRelay>;
