import { getStroke } from 'perfect-freehand';
import type { ChartData, Point, Shape } from './whiteboard';

// How annotations look, as SVG path data in page coordinates: the browser draws these paths and
// the annotated PDF export draws the same ones, so a shape looks alike on screen and on paper.

// Text as both renderers set it (Helvetica): lines 1.25 em apart, the first baseline 0.9 em below
// the top of its box; a note's text 4 pt inside its edges.
export const LINE_HEIGHT = 1.25;
export const BASELINE = 0.9;
export const NOTE_PADDING = 4;
/**
 * Helvetica's average advance, in ems: what fits where the font's own widths are not at hand
 * (the browser lays text out before it is drawn), near enough to what the PDF measures.
 */
export const AVERAGE_ADVANCE = 0.55;

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

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box between two corners, whichever way it was drawn. */
export function box(points: readonly Point[]): Box {
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
    case 'chart':
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
  // Boxes of text have no line to stick out: their size is the type's.
  const pad = shape.kind === 'text' || shape.kind === 'note' || shape.kind === 'chart' ? 0 : shape.size;
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
    case 'chart':
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

// A chart: a poll's published results, laid out here once for both renderers (the browser's SVG
// and the annotated PDF), so they print the same strings at the same places.

/** One line of a chart's text: `y` is its baseline. */
export interface ChartText {
  x: number;
  y: number;
  text: string;
  size: number;
  bold?: boolean;
}

export interface ChartLayout {
  /** White, edged in the shape's colour: the whole box. */
  background: Box;
  /** The title (bold), then each shown row's label and value; ink #1e1e1e. */
  texts: ChartText[];
  /** The bars, in the shape's colour; a bar of 0 is left out. */
  bars: Box[];
}

/** The font size a new chart gets (`chartBox` sizes its box for it). */
export const CHART_FONT_SIZE = 12;
/** A chart's type shrinks to fit its box, down to this; what still does not fit is left out. */
export const CHART_MIN_FONT_SIZE = 6;

// A chart's measures, in ems of its type.
const CHART = {
  padding: 0.5,
  titleGap: 0.25,
  columnGap: 0.5,
  /** A row's height in a new chart: a line and some air. */
  row: 1.75,
  /** The labels' column, as a share of the inner width. */
  labels: 0.35,
  /** The bars keep at least this share of the inner width when the type shrinks for the values. */
  minBars: 0.2,
  /** A bold title's average advance (Helvetica-Bold is wider). */
  boldAdvance: 0.6,
} as const;

const r2 = (n: number) => Math.round(n * 100) / 100;
/** One line of text: whitespace and control characters as single spaces. */
const oneLine = (s: string) => s.replace(/[\s\p{Cc}]+/gu, ' ').trim();

/** A bar's value as both renderers print it: the count and its share of the responders. */
export function chartValue(count: number, responders: number): string {
  const percent = responders > 0 ? Math.round((count / responders) * 100) : 0;
  return `${count} · ${percent} %`;
}

/** The estimated width of a line of Helvetica (by `AVERAGE_ADVANCE`). */
export function textWidth(text: string, size: number, bold = false): number {
  return Array.from(text).length * size * (bold ? CHART.boldAdvance : AVERAGE_ADVANCE);
}

/** A line cut to fit a width, ending in an ellipsis where cut; '' where not even that fits. */
export function fitText(text: string, width: number, size: number, bold = false): string {
  const chars = Array.from(text);
  const fits = Math.floor(width / (size * (bold ? CHART.boldAdvance : AVERAGE_ADVANCE)) + 1e-9);
  if (chars.length <= fits) return text;
  return fits < 2
    ? ''
    : `${chars
        .slice(0, fits - 1)
        .join('')
        .trimEnd()}…`;
}

/**
 * Where a chart's parts go, in page coordinates inside its box: the title on top, then one row
 * per bar (label, bar as long as its count against the largest, value). The rows share the
 * height; a box too small for the shape's font size gets smaller type, down to
 * `CHART_MIN_FONT_SIZE`, and below that what does not fit is left out.
 */
export function chartLayout(shape: Pick<Shape, 'points' | 'size' | 'chart'>): ChartLayout {
  const b = box(shape.points);
  const background = { x: r2(b.x), y: r2(b.y), width: r2(b.width), height: r2(b.height) };
  const chart = shape.chart;
  if (!chart) return { background, texts: [], bars: [] };
  const title = oneLine(chart.title);
  const n = chart.bars.length;
  const values = chart.bars.map((bar) => chartValue(bar.count, chart.responders));
  const valueChars = Math.max(...values.map((v) => Array.from(v).length));

  // The largest type that fits: every row a line high, and the values beside bars of some length.
  const heightEms = 2 * CHART.padding + (title ? LINE_HEIGHT + CHART.titleGap : 0) + n * LINE_HEIGHT;
  const valueShare = 1 - CHART.labels - CHART.minBars;
  const widthEms = (valueChars * AVERAGE_ADVANCE + CHART.columnGap) / valueShare + 2 * CHART.padding;
  const fit = Math.min(b.height / heightEms, b.width / widthEms);
  const size = Math.min(shape.size, Math.max(CHART_MIN_FONT_SIZE, fit));

  const pad = CHART.padding * size;
  const line = LINE_HEIGHT * size;
  const inner = { x: b.x + pad, y: b.y + pad, width: Math.max(0, b.width - 2 * pad) };
  const bottom = b.y + b.height - pad;
  const texts: ChartText[] = [];
  const bars: Box[] = [];
  const say = (x: number, top: number, text: string, bold?: boolean) => {
    if (text) texts.push({ x: r2(x), y: r2(top + BASELINE * size), text, size: r2(size), ...(bold ? { bold } : {}) });
  };

  let top = inner.y;
  if (title) {
    if (top + line > bottom + 1e-9) return { background, texts, bars };
    say(inner.x, top, fitText(title, inner.width, size, true), true);
    top += line + CHART.titleGap * size;
  }

  const room = Math.max(0, bottom - top);
  const rowHeight = n * line <= room + 1e-9 ? room / n : line;
  const shown = Math.min(n, Math.floor(room / rowHeight + 1e-9));
  const gap = CHART.columnGap * size;
  const labelWidth = CHART.labels * inner.width;
  const barX = inner.x + labelWidth;
  const right = inner.x + inner.width;
  const valueWidth = Math.max(...values.map((v) => textWidth(v, size)));
  const barRoom = Math.max(0, right - barX - gap - valueWidth);
  const most = Math.max(...chart.bars.map((bar) => bar.count));
  const thickness = Math.min(rowHeight, Math.max(0.8 * size, Math.min(2 * size, 0.6 * rowHeight)));
  for (let i = 0; i < shown; i++) {
    const { label, count } = chart.bars[i];
    const middle = top + (i + 0.5) * rowHeight;
    const lineTop = middle - line / 2;
    say(inner.x, lineTop, fitText(oneLine(label), labelWidth - gap, size));
    const length = most > 0 ? (barRoom * count) / most : 0;
    if (length > 0) {
      bars.push({ x: r2(barX), y: r2(middle - thickness / 2), width: r2(length), height: r2(thickness) });
    }
    const valueX = barX + length + (length > 0 ? gap : 0);
    say(valueX, lineTop, fitText(values[i], right - valueX, size));
  }
  return { background, texts, bars };
}

/**
 * Where a new chart goes on a page (its size in points): the upper right, 45 % of the page's
 * width, as high as its rows need at `size` (no higher than the page).
 */
export function chartBox(
  bars: ChartData['bars'],
  title: string,
  pageWidth: number,
  pageHeight: number,
  size: number = CHART_FONT_SIZE,
): [Point, Point] {
  const margin = Math.min(pageWidth, pageHeight) * 0.04;
  const titled = oneLine(title) !== '';
  const ems = 2 * CHART.padding + (titled ? LINE_HEIGHT + CHART.titleGap : 0) + bars.length * CHART.row;
  const height = Math.max(0, Math.min(ems * size, pageHeight - 2 * margin));
  const right = pageWidth - margin;
  return [
    [r2(right - pageWidth * 0.45), r2(margin)],
    [r2(right), r2(margin + height)],
  ];
}
