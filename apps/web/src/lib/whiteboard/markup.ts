import {
  AVERAGE_ADVANCE,
  BASELINE,
  box,
  chartLayout,
  HIGHLIGHTER_OPACITY,
  isFilledOutline,
  LINE_HEIGHT,
  NOTE_PADDING,
  shapePath,
  strokeOutline,
  type Annotation,
  type Shape,
} from '@estrade/protocol';

// A page's finished annotations as one string of SVG markup: the browser builds 2,000 shapes from
// it far faster than from 2,000 components, which is what makes a page turn quick. Each shape's
// markup is computed once (logged annotations never change: a change is a new object).

const cache = new WeakMap<Annotation, string>();
const FONT = 'Helvetica, Arial, sans-serif';
const INK = '#1e1e1e';

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A note's paper: its colour, much lighter. */
export function paperOf(colour: string): string {
  const n = parseInt(colour.slice(1), 16);
  const mix = (c: number) => Math.round(c + (255 - c) * 0.7);
  return `rgb(${mix(n >> 16)} ${mix((n >> 8) & 255)} ${mix(n & 255)})`;
}

/** The lines of a text wrapped to a width (in points), word by word, breaking words too long for a line. */
export function wrap(text: string, size: number, width: number): string[] {
  const perLine = Math.max(1, Math.floor(width / (size * AVERAGE_ADVANCE)));
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let w = word;
      while (w.length > perLine) {
        if (line) lines.push(line);
        lines.push(w.slice(0, perLine));
        w = w.slice(perLine);
        line = '';
      }
      const next = line ? `${line} ${w}` : w;
      if (next.length > perLine) {
        lines.push(line);
        line = w;
      } else line = next;
    }
    lines.push(line);
  }
  return lines;
}

function text(a: Shape): string {
  const b = box(a.points);
  const pad = a.kind === 'note' ? NOTE_PADDING : 0;
  const lines = wrap(a.text ?? '', a.size, b.width - 2 * pad);
  const fits = Math.max(1, Math.floor((b.height - 2 * pad) / (a.size * LINE_HEIGHT)));
  const x = b.x + pad;
  const spans = lines
    .slice(0, a.kind === 'note' ? fits : lines.length)
    .map(
      (l, i) => `<tspan x="${x}" y="${b.y + pad + a.size * (BASELINE + i * LINE_HEIGHT)}">${escape(l) || ' '}</tspan>`,
    )
    .join('');
  const paper =
    a.kind === 'note'
      ? `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="${paperOf(a.colour)}" stroke="${a.colour}" stroke-width="1"/>`
      : '';
  const ink = a.kind === 'note' ? INK : a.colour;
  return `${paper}<text font-size="${a.size}" fill="${ink}" font-family="${FONT}" xml:space="preserve">${spans}</text>`;
}

/** A poll's results: white paper edged in the shape's colour, bars in it, text in ink (laid out by the protocol). */
function chart(a: Shape): string {
  const { background: b, bars, texts } = chartLayout(a);
  const paper = `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="#ffffff" stroke="${a.colour}" stroke-width="1"/>`;
  const d = bars.map((r) => `M${r.x} ${r.y}h${r.width}v${r.height}h${-r.width}Z`).join('');
  const spans = texts
    .map(
      (t) =>
        `<tspan x="${t.x}" y="${t.y}" font-size="${t.size}"${t.bold ? ' font-weight="bold"' : ''}>${escape(t.text)}</tspan>`,
    )
    .join('');
  return (
    paper +
    (d ? `<path d="${d}" fill="${a.colour}"/>` : '') +
    (spans ? `<text fill="${INK}" font-family="${FONT}" xml:space="preserve">${spans}</text>` : '')
  );
}

/** A shape as SVG markup; `data` names it for tests and tools; a stroke still drawn ends at the pointer. */
export function shapeMarkup(a: Shape, data: string, complete = true): string {
  if (a.kind === 'text' || a.kind === 'note') return `<g ${data}>${text(a)}</g>`;
  if (a.kind === 'chart') return `<g ${data}>${chart(a)}</g>`;
  if (isFilledOutline(a.kind)) {
    // fill-opacity, not opacity: the same look for one filled outline, without a layer of its own to paint.
    const opacity = a.kind === 'highlighter' ? ` fill-opacity="${HIGHLIGHTER_OPACITY}"` : '';
    const d = complete ? shapePath(a) : strokeOutline(a, false);
    return `<path ${data} d="${d}" fill="${a.colour}"${opacity}/>`;
  }
  const fill = a.fill && a.kind !== 'line' && a.kind !== 'arrow' ? a.colour : 'none';
  return `<path ${data} d="${shapePath(a)}" fill="${fill}" stroke="${a.colour}" stroke-width="${a.size}" stroke-linejoin="round" stroke-linecap="round"/>`;
}

/** A logged annotation as SVG markup, computed once. */
export function markupOf(a: Annotation): string {
  let m = cache.get(a);
  if (m === undefined) {
    m = shapeMarkup(a, `data-testid="annotation" data-id="${a.id}" data-kind="${a.kind}" data-author="${a.author}"`);
    cache.set(a, m);
  }
  return m;
}
