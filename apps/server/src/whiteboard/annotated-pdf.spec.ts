import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, StandardFonts } from 'pdf-lib';
import { chartLayout } from '@estrade/protocol';
import { annotatePdf, pathOperators, winAnsi, wrapLines, type DrawnShape } from './annotated-pdf';

describe('annotated PDF: path data', () => {
  it('turns the path data of shapes into PDF path operators', () => {
    expect(pathOperators('M10 20L30 40H50V60Z')).toBe('10 20 m 30 40 l 50 40 l 50 60 l h');
    expect(pathOperators('M1 2C3 4 5 6 7 8')).toBe('1 2 m 3 4 5 6 7 8 c');
    // Pairs after M are lines; a Z brings the pen back to the start of its subpath.
    expect(pathOperators('M0 0 10 0 10 10ZM5 5L6 6')).toBe('0 0 m 10 0 l 10 10 l h 5 5 m 6 6 l');
  });

  it('draws quadratic curves (freehand outlines) as the cubic curves that trace them exactly', () => {
    // From (0, 0), control (30, 60), to (60, 0): the cubic's controls are 2/3 of the way to it.
    expect(pathOperators('M0 0Q30 60 60 0')).toBe('0 0 m 20 40 40 40 60 0 c');
    // Repeated quadruples after one Q, as perfect-freehand outlines are written.
    expect(pathOperators('M0 0Q3 3 6 0 9 -3 12 0Z')).toBe('0 0 m 2 2 4 2 6 0 c 8 -2 10 -2 12 0 c h');
  });

  it('refuses what it cannot read rather than draw something else', () => {
    expect(() => pathOperators('M0 0A1 1 0 0 1 5 5')).toThrow('unexpected A');
    expect(() => pathOperators('M0')).toThrow('a number expected');
  });
});

describe('annotated PDF: text', () => {
  it('replaces what Helvetica cannot show with ?, keeping accents, euro sign and line breaks', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const charset = new Set(font.getCharacterSet());
    expect(winAnsi('Élève à 5 € —\r\nfin\tici', charset)).toBe('Élève à 5 € —\nfin ici');
    expect(winAnsi('日本 😀 ok', charset)).toBe('?? ? ok');
  });

  it('wraps words at the width, cuts a word too long for a line, and keeps the text’s own breaks', () => {
    const widthOf = (s: string) => s.length; // one unit a character
    expect(wrapLines('the cat sat on the mat', 7, widthOf)).toEqual(['the cat', 'sat on', 'the mat']);
    expect(wrapLines('abcdefghij xy', 4, widthOf)).toEqual(['abcd', 'efgh', 'ij', 'xy']);
    expect(wrapLines('one\n\ntwo three', 20, widthOf)).toEqual(['one', '', 'two three']);
    // A box with no width (a click, not a drag): no wrapping.
    expect(wrapLines('a long line of text', 0, widthOf)).toEqual(['a long line of text']);
  });
});

describe('annotated PDF: the document', () => {
  async function twoPages() {
    const doc = await PDFDocument.create();
    for (const rotate of [0, 90]) {
      const page = doc.addPage([400, 300]);
      page.setMediaBox(50, 100, 400, 300);
      page.setRotation({ type: 'degrees', angle: rotate } as never);
      page.drawText(`page with /Rotate ${rotate}`, { x: 60, y: 350 });
    }
    return doc.save();
  }

  const contents = (doc: PDFDocument, n: number) => {
    const c = doc.getPage(n).node.Contents();
    const refs = c instanceof PDFArray ? c.asArray() : [c];
    return refs.map((ref) => {
      const stream = doc.context.lookup(ref as never) as PDFRawStream;
      return Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
    });
  };

  it('draws only on annotated pages, after their content, in the page’s user space', async () => {
    const original = await twoPages();
    const out = await annotatePdf(original, [
      {
        page: 2,
        shapes: [
          {
            kind: 'rectangle',
            points: [
              [10, 20],
              [110, 70],
            ],
            colour: '#e03131',
            size: 2,
            fill: true,
          },
          {
            kind: 'text',
            points: [
              [10, 100],
              [200, 150],
            ],
            colour: '#1e1e1e',
            size: 12,
            fill: false,
            text: 'Bonjour',
          },
        ],
      },
    ]);
    const before = await PDFDocument.load(original);
    const after = await PDFDocument.load(out);
    expect(after.getPageCount()).toBe(2);
    // Page 1: its content untouched, nothing added.
    expect(contents(after, 0)).toEqual(contents(before, 0));
    // Page 2: its own content, wrapped in q … Q, then the annotations.
    const page2 = contents(after, 1);
    expect(page2.join('\n')).toContain(contents(before, 1).join('\n'));
    const added = page2[page2.length - 1];
    // /Rotate 90 on a MediaBox at (50, 100): displayed (x, y) is user (50 + y, 100 + x).
    expect(added).toMatch(/^q\n0 1 1 0 50 100 cm\n/);
    expect(added).toContain('0.878 0.192 0.192 rg 0.878 0.192 0.192 RG 2 w\n10 20 m 110 20 l 110 70 l 10 70 l h\nB Q');
    expect(added).toMatch(/BT \/Helv\S* 12 Tf\n1 0 0 -1 10 110.8 Tm <[0-9A-F]+> Tj\nET Q/);
    expect(after.getPage(1).node.Resources()!.lookup(PDFName.of('Font'))!.toString()).toContain('/Helv');
  });

  it('draws a note as paper lighter than its colour, edged in it, with the lines that fit', async () => {
    const note = {
      kind: 'note' as const,
      // 40 pt high: 4 pt padding each side leaves 32 pt, two lines of 12 pt type (15 pt apart).
      points: [
        [0, 0],
        [200, 40],
      ] as [number, number][],
      colour: '#ffd43b' as const,
      size: 12,
      fill: true,
      text: 'one\ntwo\nthree',
    };
    const after = await PDFDocument.load(await annotatePdf(await twoPages(), [{ page: 1, shapes: [note] }]));
    const added = contents(after, 0).at(-1)!;
    // #ffd43b mixed with 70 % white; edged in #ffd43b.
    expect(added).toContain('q 1 0.949 0.769 rg 1 0.831 0.231 RG 1 w\n0 0 m 200 0 l 200 40 l 0 40 l h\nB Q');
    expect(added.match(/ Tj/g)).toHaveLength(2);
    expect(added).toContain('1 0 0 -1 4 14.8 Tm');
    expect(added).toContain('1 0 0 -1 4 29.8 Tm');
  });

  it('draws a chart as the browser lays it out: white paper edged in its colour, bars, and its text', async () => {
    const chart: DrawnShape = {
      kind: 'chart',
      points: [
        [180, 10],
        [390, 130],
      ],
      colour: '#1971c2',
      size: 12,
      fill: false,
      chart: {
        title: 'Capitale de l’Australie ?',
        bars: [
          { label: 'Sydney, la plus grande ville', count: 6 },
          { label: 'Canberra', count: 12 },
          { label: 'Melbourne', count: 0 },
        ],
        responders: 18,
      },
    };
    const layout = chartLayout(chart);
    const after = await PDFDocument.load(await annotatePdf(await twoPages(), [{ page: 1, shapes: [chart] }]));
    const added = contents(after, 0).at(-1)!;
    // The paper, then the two bars that are not 0, in #1971c2.
    expect(added).toContain('q 1 1 1 rg 0.098 0.443 0.761 RG 1 w 180 10 210 120 re B Q');
    expect(added).toMatch(/q 0\.098 0\.443 0\.761 rg\n[\d. ]+ re [\d. ]+ re f Q/);
    // Every line where the layout puts it, the title in bold, in ink.
    expect(added).toContain('q 0.118 0.118 0.118 rg BT');
    const lines = [...added.matchAll(/(\/\S+) ([\d.]+) Tf 1 0 0 -1 ([\d.]+) ([\d.]+) Tm <([0-9A-F]*)> Tj/g)];
    expect(lines.map((m) => [m[1].startsWith('/HelvB'), Number(m[3]), Number(m[4])])).toEqual(
      layout.texts.map((t) => [!!t.bold, t.x, t.y]),
    );
    // The strings themselves, in WinAnsi: the label cut with an ellipsis, the values with a middle dot.
    const winAnsiText = (hex: string) =>
      Buffer.from(hex, 'hex').toString('latin1').replace(/\x85/g, '…').replace(/\x92/g, '’');
    expect(lines.map((m) => winAnsiText(m[5]))).toEqual(layout.texts.map((t) => t.text));
    expect(layout.texts.map((t) => t.text)).toEqual([
      'Capitale de l’Australie ?',
      expect.stringMatching(/^Sydney.*…$/),
      '6 · 33 %',
      'Canberra',
      '12 · 67 %',
      'Melbourne',
      '0 · 0 %',
    ]);
    // Both fonts are the page's resources.
    const fonts = after.getPage(0).node.Resources()!.lookup(PDFName.of('Font'), PDFDict);
    const names = fonts.keys().map((k) => k.toString());
    expect(names.some((n) => n.startsWith('/HelvB'))).toBe(true);
    expect(names.some((n) => /^\/Helv(?!B)/.test(n))).toBe(true);
  });

  it('copies a PDF with no annotations unchanged in what it draws', async () => {
    const original = await twoPages();
    const after = await PDFDocument.load(await annotatePdf(original, [{ page: 1, shapes: [] }]));
    const before = await PDFDocument.load(original);
    expect([contents(after, 0), contents(after, 1)]).toEqual([contents(before, 0), contents(before, 1)]);
  });
});
