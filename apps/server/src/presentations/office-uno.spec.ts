import { DocumentFormat } from '@estrade/protocol';
import { kindOf } from './file-format';
import { needsRestart, parseUnoMessage, pdfExportFilter } from './office-uno';

describe('the resident LibreOffice protocol', () => {
  it('exports each family with its own PDF filter', () => {
    expect(pdfExportFilter('pptx')).toBe('impress_pdf_Export');
    expect(pdfExportFilter('odp')).toBe('impress_pdf_Export');
    expect(pdfExportFilter('ppt')).toBe('impress_pdf_Export');
    expect(pdfExportFilter('docx')).toBe('writer_pdf_Export');
    expect(pdfExportFilter('odt')).toBe('writer_pdf_Export');
    expect(pdfExportFilter('txt')).toBe('writer_pdf_Export');
    expect(pdfExportFilter('rtf')).toBe('writer_pdf_Export');
    expect(pdfExportFilter('xlsx')).toBe('calc_pdf_Export');
    expect(pdfExportFilter('ods')).toBe('calc_pdf_Export');
    expect(pdfExportFilter('odg')).toBe('draw_pdf_Export');
  });

  it('has a filter for every format LibreOffice converts, and none for the others', () => {
    for (const format of DocumentFormat.options) {
      if (kindOf(format) === 'office') expect(pdfExportFilter(format)).toMatch(/_pdf_Export$/);
      else expect(() => pdfExportFilter(format)).toThrow();
    }
  });

  it("reads the helper's answers and ignores other output", () => {
    expect(parseUnoMessage('{"ready": true}')).toEqual({ ready: true });
    expect(parseUnoMessage('{"id": 3, "started": true}')).toEqual({ id: 3, started: true });
    expect(parseUnoMessage('{"id": 3, "ok": true}')).toEqual({ id: 3, ok: true });
    expect(parseUnoMessage('{"id": 4, "ok": false, "error": "no"}')).toEqual({ id: 4, ok: false, error: 'no' });
    expect(parseUnoMessage('Warning: failed to launch javaldx')).toBeNull();
    expect(parseUnoMessage('{"id": "x", "ok": true}')).toBeNull();
    expect(parseUnoMessage('{"ok": false}')).toBeNull();
  });

  it('restarts LibreOffice after a timeout, a crash, or every N conversions', () => {
    expect(needsRestart('converted', 1, 50)).toBe(false);
    expect(needsRestart('failed', 49, 50)).toBe(false);
    expect(needsRestart('converted', 50, 50)).toBe(true);
    expect(needsRestart('failed', 50, 50)).toBe(true);
    expect(needsRestart('timeout', 1, 50)).toBe(true);
    expect(needsRestart('crashed', 0, 50)).toBe(true);
  });
});
