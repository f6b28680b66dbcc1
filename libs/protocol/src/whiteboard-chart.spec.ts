import { AnnotationAdd, Shape, type ChartData } from './whiteboard';
import {
  BASELINE,
  bounds,
  chartBox,
  chartLayout,
  chartValue,
  CHART_FONT_SIZE,
  CHART_MIN_FONT_SIZE,
  distanceTo,
  LINE_HEIGHT,
  resized,
  shapePath,
  textWidth,
  type Box,
  type ChartLayout,
} from './whiteboard-geometry';

const DECK = '00000000-0000-4000-8000-0000000000d1';
const results: ChartData = {
  title: 'Quelle est la capitale de l’Australie ?',
  bars: [
    { label: 'A. Sydney', count: 6 },
    { label: 'B. Canberra', count: 12 },
    { label: 'C. Melbourne', count: 0 },
    { label: 'D. Perth', count: 3 },
  ],
  responders: 21,
};
const chart = (over: Partial<Shape> = {}, data: ChartData = results): Shape => ({
  id: 'chart-0001',
  kind: 'chart',
  points: [
    [380, 20],
    [700, 180],
  ],
  colour: '#1971c2',
  size: 12,
  fill: false,
  chart: data,
  ...over,
});

const EPSILON = 0.011; // the layout rounds to the hundredth of a point

/** Whether every part of a layout lies inside a box (text by its line box and estimated width). */
function outside(layout: ChartLayout, b: Box): string[] {
  const inside = (x: number, y: number, w: number, h: number) =>
    x >= b.x - EPSILON && y >= b.y - EPSILON && x + w <= b.x + b.width + EPSILON && y + h <= b.y + b.height + EPSILON;
  return [
    ...layout.bars.filter((r) => !inside(r.x, r.y, r.width, r.height)).map((r) => `bar at ${r.x},${r.y}`),
    ...layout.texts
      .filter((t) => !inside(t.x, t.y - BASELINE * t.size, textWidth(t.text, t.size, t.bold), LINE_HEIGHT * t.size))
      .map((t) => t.text),
  ];
}

describe('a chart as the protocol accepts it', () => {
  it('accepts a poll’s results, and an add carrying one', () => {
    expect(Shape.safeParse(chart()).success).toBe(true);
    expect(
      AnnotationAdd.safeParse({ type: 'annotation.add', presentationId: DECK, page: 1, shapes: [chart()] }).success,
    ).toBe(true);
    // Several answers each: the bars may add up past the responders.
    const many = { ...results, bars: results.bars.map((b) => ({ ...b, count: 21 })) };
    expect(Shape.safeParse(chart({}, many)).success).toBe(true);
  });

  it.each([
    ['a chart without its data', { ...chart(), chart: undefined }],
    ['chart data on a rectangle', { ...chart(), kind: 'rectangle' }],
    ['chart data on a note', { ...chart(), kind: 'note', text: 'x' }],
    ['a chart with text', { ...chart(), text: 'x' }],
    ['13 bars', chart({}, { ...results, bars: Array.from({ length: 13 }, (_, i) => ({ label: `${i}`, count: 1 })) })],
    ['no bars', chart({}, { ...results, bars: [] })],
    ['a negative count', chart({}, { ...results, bars: [{ label: 'A', count: -1 }] })],
    ['a fractional count', chart({}, { ...results, bars: [{ label: 'A', count: 1.5 }] })],
    ['more answers to one choice than responders', chart({}, { ...results, bars: [{ label: 'A', count: 22 }] })],
    ['a title too long', chart({}, { ...results, title: 'x'.repeat(301) })],
    ['an extra field in a bar', chart({}, { ...results, bars: [{ label: 'A', count: 1, colour: 'red' } as never] })],
    [
      'a chart of three points',
      chart({
        points: [
          [0, 0],
          [1, 1],
          [2, 2],
        ],
      }),
    ],
    ['a white chart on its white background', chart({ colour: '#ffffff' })],
  ])('refuses %s', (_name, shape) => {
    expect(Shape.safeParse(shape).success).toBe(false);
  });

  it('says what is wrong with a chart without data', () => {
    const result = Shape.safeParse({ ...chart(), chart: undefined });
    expect(result.error?.issues.map((i) => i.message)).toEqual(['only a chart carries chart data, and it must']);
  });
});

describe('a chart’s values', () => {
  it('prints the count and its share of the responders, rounded', () => {
    expect(chartValue(3, 6)).toBe('3 · 50 %');
    expect(chartValue(1, 3)).toBe('1 · 33 %');
    expect(chartValue(2, 3)).toBe('2 · 67 %');
    expect(chartValue(12, 12)).toBe('12 · 100 %');
    expect(chartValue(0, 0)).toBe('0 · 0 %');
  });
});

describe('a chart’s layout', () => {
  it('puts the title, then each label, bar and value, inside the box', () => {
    const shape = chart();
    const layout = chartLayout(shape);
    expect(layout.background).toEqual({ x: 380, y: 20, width: 320, height: 160 });
    expect(layout.texts.map((t) => t.text)).toEqual([
      expect.stringMatching(/^Quelle est la capitale de l’Australie/),
      'A. Sydney',
      '6 · 29 %',
      'B. Canberra',
      '12 · 57 %',
      'C. Melbourne',
      '0 · 0 %',
      'D. Perth',
      '3 · 14 %',
    ]);
    expect(layout.texts[0].bold).toBe(true);
    expect(layout.texts.every((t) => t.size === 12)).toBe(true);
    expect(outside(layout, layout.background)).toEqual([]);
    // Rows top to bottom, the title above them all.
    const baselines = layout.texts.filter((_, i) => i % 2 === 1).map((t) => t.y);
    expect(baselines).toEqual([...baselines].sort((a, b) => a - b));
    expect(layout.texts[0].y).toBeLessThan(baselines[0]);
  });

  it('draws bars as long as their counts against the largest, and nothing for 0', () => {
    const { bars } = chartLayout(chart());
    expect(bars).toHaveLength(3); // C. Melbourne: 0
    const [sydney, canberra, perth] = bars.map((b) => b.width);
    expect(sydney / canberra).toBeCloseTo(6 / 12, 2);
    expect(perth / canberra).toBeCloseTo(3 / 12, 2);
    expect(new Set(bars.map((b) => b.x)).size).toBe(1);
    // Each value follows its bar.
    const values = chartLayout(chart()).texts.filter((t) => t.text.includes('%'));
    expect(values[1].x).toBeGreaterThan(bars[1].x + bars[1].width);
  });

  it('draws no bar when nobody answered, and 0 % everywhere', () => {
    const nobody = { ...results, bars: results.bars.map((b) => ({ ...b, count: 0 })), responders: 0 };
    const layout = chartLayout(chart({}, nobody));
    expect(layout.bars).toEqual([]);
    expect(layout.texts.filter((t) => t.text === '0 · 0 %')).toHaveLength(4);
  });

  it('cuts a title or label too long for its place with an ellipsis', () => {
    const long = { ...results, title: 'Un titre '.repeat(30), bars: [{ label: 'Une réponse '.repeat(10), count: 1 }] };
    const layout = chartLayout(chart({}, long));
    expect(layout.texts[0].text).toMatch(/…$/);
    expect(layout.texts[1].text).toMatch(/^Une réponse.*…$/);
    expect(outside(layout, layout.background)).toEqual([]);
  });

  it('sets each text on one line, whatever spaces or line breaks it holds', () => {
    const layout = chartLayout(
      chart({}, { ...results, title: '  Deux\nlignes\t! ', bars: [{ label: 'a\r\nb', count: 1 }] }),
    );
    expect(layout.texts.map((t) => t.text)).toEqual(['Deux lignes !', 'a b', '1 · 5 %']);
  });

  it('leaves the title line out when there is no title', () => {
    const layout = chartLayout(chart({}, { ...results, title: ' ' }));
    expect(layout.texts.map((t) => t.text)[0]).toBe('A. Sydney');
  });

  it('shrinks the type to fit a small box, and keeps it inside', () => {
    const small = chart({
      points: [
        [0, 0],
        [200, 60],
      ],
    });
    const layout = chartLayout(small);
    const size = layout.texts[0].size;
    expect(size).toBeLessThan(12);
    expect(size).toBeGreaterThanOrEqual(CHART_MIN_FONT_SIZE);
    expect(layout.texts).toHaveLength(9);
    expect(outside(layout, layout.background)).toEqual([]);
  });

  it('keeps the type of a large box at the shape’s size, and never below the minimum', () => {
    const large = chartLayout(
      chart({
        points: [
          [0, 0],
          [800, 600],
        ],
      }),
    );
    expect(large.texts.every((t) => t.size === 12)).toBe(true);
    // A box too small for anything at 6 pt: the rows that fit, and nothing outside it.
    const tiny = chartLayout(
      chart({
        points: [
          [0, 0],
          [60, 30],
        ],
      }),
    );
    expect(tiny.texts.every((t) => t.size === CHART_MIN_FONT_SIZE)).toBe(true);
    expect(tiny.texts.length).toBeLessThan(9);
    expect(outside(tiny, tiny.background)).toEqual([]);
    const nothing = chartLayout(
      chart({
        points: [
          [0, 0],
          [4, 4],
        ],
      }),
    );
    expect(nothing.texts).toEqual([]);
    expect(outside(nothing, nothing.background)).toEqual([]);
  });

  it.each([
    [1, 'a'],
    [12, 'twelve'],
    [7, ''],
  ])('fits %i bars in any reasonable box, drawn either way', (n, title) => {
    const data = {
      title,
      bars: Array.from({ length: n }, (_, i) => ({ label: `Réponse ${i + 1}`, count: i * 1000 })),
      responders: 1_000_000,
    };
    for (const [w, h] of [
      [100, 50],
      [300, 120],
      [600, 400],
      [50, 600],
    ]) {
      const layout = chartLayout(
        chart(
          {
            points: [
              [w + 10, h + 10],
              [10, 10],
            ],
          },
          data,
        ),
      );
      expect(outside(layout, layout.background)).toEqual([]);
    }
  });

  it('is laid out again, in its new box, when resized', () => {
    const shape = chart();
    const before = chartLayout(shape);
    const after = chartLayout(resized(shape, bounds(shape), { x: 380, y: 20, width: 640, height: 320 }));
    expect(after.background).toEqual({ x: 380, y: 20, width: 640, height: 320 });
    expect(after.bars[1].width).toBeGreaterThan(before.bars[1].width * 2);
    expect(outside(after, after.background)).toEqual([]);
  });
});

describe('a chart as a shape', () => {
  it('is selected by its box, as text is, and outlined by it', () => {
    const shape = chart();
    expect(bounds(shape)).toEqual({ x: 380, y: 20, width: 320, height: 160 });
    expect(distanceTo(shape, 500, 100)).toBe(0);
    expect(distanceTo(shape, 370, 100)).toBeCloseTo(10);
    expect(shapePath(shape)).toBe('M380 20H700V180H380Z');
  });

  it('goes in the upper right of a page, 45 % of its width, as high as its rows need', () => {
    const [a, b] = chartBox(results.bars, results.title, 720, 540);
    expect(b[0] - a[0]).toBeCloseTo(720 * 0.45, 1);
    expect(b[0]).toBeGreaterThan(680);
    expect(b[0]).toBeLessThan(720);
    expect(a[1]).toBeGreaterThan(0);
    expect(a[1]).toBeLessThan(40);
    // The title and four rows at the default size: no need to shrink the type.
    const shape = chart({ points: [a, b] });
    const layout = chartLayout(shape);
    expect(layout.texts.every((t) => t.size === CHART_FONT_SIZE)).toBe(true);
    expect(Shape.safeParse(shape).success).toBe(true);
    // More rows, a taller box; never taller than the page.
    const twelve = Array.from({ length: 12 }, (_, i) => ({ label: `${i}`, count: i }));
    const [c, d] = chartBox(twelve, 'x', 720, 540);
    expect(d[1] - c[1]).toBeGreaterThan(b[1] - a[1]);
    const [e, f] = chartBox(twelve, 'x', 720, 100);
    expect(f[1]).toBeLessThanOrEqual(100);
    expect(e[1]).toBeGreaterThanOrEqual(0);
  });
});
