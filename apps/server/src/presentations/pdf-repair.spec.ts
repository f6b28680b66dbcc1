import { pointsAtXref, startxrefOffset, tableEntries } from './pdf-repair';

describe('the cross-reference check', () => {
  const tail = (text: string) => Buffer.from(text, 'latin1');

  it('reads the last startxref offset of a file', () => {
    expect(startxrefOffset(tail('trailer\n<< /Size 3 >>\nstartxref\n996213\n%%EOF\n'))).toBe(996213);
    // An incremental update adds a second one: the last counts.
    expect(startxrefOffset(tail('startxref\n10\n%%EOF\nstartxref\r\n2048\r\n%%EOF'))).toBe(2048);
  });

  it('finds no offset in a file cut before its end', () => {
    expect(startxrefOffset(tail('stream\n...endstream\nendobj\n'))).toBeNull();
    expect(startxrefOffset(tail('startxref\n%%EOF'))).toBeNull();
  });

  it('accepts a cross-reference table or stream where startxref points, nothing else', () => {
    expect(pointsAtXref(tail('xref\n0 997\n0000000000 65535 f'))).toBe(true);
    expect(pointsAtXref(tail('\r\nxref\r\n0 5'))).toBe(true);
    expect(pointsAtXref(tail('652 0 obj\n<< /Type /XRef'))).toBe(true);
    expect(pointsAtXref(tail('m 2.3 4.5 l S\nendstream'))).toBe(false);
    expect(pointsAtXref(tail('xrefs'))).toBe(false);
    expect(pointsAtXref(tail(''))).toBe(false);
  });
});

describe('the objects a cross-reference table locates', () => {
  it('lists the first objects in use with their offsets', () => {
    const table = Buffer.from(
      'xref\n0 5\n0000000000 65535 f \n0000000015 00000 n \n0000000000 00000 f \n0000000120 00000 n\r\n0000000300 00000 n \n',
    );
    expect(tableEntries(table)).toEqual([
      { number: 1, offset: 15 },
      { number: 3, offset: 120 },
      { number: 4, offset: 300 },
    ]);
    expect(tableEntries(table, 1)).toEqual([{ number: 1, offset: 15 }]);
  });

  it('lists none for an xref stream', () => {
    expect(tableEntries(Buffer.from('652 0 obj\n<< /Type /XRef >>'))).toEqual([]);
  });
});
