import { getStroke } from 'perfect-freehand';
import type { Point, Shape } from './whiteboard';

// How annotations look, as SVG path data in page coordinates: the browser draws these paths and
// the annotated PDF export draws the same ones, so a shape looks alike on screen and on paper.

/** A highlighter is a wide, see-through marker. */
export const HIGHLIGHTER_OPACITY = 0.35;
const HIGHLIGHTER_WIDTH = 4;

const round = (n: number) => Math.round(n * 100) / 100;

/** The closed outline of a freehand stroke (perfect-freehand), as path data to fill. */
export function strokeOutline(shape: Pick<Shape, 'kind' | 'points' | 'size'>, complete = true): string {
  const highlighter = shape.kind === 'highlighter';
  const pressure = !highlighter && shape.points.some((p) => p.length === 3);
  const outline = getStroke(
    shape.points.map((p) => (p.length === 3 ? [p[0], p[1], p[2]] : [p[0], p[1]])),
    {
      size: shape.size * (highlighter ? HIGHLIGHTER_WIDTH : 1),
      thinning: highlighter ? 0 : pressure ? 0.6 : 0.5,
      smoothing: 0.5,
      streamline: 0.5,
      simulatePressure: !pressure && !highlighter,
      last: complete,
      start: { cap: true },
      end: { cap: true },
    },
  );
  if (outline.length < 2) return '';
  // Quadratic curves through the outline's midpoints: smooth, and a few times fewer bytes than a polygon.
  const first = outline[0];
  let d = `M${round(first[0])} ${round(first[1])}Q`;
  for (let i = 0; i < outline.length; i++) {
    const a = outline[i];
    const b = outline[(i + 1) % outline.length];
    d += `${round(a[0])} ${round(a[1])} ${round((a[0] + b[0]) / 2)} ${round((a[1] + b[1]) / 2)} `;
  }
  return `${d.trimEnd()}Z`;
}

/** The box between two corners, whichever way it was drawn. */
export function box(points: readonly Point[]): { x: number; y: number; width: number; height: number } {
  const [a, b] = [points[0], points[points.length - 1]];
  return {
    x: Math.min(a[0], b[0]),
    y: Math.min(a[1], b[1]),
    width: Math.abs(b[0] - a[0]),
    height: Math.abs(b[1] - a[1]),
  };
}

/**
 * The path of a geometric shape: line, arrow (with its head), rectangle, ellipse (four arcs as
 * cubic curves, which PDF draws natively) and triangle (apex at the top middle).
 */
export function shapePath(shape: Pick<Shape, 'kind' | 'points' | 'size'>): string {
  const [a, b] = [shape.points[0], shape.points[shape.points.length - 1]];
  const { x, y, width: w, height: h } = box(shape.points);
  const p = (n: number) => round(n);
  switch (shape.kind) {
    case 'line':
      return `M${p(a[0])} ${p(a[1])}L${p(b[0])} ${p(b[1])}`;
    case 'arrow': {
      const angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
      const head = Math.max(shape.size * 4, 8);
      const left = [b[0] - head * Math.cos(angle - Math.PI / 7), b[1] - head * Math.sin(angle - Math.PI / 7)];
      const right = [b[0] - head * Math.cos(angle + Math.PI / 7), b[1] - head * Math.sin(angle + Math.PI / 7)];
      return (
        `M${p(a[0])} ${p(a[1])}L${p(b[0])} ${p(b[1])}` +
        `M${p(left[0])} ${p(left[1])}L${p(b[0])} ${p(b[1])}L${p(right[0])} ${p(right[1])}`
      );
    }
    case 'rectangle':
    case 'note':
    case 'text':
      return `M${p(x)} ${p(y)}H${p(x + w)}V${p(y + h)}H${p(x)}Z`;
    case 'triangle':
      return `M${p(x + w / 2)} ${p(y)}L${p(x + w)} ${p(y + h)}L${p(x)} ${p(y + h)}Z`;
    case 'ellipse': {
      // Four Bézier quarter arcs (kappa ≈ 0.5523).
      const rx = w / 2;
      const ry = h / 2;
      const cx = x + rx;
      const cy = y + ry;
      const k = 0.5523;
      return (
        `M${p(cx + rx)} ${p(cy)}` +
        `C${p(cx + rx)} ${p(cy + k * ry)} ${p(cx + k * rx)} ${p(cy + ry)} ${p(cx)} ${p(cy + ry)}` +
        `C${p(cx - k * rx)} ${p(cy + ry)} ${p(cx - rx)} ${p(cy + k * ry)} ${p(cx - rx)} ${p(cy)}` +
        `C${p(cx - rx)} ${p(cy - k * ry)} ${p(cx - k * rx)} ${p(cy - ry)} ${p(cx)} ${p(cy - ry)}` +
        `C${p(cx + k * rx)} ${p(cy - ry)} ${p(cx + rx)} ${p(cy - k * ry)} ${p(cx + rx)} ${p(cy)}Z`
      );
    }
    case 'pencil':
    case 'highlighter':
      return strokeOutline(shape);
  }
}

/** Whether a shape is drawn as a filled outline (strokes) rather than a stroked path. */
export const isFilledOutline = (kind: Shape['kind']) => kind === 'pencil' || kind === 'highlighter';

/** The bounds of a shape, for hit-testing, selection and erasing. */
export function bounds(shape: Pick<Shape, 'kind' | 'points' | 'size'>): {
  x: number;
  y: number;
  width: number;
  height: number;
} {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of shape.points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const pad = shape.kind === 'text' || shape.kind === 'note' ? 0 : shape.size;
  return { x: minX - pad, y: minY - pad, width: maxX - minX + 2 * pad, height: maxY - minY + 2 * pad };
}

/** The distance from a point to a shape's drawn line (0 inside a filled or text box). */
export function distanceTo(shape: Pick<Shape, 'kind' | 'points' | 'size' | 'fill'>, x: number, y: number): number {
  const seg = (a: readonly number[], b: readonly number[]) => {
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = dx * dx + dy * dy;
    const t = len ? Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len)) : 0;
    return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
  };
  const b = box(shape.points);
  const inside = x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height;
  switch (shape.kind) {
    case 'pencil':
    case 'highlighter': {
      if (shape.points.length === 1) return Math.hypot(x - shape.points[0][0], y - shape.points[0][1]);
      let d = Infinity;
      for (let i = 1; i < shape.points.length; i++) d = Math.min(d, seg(shape.points[i - 1], shape.points[i]));
      return d;
    }
    case 'line':
    case 'arrow':
      return seg(shape.points[0], shape.points[1]);
    case 'text':
    case 'note':
      return inside ? 0 : Math.min(...edges(b).map(([p, q]) => seg(p, q)));
    case 'rectangle':
    case 'triangle': {
      const corners =
        shape.kind === 'rectangle'
          ? edges(b)
          : ([
              [
                [b.x + b.width / 2, b.y],
                [b.x + b.width, b.y + b.height],
              ],
              [
                [b.x + b.width, b.y + b.height],
                [b.x, b.y + b.height],
              ],
              [
                [b.x, b.y + b.height],
                [b.x + b.width / 2, b.y],
              ],
            ] as [number[], number[]][]);
      return shape.fill && inside ? 0 : Math.min(...corners.map(([p, q]) => seg(p, q)));
    }
    case 'ellipse': {
      const rx = b.width / 2 || 1e-9;
      const ry = b.height / 2 || 1e-9;
      const nx = (x - b.x - rx) / rx;
      const ny = (y - b.y - ry) / ry;
      const r = Math.hypot(nx, ny);
      if (shape.fill && r <= 1) return 0;
      // Approximately: the radial gap scaled back to page units.
      return Math.abs(r - 1) * Math.min(rx, ry);
    }
  }
}

function edges(b: { x: number; y: number; width: number; height: number }): [number[], number[]][] {
  const tl = [b.x, b.y];
  const tr = [b.x + b.width, b.y];
  const br = [b.x + b.width, b.y + b.height];
  const bl = [b.x, b.y + b.height];
  return [
    [tl, tr],
    [tr, br],
    [br, bl],
    [bl, tl],
  ];
}

/** A shape moved by (dx, dy). */
export function moved<S extends Pick<Shape, 'points'>>(shape: S, dx: number, dy: number): S {
  return {
    ...shape,
    points: shape.points.map((p) =>
      p.length === 3 ? ([p[0] + dx, p[1] + dy, p[2]] as const) : ([p[0] + dx, p[1] + dy] as const),
    ) as Point[],
  };
}

/** A shape scaled so its bounds go from `from` to `to` (resizing by a corner). */
export function resized<S extends Pick<Shape, 'points'>>(
  shape: S,
  from: { x: number; y: number; width: number; height: number },
  to: { x: number; y: number; width: number; height: number },
): S {
  const sx = from.width ? to.width / from.width : 1;
  const sy = from.height ? to.height / from.height : 1;
  const map = (x: number, y: number) => [to.x + (x - from.x) * sx, to.y + (y - from.y) * sy] as const;
  return {
    ...shape,
    points: shape.points.map((p) => {
      const [x, y] = map(p[0], p[1]);
      return p.length === 3 ? ([x, y, p[2]] as const) : ([x, y] as const);
    }) as Point[],
  };
}
