import { emptyMeeting, foldMeeting, type MeetingEvent } from './meeting';
import {
  annotationsOf,
  foldWhiteboard,
  inkOverflow,
  pageWeight,
  shapeWeight,
  whiteboardBytes,
  Shape,
  AnnotationAdd,
  WHITEBOARD_LIMITS,
  type Annotation,
  type Whiteboard,
} from './whiteboard';
import { EMPTY_HISTORY, record, redo, undo, type History } from './whiteboard-history';
import { bounds, distanceTo, moved, resized, shapePath, strokeOutline } from './whiteboard-geometry';

const DECK = '00000000-0000-4000-8000-0000000000d1';
const ME = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';
const where = { presentationId: DECK, page: 2 };
const rect = (id: string, x = 10): Shape => ({
  id,
  kind: 'rectangle',
  points: [
    [x, 10],
    [x + 40, 40],
  ],
  colour: '#e03131',
  size: 3,
  fill: false,
});
const by = (author: string, s: Shape): Annotation => ({ ...s, author });
const EMPTY: Whiteboard = { multiUser: false, pages: {} };
const fold = (w: Whiteboard, ...events: Parameters<typeof foldWhiteboard>[1][]) => events.reduce(foldWhiteboard, w);

describe('the whiteboard fold', () => {
  it('adds shapes to their page in order, ignoring an id already there', () => {
    const w = fold(
      EMPTY,
      { type: 'annotations.added', ...where, annotations: [by(ME, rect('shape-001')), by(OTHER, rect('shape-002'))] },
      { type: 'annotations.added', ...where, annotations: [by(OTHER, rect('shape-001', 99))] },
    );
    expect(annotationsOf(w, DECK, 2).map((a) => [a.id, a.author, a.points[0][0]])).toEqual([
      ['shape-001', ME, 10],
      ['shape-002', OTHER, 10],
    ]);
    expect(annotationsOf(w, DECK, 1)).toEqual([]);
  });

  it('updates a shape in place, keeping its author', () => {
    const w = fold(
      EMPTY,
      { type: 'annotations.added', ...where, annotations: [by(ME, rect('shape-001'))] },
      { type: 'annotation.updated', ...where, shape: rect('shape-001', 200) },
    );
    expect(annotationsOf(w, DECK, 2)).toEqual([by(ME, rect('shape-001', 200))]);
  });

  it('erases whole shapes, clears one author or everyone, and forgets empty pages', () => {
    const added = fold(EMPTY, {
      type: 'annotations.added',
      ...where,
      annotations: [by(ME, rect('shape-001')), by(OTHER, rect('shape-002')), by(ME, rect('shape-003'))],
    });
    const erased = fold(added, { type: 'annotations.removed', ...where, ids: ['shape-003'] });
    expect(annotationsOf(erased, DECK, 2).map((a) => a.id)).toEqual(['shape-001', 'shape-002']);
    const mine = fold(added, { type: 'annotations.cleared', ...where, author: ME });
    expect(annotationsOf(mine, DECK, 2).map((a) => a.id)).toEqual(['shape-002']);
    const all = fold(added, { type: 'annotations.cleared', ...where, author: null });
    expect(all.pages).toEqual({});
  });

  it('is part of the meeting fold, with multi-user mode', () => {
    let state = emptyMeeting(crypto.randomUUID(), 'Salle', new Date(0).toISOString());
    const events: MeetingEvent[] = [
      { type: 'whiteboard.multi-user-changed', enabled: true },
      { type: 'annotations.added', ...where, annotations: [by(ME, rect('shape-001'))] },
    ];
    for (const event of events) state = foldMeeting(state, { at: new Date(0).toISOString(), event });
    expect(state.whiteboard.multiUser).toBe(true);
    expect(annotationsOf(state.whiteboard, DECK, 2)).toHaveLength(1);
  });

  it('keeps a page’s annotations while pages turn and presentations switch, and back', () => {
    const other = '00000000-0000-4000-8000-0000000000d2';
    const added = (id: string) =>
      ({
        type: 'presentation.added',
        presentationId: id,
        fileId: 'a'.repeat(64),
        name: `${id}.pdf`,
        format: 'pdf',
        pages: 3,
        processed: true,
        isDefault: false,
      }) as const;
    const events: MeetingEvent[] = [
      added(DECK),
      { type: 'annotations.added', ...where, annotations: [by(ME, rect('shape-001'))] },
      added(other),
      { type: 'slide.changed', presentationId: other, page: 2 },
      { type: 'annotations.added', presentationId: other, page: 2, annotations: [by(ME, rect('shape-002'))] },
      { type: 'presentation.shown', presentationId: DECK },
      { type: 'slide.changed', presentationId: DECK, page: 1 },
    ];
    let state = emptyMeeting(crypto.randomUUID(), 'Salle', new Date(0).toISOString());
    for (const event of events) state = foldMeeting(state, { at: new Date(0).toISOString(), event });
    expect(annotationsOf(state.whiteboard, DECK, 2).map((a) => a.id)).toEqual(['shape-001']);
    expect(annotationsOf(state.whiteboard, other, 2).map((a) => a.id)).toEqual(['shape-002']);
  });
});

describe('shapes as the protocol accepts them', () => {
  it('accepts every kind in its proper form', () => {
    expect(Shape.safeParse(rect('shape-001')).success).toBe(true);
    const stroke = {
      ...rect('shape-002'),
      kind: 'pencil',
      points: [
        [1, 2, 0.5],
        [3, 4],
        [5, 6, 1],
      ],
    };
    expect(Shape.safeParse(stroke).success).toBe(true);
    expect(Shape.safeParse({ ...rect('shape-003'), kind: 'text', text: 'Bonjour' }).success).toBe(true);
  });

  it.each([
    [
      'NaN',
      {
        ...rect('shape-001'),
        points: [
          [NaN, 1],
          [2, 3],
        ],
      },
    ],
    [
      'infinity',
      {
        ...rect('shape-001'),
        points: [
          [Infinity, 1],
          [2, 3],
        ],
      },
    ],
    [
      'far away',
      {
        ...rect('shape-001'),
        points: [
          [1e9, 1],
          [2, 3],
        ],
      },
    ],
    ['an unknown tool', { ...rect('shape-001'), kind: 'flamethrower' }],
    ['a colour off the palette', { ...rect('shape-001'), colour: 'red' }],
    [
      'a rectangle of three points',
      {
        ...rect('shape-001'),
        points: [
          [1, 1],
          [2, 2],
          [3, 3],
        ],
      },
    ],
    ['text without text', { ...rect('shape-001'), kind: 'text' }],
    ['a rectangle with text', { ...rect('shape-001'), text: 'x' }],
    ['text too long', { ...rect('shape-001'), kind: 'text', text: 'a'.repeat(WHITEBOARD_LIMITS.textLength + 1) }],
    [
      'a stroke too long',
      {
        ...rect('shape-001'),
        kind: 'pencil',
        points: Array.from({ length: WHITEBOARD_LIMITS.pointsPerStroke + 1 }, (_, i) => [i % 500, 1]),
      },
    ],
    ['a bad id', { ...rect('x'), id: '../../etc' }],
    ['an extra field', { ...rect('shape-001'), author: ME }],
    ['a pressure above 1', { ...rect('shape-001'), kind: 'pencil', points: [[1, 1, 2]] }],
  ])('refuses %s', (_name, shape) => {
    expect(Shape.safeParse(shape).success).toBe(false);
  });

  it('takes a stroke of exactly the maximum length, and at most 200 shapes in one add', () => {
    const points = Array.from({ length: WHITEBOARD_LIMITS.pointsPerStroke }, (_, i) => [i % 500, 1]);
    expect(Shape.safeParse({ ...rect('shape-001'), kind: 'pencil', points }).success).toBe(true);
    const shapes = Array.from({ length: WHITEBOARD_LIMITS.shapesPerCommand + 1 }, (_, i) => rect(`shape-${1000 + i}`));
    expect(AnnotationAdd.safeParse({ type: 'annotation.add', ...where, shapes }).success).toBe(false);
  });
});

describe('undo and redo of one’s own actions', () => {
  let page: Annotation[] = [];
  const pageOf = () => page;
  const after = (h: History, step: typeof undo) => {
    const out = step(h, pageOf)!;
    return out;
  };

  it('undoes an added shape by removing it, and redoes it by adding it back', () => {
    page = [by(ME, rect('shape-001'))];
    const h = record(EMPTY_HISTORY, { kind: 'add', ...where, shapes: [rect('shape-001')] });
    const undone = after(h, undo);
    expect(undone.commands).toEqual([{ type: 'annotation.remove', ...where, ids: ['shape-001'] }]);
    page = [];
    const redone = after(undone.history, redo);
    expect(redone.commands).toEqual([{ type: 'annotation.add', ...where, shapes: [rect('shape-001')] }]);
    expect(redone.history.undone).toEqual([]);
  });

  it('skips what someone else already changed: a shape the presenter erased stays erased', () => {
    page = [];
    const h = record(EMPTY_HISTORY, { kind: 'add', ...where, shapes: [rect('shape-001')] });
    expect(after(h, undo).commands).toEqual([]);
  });

  it('undoes an erasure and a move', () => {
    page = [];
    let h = record(EMPTY_HISTORY, { kind: 'remove', ...where, shapes: [rect('shape-001'), rect('shape-002')] });
    expect(after(h, undo).commands).toEqual([
      { type: 'annotation.add', ...where, shapes: [rect('shape-001'), rect('shape-002')] },
    ]);
    page = [by(ME, rect('shape-001', 100))];
    h = record(EMPTY_HISTORY, { kind: 'update', ...where, before: rect('shape-001'), after: rect('shape-001', 100) });
    expect(after(h, undo).commands).toEqual([{ type: 'annotation.update', ...where, shape: rect('shape-001') }]);
  });

  it('brings back a large "clear mine" in commands the protocol accepts', () => {
    page = [];
    const shapes = Array.from({ length: 450 }, (_, i) => rect(`shape-${1000 + i}`));
    const h = record(EMPTY_HISTORY, { kind: 'remove', ...where, shapes });
    const commands = after(h, undo).commands;
    expect(commands.map((c) => (c.type === 'annotation.add' ? c.shapes.length : 0))).toEqual([200, 200, 50]);
    for (const c of commands) expect(AnnotationAdd.safeParse(c).success).toBe(true);
  });

  it('forgets what was undone once something new is done, and has nothing to undo at first', () => {
    const h = record(
      { done: [], undone: [{ kind: 'add', ...where, shapes: [rect('shape-009')] }] },
      { kind: 'add', ...where, shapes: [rect('shape-001')] },
    );
    expect(h.undone).toEqual([]);
    expect(undo(EMPTY_HISTORY, pageOf)).toBeNull();
    expect(redo(EMPTY_HISTORY, pageOf)).toBeNull();
  });
});

describe('geometry', () => {
  it('hit-tests the drawn line, and the inside of filled shapes', () => {
    const r = rect('shape-001');
    expect(distanceTo(r, 10, 25)).toBeCloseTo(0);
    expect(distanceTo(r, 30, 25)).toBeCloseTo(15); // the nearest edges are 15 above and below
    expect(distanceTo({ ...r, fill: true }, 30, 25)).toBe(0);
    const e = { ...r, kind: 'ellipse' as const };
    expect(distanceTo(e, 30, 10)).toBeLessThan(1);
  });

  it('moves and resizes shapes, keeping pressure', () => {
    const s = {
      ...rect('shape-001'),
      kind: 'pencil' as const,
      points: [
        [0, 0, 0.5],
        [10, 10],
      ] as Shape['points'],
    };
    expect(moved(s, 5, -5).points).toEqual([
      [5, -5, 0.5],
      [15, 5],
    ]);
    expect(resized(s, { x: 0, y: 0, width: 10, height: 10 }, { x: 0, y: 0, width: 20, height: 5 }).points).toEqual([
      [0, 0, 0.5],
      [20, 5],
    ]);
  });

  it('draws a smooth closed outline for a stroke, and paths for shapes', () => {
    const stroke = {
      kind: 'pencil' as const,
      size: 4,
      points: [
        [0, 0],
        [50, 20],
        [100, 0],
      ] as Shape['points'],
    };
    expect(strokeOutline(stroke)).toMatch(/^M[\d.-]+ [\d.-]+Q.*Z$/);
    expect(shapePath(rect('shape-001'))).toBe('M10 10H50V40H10Z');
    const b = bounds(stroke);
    expect(b.x).toBeLessThan(0);
    expect(b.x + b.width).toBeGreaterThan(100);
  });
});

describe('what ink weighs', () => {
  const stroke = (id: string, n: number): Annotation =>
    by(ME, {
      id,
      kind: 'pencil',
      points: Array.from({ length: n }, (_, i) => [100 + (i % 300) + 0.25, 200.5 + (i % 7)] as [number, number]),
      colour: '#1e1e1e',
      size: 2,
      fill: false,
    });

  it('weighs a shape as its JSON in UTF-8, and a page as the sum of its shapes', () => {
    const text = by(ME, { ...rect('shape-t01'), kind: 'text', text: 'été' });
    expect(shapeWeight(text).bytes).toBe(Buffer.byteLength(JSON.stringify(text)));
    const page = [stroke('shape-s01', 10), text];
    expect(pageWeight(page)).toEqual({
      bytes: shapeWeight(page[0]).bytes + shapeWeight(text).bytes,
      points: 12,
    });
    const w = fold(EMPTY, { type: 'annotations.added', ...where, annotations: page });
    expect(whiteboardBytes(w)).toBe(pageWeight(page).bytes);
  });

  it('refuses a page past its points or bytes, and a meeting past its bytes, but never a lighter page', () => {
    const full = Array.from({ length: 11 }, (_, i) => stroke(`shape-p${i}0000`, 9_500));
    expect(inkOverflow(EMPTY, [], full)).toBe('page-points');
    // Within the points, over the bytes: texts are heavy for their two points.
    const long = 'x'.repeat(WHITEBOARD_LIMITS.textLength);
    const texts = Array.from({ length: 700 }, (_, i) =>
      by(ME, { ...rect(`shape-x${1000 + i}`), kind: 'text', text: long }),
    );
    expect(inkOverflow(EMPTY, [], texts)).toBe('page-bytes');
    expect(inkOverflow(EMPTY, texts, texts.slice(1))).toBeNull();

    // Several pages, each legal, add up past the meeting's bytes.
    const half = texts.slice(0, 400);
    let w = EMPTY;
    for (const page of [1, 2]) {
      const on = { presentationId: DECK, page };
      expect(inkOverflow(w, [], half)).toBeNull();
      w = fold(w, { type: 'annotations.added', ...on, annotations: half });
    }
    expect(whiteboardBytes(w)).toBeGreaterThan(2 * 800_000);
    expect(inkOverflow(w, [], half)).toBe('meeting-bytes');
    // Growing a page already counted is judged on the meeting's total with the page's new weight.
    const page1 = annotationsOf(w, DECK, 1);
    expect(inkOverflow(w, page1, page1.slice(200))).toBeNull();
  });
});
