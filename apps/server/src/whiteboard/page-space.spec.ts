import { apply, displayToUser, rotation, viewportTransform, visibleBox, type PageGeometry } from './page-space';

/** Where a point of the displayed page lands in PDF user space, rounded to 1/1000 pt. */
const toUser = (page: PageGeometry, x: number, y: number) =>
  apply(displayToUser(page), x, y).map((n) => Math.round(n * 1000) / 1000 + 0);

describe('displayed page → PDF user space', () => {
  const letter = { mediaBox: [0, 0, 612, 792] };
  // A MediaBox away from the origin, and a CropBox inside it: 512 × 692 pt shown.
  const offset = { mediaBox: [100, 200, 712, 992], cropBox: [150, 250, 662, 942] };

  // For each rotation: where the displayed top-left, top-right and bottom-left corners and a
  // point (10, 20) from the top-left fall in user space, and the displayed size.
  it.each([
    [0, letter, { topLeft: [0, 792], topRight: [612, 792], bottomLeft: [0, 0], point: [10, 772], size: [612, 792] }],
    [90, letter, { topLeft: [0, 0], topRight: [0, 792], bottomLeft: [612, 0], point: [20, 10], size: [792, 612] }],
    [180, letter, { topLeft: [612, 0], topRight: [0, 0], bottomLeft: [612, 792], point: [602, 20], size: [612, 792] }],
    [
      270,
      letter,
      { topLeft: [612, 792], topRight: [612, 0], bottomLeft: [0, 792], point: [592, 782], size: [792, 612] },
    ],
    [
      0,
      offset,
      { topLeft: [150, 942], topRight: [662, 942], bottomLeft: [150, 250], point: [160, 922], size: [512, 692] },
    ],
    [
      90,
      offset,
      { topLeft: [150, 250], topRight: [150, 942], bottomLeft: [662, 250], point: [170, 260], size: [692, 512] },
    ],
    [
      180,
      offset,
      { topLeft: [662, 250], topRight: [150, 250], bottomLeft: [662, 942], point: [652, 270], size: [512, 692] },
    ],
    [
      270,
      offset,
      { topLeft: [662, 942], topRight: [662, 250], bottomLeft: [150, 942], point: [642, 932], size: [692, 512] },
    ],
  ])('rotated %i° (%j)', (rotate, boxes, expected) => {
    const page = { ...boxes, rotate };
    const [width, height] = expected.size;
    expect(toUser(page, 0, 0)).toEqual(expected.topLeft);
    expect(toUser(page, width, 0)).toEqual(expected.topRight);
    expect(toUser(page, 0, height)).toEqual(expected.bottomLeft);
    expect(toUser(page, 10, 20)).toEqual(expected.point);
    // And back: pdf.js's own transform brings user space to the displayed page.
    const [ux, uy] = apply(displayToUser(page), 123.5, 45.25);
    expect(apply(viewportTransform(page), ux, uy).map((n) => Math.round(n * 1000) / 1000)).toEqual([123.5, 45.25]);
  });

  it('reads /Rotate as pdf.js does: negative and large turns, anything else upright', () => {
    expect(rotation({ rotate: -90 })).toBe(270);
    expect(rotation({ rotate: 450 })).toBe(90);
    expect(rotation({ rotate: -540 })).toBe(180);
    expect(rotation({ rotate: 45 })).toBe(0);
    expect(rotation({})).toBe(0);
    expect(toUser({ ...letter, rotate: -270 }, 10, 20)).toEqual(toUser({ ...letter, rotate: 90 }, 10, 20));
  });

  it('shows the CropBox within the MediaBox, corners in any order, and falls back on the MediaBox, then Letter', () => {
    expect(visibleBox({ mediaBox: [612, 792, 0, 0] })).toEqual([0, 0, 612, 792]);
    expect(visibleBox({ mediaBox: [0, 0, 612, 792], cropBox: [-50, 100, 300, 900] })).toEqual([0, 100, 300, 792]);
    expect(visibleBox({ mediaBox: [0, 0, 612, 792], cropBox: [700, 0, 800, 100] })).toEqual([0, 0, 612, 792]);
    expect(visibleBox({ mediaBox: [0, 0, 612, 792], cropBox: [0, 0, 0, 100] })).toEqual([0, 0, 612, 792]);
    expect(visibleBox({ mediaBox: [0, 0, 612] })).toEqual([0, 0, 612, 792]);
    expect(visibleBox({})).toEqual([0, 0, 612, 792]);
  });

  it('counts displayed points in UserUnits, as pdf.js does', () => {
    // A UserUnit of 2: the page is shown twice as large, so 20 displayed points are 10 in user space.
    expect(toUser({ ...offset, userUnit: 2 }, 20, 40)).toEqual([160, 922]);
    expect(toUser({ ...offset, userUnit: 2, rotate: 90 }, 20, 40)).toEqual([170, 260]);
    expect(toUser({ ...offset, userUnit: -1 }, 10, 20)).toEqual([160, 922]);
  });
});
