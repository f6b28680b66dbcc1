/**
 * From a page as the browser shows it to the PDF's own coordinates. Annotations are stored in
 * the displayed page's points: pdf.js's viewport at scale 1, so /Rotate already applied, origin
 * at the top-left corner of the visible box, y down. The PDF draws in user space: y up, origin
 * wherever the MediaBox puts it, before rotation. This is pdf.js's `PageViewport` transform
 * (pdfjs-dist 6), inverted, with the same reading of the page's boxes, rotation and UserUnit, so
 * a shape lands in the export exactly where the browser drew it.
 */

/** A PDF transformation matrix [a b c d e f]: (x, y) → (a·x + c·y + e, b·x + d·y + f). */
export type Matrix = readonly [number, number, number, number, number, number];

/** What a page dictionary says about its geometry, as read from the file (any may be missing or wrong). */
export interface PageGeometry {
  mediaBox?: readonly number[];
  cropBox?: readonly number[];
  rotate?: number;
  userUnit?: number;
}

type Rect = [number, number, number, number];

/** US Letter: what pdf.js falls back to when a page has no usable MediaBox. */
const LETTER: Rect = [0, 0, 612, 792];

/** A box with its corners ordered, or null when it is not four numbers enclosing some area. */
function usable(box: readonly number[] | undefined): Rect | null {
  if (!box || box.length !== 4 || !box.every(Number.isFinite)) return null;
  const r: Rect = [
    Math.min(box[0], box[2]),
    Math.min(box[1], box[3]),
    Math.max(box[0], box[2]),
    Math.max(box[1], box[3]),
  ];
  return r[2] > r[0] && r[3] > r[1] ? r : null;
}

/** The part of the page that is shown: the CropBox within the MediaBox (pdf.js's `page.view`). */
export function visibleBox(page: PageGeometry): Rect {
  const media = usable(page.mediaBox) ?? LETTER;
  const crop = usable(page.cropBox) ?? media;
  const both: Rect = [
    Math.max(crop[0], media[0]),
    Math.max(crop[1], media[1]),
    Math.min(crop[2], media[2]),
    Math.min(crop[3], media[3]),
  ];
  return both[2] > both[0] && both[3] > both[1] ? both : media;
}

/** /Rotate as pdf.js takes it: a multiple of 90 brought into 0–270, anything else 0. */
export function rotation(page: PageGeometry): 0 | 90 | 180 | 270 {
  const r = page.rotate ?? 0;
  if (!Number.isInteger(r) || r % 90 !== 0) return 0;
  return (((r % 360) + 360) % 360) as 0 | 90 | 180 | 270;
}

const unit = (page: PageGeometry) => (page.userUnit && page.userUnit > 0 ? page.userUnit : 1);

/** User space → displayed page: pdf.js's viewport transform at scale 1. */
export function viewportTransform(page: PageGeometry): Matrix {
  const [x0, y0, x1, y1] = visibleBox(page);
  const scale = unit(page);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const [a, b, c, d] = { 0: [1, 0, 0, -1], 90: [0, 1, 1, 0], 180: [-1, 0, 0, 1], 270: [0, -1, -1, 0] }[rotation(page)];
  // Quarter turns swap the displayed width and height.
  const [offsetX, offsetY] = a === 0 ? [(cy - y0) * scale, (cx - x0) * scale] : [(cx - x0) * scale, (cy - y0) * scale];
  return [
    a * scale,
    b * scale,
    c * scale,
    d * scale,
    offsetX - a * scale * cx - c * scale * cy,
    offsetY - b * scale * cx - d * scale * cy,
  ];
}

export function invert([a, b, c, d, e, f]: Matrix): Matrix {
  const det = a * d - b * c;
  return [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
}

/** Displayed page (annotation coordinates) → PDF user space: the matrix the export puts in `cm`. */
export const displayToUser = (page: PageGeometry): Matrix => invert(viewportTransform(page));

export function apply([a, b, c, d, e, f]: Matrix, x: number, y: number): [number, number] {
  return [a * x + c * y + e, b * x + d * y + f];
}
