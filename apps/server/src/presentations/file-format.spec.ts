import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { corpusFile } from '../testing/slides-kit';
import { kindOf, sniffFormat } from './file-format';

const zip = (files: Record<string, string>, storedFirst?: [string, string]) =>
  Buffer.from(
    zipSync({
      ...(storedFirst ? { [storedFirst[0]]: [strToU8(storedFirst[1]), { level: 0 }] } : {}),
      ...Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])),
    } as Parameters<typeof zipSync>[0]),
  );
const ole = (stream: string) =>
  Buffer.concat([
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    Buffer.alloc(500),
    Buffer.from(stream, 'utf16le'),
  ]);

describe('file formats, from content only', () => {
  it.each([
    ['%PDF-1.7\n…', 'pdf'],
    ['\n\n  junk before %PDF-1.4', 'pdf'],
    ['{\\rtf1\\ansi Bonjour}', 'rtf'],
    ['Bonjour la classe,\nvoici le plan.', 'txt'],
    ['<?xml version="1.0"?>\n<!-- dessin -->\n<svg xmlns="http://www.w3.org/2000/svg"></svg>', 'svg'],
    ['<svg viewBox="0 0 1 1"/>', 'svg'],
    ['<html><script>alert(1)</script></html>', null],
    ['<script>alert(document.cookie)</script>', null],
    ['', null],
  ])('%p is %p', (text, format) => expect(sniffFormat(Buffer.from(text))).toBe(format));

  it('knows images by their signatures', () => {
    expect(sniffFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(sniffFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpg');
    expect(sniffFormat(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(sniffFormat(Buffer.from([0, 1, 2, 3, 0, 0, 7, 8]))).toBeNull();
  });

  it('tells ODF documents apart by their stored mimetype entry', () => {
    for (const [mime, format] of [
      ['application/vnd.oasis.opendocument.presentation', 'odp'],
      ['application/vnd.oasis.opendocument.text', 'odt'],
      ['application/vnd.oasis.opendocument.spreadsheet', 'ods'],
      ['application/vnd.oasis.opendocument.graphics', 'odg'],
      ['application/x-something-else', null],
    ]) {
      expect(sniffFormat(zip({ 'content.xml': '<x/>' }, ['mimetype', mime!]))).toBe(format);
    }
  });

  it('tells OOXML documents apart by their parts, and refuses other ZIPs', () => {
    const types = { '[Content_Types].xml': '<Types/>' };
    expect(sniffFormat(zip({ ...types, 'ppt/presentation.xml': '<p/>' }))).toBe('pptx');
    expect(sniffFormat(zip({ ...types, 'word/document.xml': '<w/>' }))).toBe('docx');
    expect(sniffFormat(zip({ ...types, 'xl/workbook.xml': '<x/>' }))).toBe('xlsx');
    expect(sniffFormat(zip({ 'word/document.xml': '<w/>' }))).toBeNull();
    expect(sniffFormat(zip({ 'index.html': '<script/>' }))).toBeNull();
  });

  it('tells legacy Office files apart by their stream names', () => {
    expect(sniffFormat(ole('PowerPoint Document'))).toBe('ppt');
    expect(sniffFormat(ole('WordDocument'))).toBe('doc');
    expect(sniffFormat(ole('Workbook'))).toBe('xls');
    expect(sniffFormat(ole('Nothing known'))).toBeNull();
  });

  it('recognises the shared corpus whatever the files are called', () => {
    const read = (f: string) => readFileSync(corpusFile(`documents/${f}`));
    expect(sniffFormat(read('tracemonkey.pdf'))).toBe('pdf');
    expect(sniffFormat(read('cht-chart-type.pptx'))).toBe('pptx');
    expect(sniffFormat(read('cht-chart-type.odp'))).toBe('odp');
    expect(sniffFormat(read('having-images.docx'))).toBe('docx');
    expect(sniffFormat(read('having-images.odt'))).toBe('odt');
    expect(sniffFormat(read('fish.jpg'))).toBe('jpg');
    expect(sniffFormat(read('firefox_logo.png'))).toBe('png');
  });

  it('routes each format to its converter', () => {
    expect(kindOf('pdf')).toBe('pdf');
    expect(kindOf('svg')).toBe('image');
    expect(kindOf('pptx')).toBe('office');
    expect(kindOf('txt')).toBe('office');
  });
});
