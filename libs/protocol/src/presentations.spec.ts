import {
  annotatedPdfUrl,
  FIT_PAGE,
  foldSlides,
  NO_SLIDES,
  panViewport,
  placePage,
  zoomViewport,
  type SlidesState,
} from './presentations';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const file = (c: string) => c.repeat(64);
const added = (id: string, fileId: string, pages = 10) =>
  ({
    type: 'presentation.added',
    presentationId: id,
    fileId,
    name: `${id}.pdf`,
    format: 'pdf',
    pages,
    processed: false,
    isDefault: false,
  }) as const;

describe('slides fold', () => {
  const two = [added(A, file('a')), added(B, file('b'))].reduce(foldSlides, NO_SLIDES as SlidesState);

  it('shows what was just added, on page 1, whole', () => {
    expect(two.current).toBe(B);
    expect(two.presentations.map((p) => [p.id, p.page])).toEqual([
      [A, 1],
      [B, 1],
    ]);
    expect(two.viewport).toEqual(FIT_PAGE);
  });

  it('keeps each presentation on its page when switching, and resets the zoom on a new page', () => {
    let s = foldSlides(two, { type: 'slide.changed', presentationId: B, page: 4 });
    s = foldSlides(s, {
      type: 'slide.viewport-changed',
      presentationId: B,
      viewport: { fit: 'width', zoom: 2, x: 0.2, y: 0.8 },
    });
    expect(s.viewport.zoom).toBe(2);
    s = foldSlides(s, { type: 'presentation.shown', presentationId: A });
    expect(s.current).toBe(A);
    expect(s.viewport).toEqual(FIT_PAGE);
    s = foldSlides(s, { type: 'presentation.shown', presentationId: B });
    expect(s.presentations.find((p) => p.id === B)?.page).toBe(4);
    s = foldSlides(s, { type: 'slide.changed', presentationId: B, page: 5 });
    expect(s.viewport).toEqual(FIT_PAGE);
  });

  it('ignores a viewport for a presentation not on screen, and caps pages', () => {
    const s = foldSlides(two, {
      type: 'slide.viewport-changed',
      presentationId: A,
      viewport: { fit: 'page', zoom: 3, x: 0, y: 0 },
    });
    expect(s.viewport).toEqual(FIT_PAGE);
    expect(foldSlides(two, { type: 'slide.changed', presentationId: A, page: 99 }).presentations[0].page).toBe(10);
  });

  it('shows the one before when the one on screen is removed, and nothing when none is left', () => {
    let s = foldSlides(two, { type: 'presentation.removed', presentationId: B });
    expect(s.current).toBe(A);
    s = foldSlides(s, { type: 'presentation.removed', presentationId: A });
    expect(s).toEqual({ presentations: [], current: null, viewport: FIT_PAGE });
  });

  it('marks every presentation of a file processed, and toggles downloads', () => {
    let s = foldSlides(two, added('00000000-0000-4000-8000-00000000000c', file('a')));
    s = foldSlides(s, { type: 'presentation.processed', fileId: file('a') });
    expect(s.presentations.map((p) => p.processed)).toEqual([true, false, true]);
    s = foldSlides(s, { type: 'presentation.downloadable-changed', presentationId: A, downloadable: true });
    expect(s.presentations[0].downloadable).toBe(true);
  });
});

describe('page placement', () => {
  const page = { width: 800, height: 600 };

  it('fits a whole page in the view, centred', () => {
    expect(placePage(page, { width: 1000, height: 600 }, FIT_PAGE)).toEqual({
      scale: 1,
      width: 800,
      height: 600,
      left: 100,
      top: 0,
    });
  });

  it('fits the width, then shows the part around (x, y) without going past the edges', () => {
    const view = { width: 400, height: 200 };
    const top = placePage(page, view, { fit: 'width', zoom: 1, x: 0.5, y: 0 });
    expect(top).toEqual({ scale: 0.5, width: 400, height: 300, left: 0, top: -0 });
    const bottom = placePage(page, view, { fit: 'width', zoom: 1, x: 0.5, y: 1 });
    expect(bottom.top).toBe(-100);
    const zoomed = placePage(page, view, { fit: 'width', zoom: 2, x: 0.5, y: 0.5 });
    expect(zoomed).toMatchObject({ width: 800, height: 600, left: -200, top: -200 });
  });

  it('gives the same part of the page on screens of different sizes', () => {
    const v = { fit: 'page', zoom: 2, x: 0.25, y: 0.25 } as const;
    const small = placePage(page, { width: 400, height: 300 }, v);
    const large = placePage(page, { width: 1200, height: 900 }, v);
    // The view's centre sits on the same point of the page, in page units.
    const centre = (p: typeof small, w: number, h: number) => [(w / 2 - p.left) / p.width, (h / 2 - p.top) / p.height];
    expect(centre(small, 400, 300)).toEqual(centre(large, 1200, 900));
  });

  it('pans and zooms within bounds', () => {
    expect(panViewport(FIT_PAGE, 100, -50, 1000, 500)).toMatchObject({ x: 0.4, y: 0.6 });
    expect(panViewport(FIT_PAGE, -5000, 5000, 1000, 500)).toMatchObject({ x: 1, y: 0 });
    expect(zoomViewport(FIT_PAGE, -1).zoom).toBe(1);
    let v = FIT_PAGE;
    for (let i = 0; i < 20; i++) v = zoomViewport(v, 1);
    expect(v.zoom).toBe(8);
  });
});

describe('file URLs', () => {
  it('links the annotated PDF of one presentation, with the files token', () => {
    expect(annotatedPdfUrl({ id: A, fileId: file('c') }, 'a.b+c/d')).toBe(
      `/api/presentations/${file('c')}/download/annotated?presentation=${A}&access=a.b%2Bc%2Fd`,
    );
  });
});
