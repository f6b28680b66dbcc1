import { describe, expect, it } from 'vitest';
import type { Annotation } from '@estrade/protocol';
import { markupOf, wrap } from './markup';

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
