import { describe, expect, it } from 'vitest';
import { chartLayout, type Annotation, type ChartData } from '@estrade/protocol';
import { markupOf, shapeMarkup, wrap } from './markup';

const author = '00000000-0000-4000-8000-00000000000a';
const text = (t: string): Annotation => ({
  id: 'shape-0001',
  kind: 'text',
  points: [
    [10, 10],
    [2000, 60],
  ],
  colour: '#1971c2',
  size: 10,
  fill: false,
  text: t,
  author,
});

const chart = (data: ChartData): Annotation => ({
  id: 'chart-0001',
  kind: 'chart',
  points: [
    [380, 20],
    [700, 180],
  ],
  colour: '#2f9e44',
  size: 12,
  fill: false,
  chart: data,
  author,
});
const results: ChartData = {
  title: 'Which is <b>bold</b> & "quoted"?',
  bars: [
    { label: '<img src=x>', count: 4 },
    { label: 'B & C', count: 8 },
    { label: 'None', count: 0 },
  ],
  responders: 8,
};

describe('annotation markup', () => {
  it('escapes text, so typed markup is shown, never run', () => {
    const m = markupOf(text('<img src=x onerror="alert(1)"> & <script>'));
    expect(m).not.toContain('<img');
    expect(m).not.toContain('<script');
    expect(m).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;script&gt;');
    // Nothing but the markup's own elements opens a tag.
    expect([...m.matchAll(/<([a-z]+)/g)].map((x) => x[1])).toEqual(['g', 'text', 'tspan']);
  });

  it('names each annotation for tools and tests, and computes it once', () => {
    const a = text('Bonjour');
    expect(markupOf(a)).toContain(
      `data-testid="annotation" data-id="shape-0001" data-kind="text" data-author="${author}"`,
    );
    expect(markupOf(a)).toBe(markupOf(a));
  });

  it('wraps text to its box, word by word, and cuts words longer than a line', () => {
    // 10 pt text, 0.55 em per character: 10 characters in 55 points.
    expect(wrap('un deux trois quatre', 10, 55)).toEqual(['un deux', 'trois', 'quatre']);
    expect(wrap('anticonstitutionnellement', 10, 55)).toEqual(['anticonsti', 'tutionnell', 'ement']);
    expect(wrap('a\nb', 10, 55)).toEqual(['a', 'b']);
  });
});

describe('chart markup', () => {
  it('escapes the title and labels, so a poll’s text is shown, never run', () => {
    const m = markupOf(chart(results));
    expect(m).not.toContain('<img');
    expect(m).not.toContain('<b>');
    expect(m).toContain('Which is &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;?');
    expect(m).toContain('>&lt;img src=x&gt;<');
    expect(m).toContain('>B &amp; C<');
    // Nothing but the chart's own elements opens a tag: paper, bars, one text of lines.
    expect([...m.matchAll(/<([a-z]+)/g)].map((x) => x[1])).toEqual([
      'g',
      'rect',
      'path',
      'text',
      ...Array<string>(7).fill('tspan'),
    ]);
    expect(m).toContain('data-kind="chart"');
  });

  it('draws white paper edged in its colour, bars in it (none for 0), and text in ink', () => {
    const m = shapeMarkup(chart(results), '');
    expect(m).toContain('fill="#ffffff" stroke="#2f9e44"');
    const bars = m.match(/<path d="([^"]+)" fill="#2f9e44"\/>/);
    expect(bars?.[1].match(/M/g)).toHaveLength(2);
    const { bars: laid } = chartLayout(chart(results));
    expect(bars?.[1]).toBe(laid.map((r) => `M${r.x} ${r.y}h${r.width}v${r.height}h${-r.width}Z`).join(''));
    expect(m).toContain('<text fill="#1e1e1e" font-family="Helvetica, Arial, sans-serif"');
    expect(m.match(/font-weight="bold"/g)).toHaveLength(1);
  });

  it('prints each value as the annotated PDF does, where the layout puts it', () => {
    const m = shapeMarkup(chart(results), '');
    for (const value of ['4 · 50 %', '8 · 100 %', '0 · 0 %']) expect(m).toContain(`>${value}</tspan>`);
    for (const t of chartLayout(chart(results)).texts) expect(m).toContain(`<tspan x="${t.x}" y="${t.y}"`);
  });

  it('draws the paper alone when nobody answered and the box is too small for any line', () => {
    const tiny = {
      ...chart({ ...results, responders: 0, bars: [{ label: 'A', count: 0 }] }),
      points: [
        [0, 0],
        [4, 4],
      ],
    };
    expect(shapeMarkup(tiny as Annotation, '')).toBe(
      '<g ><rect x="0" y="0" width="4" height="4" fill="#ffffff" stroke="#2f9e44" stroke-width="1"/></g>',
    );
  });
});
