import { pageSizes, planRanges, progressLine, splitPages } from './pdf-poppler';

describe('reading pages with poppler', () => {
  it('splits pdftotext output into pages at form feeds, trimmed, one line per line', () => {
    const out = 'Quiz\n\nWhich planet is the largest?\nA) Mars\nB) Jupiter\n\n\f\f  Thank you \n\f';
    expect(splitPages(out, 3)).toEqual(['Quiz\nWhich planet is the largest?\nA) Mars\nB) Jupiter', '', 'Thank you']);
  });

  it('refuses pdftotext output whose pages do not add up, rather than shift text onto other pages', () => {
    // A form feed inside a page's own text gives one page too many.
    expect(() => splitPages('one\ftwo\fthree\f', 2)).toThrow('3 pages instead of 2');
    expect(() => splitPages('one\f', 2)).toThrow();
    expect(() => splitPages('one\ftwo', 1)).toThrow();
  });

  it('reads page sizes from pdfinfo, a quarter turn swapping width and height', () => {
    const out = [
      'Title:           Page 9 size: 1 x 1 pts',
      'Pages:           3',
      'Page    2 size:  612 x 792 pts (letter)',
      'Page    2 rot:   90',
      'Page    3 size:  595.276 x 841.89 pts (A4)',
      'Page    3 rot:   180',
      'Page    4 size:  649 x 323 pts',
      'Page    4 rot:   270',
      'File size:       13739 bytes',
    ].join('\n');
    expect(pageSizes(out, { from: 2, to: 4 })).toEqual([
      { width: 792, height: 612 },
      { width: 595.28, height: 841.89 },
      { width: 323, height: 649 },
    ]);
  });

  it('fails when pdfinfo leaves a page out', () => {
    expect(() => pageSizes('Page    1 size:  612 x 792 pts\n', { from: 1, to: 2 })).toThrow('page 2');
  });

  it('reads pdftoppm progress lines, and nothing else', () => {
    expect(progressLine('7 14 /data/p/ab/thumbnails/.poppler-1-14-07.jpg')).toEqual({
      page: 7,
      file: '/data/p/ab/thumbnails/.poppler-1-14-07.jpg',
    });
    expect(progressLine('Syntax Error (1234): Illegal character')).toBeNull();
  });

  it('plans contiguous ranges, the first one from page 1, none empty', () => {
    expect(planRanges(14, 2)).toEqual([
      { from: 1, to: 7 },
      { from: 8, to: 14 },
    ]);
    expect(planRanges(1, 2)).toEqual([{ from: 1, to: 1 }]);
    expect(planRanges(5, 3)).toEqual([
      { from: 1, to: 1 },
      { from: 2, to: 3 },
      { from: 4, to: 5 },
    ]);
    const book = planRanges(352, 4);
    expect(book.map((r) => r.to - r.from + 1)).toEqual([88, 88, 88, 88]);
    expect(book.at(-1)!.to).toBe(352);
  });
});
