import type { DocumentFormat } from '@estrade/protocol';

/**
 * What a file is, from its bytes alone (never its name): an upload named `.png` that is really a
 * script is refused, and a PowerPoint renamed `.pdf` still converts.
 *
 * Written here rather than taken from `file-type`: that package is ESM-only (our server and its
 * Jest run are CommonJS), and it cannot tell a Word from a PowerPoint legacy file, SVG or plain
 * text, which we need. The rules are the formats' own signatures:
 * - PDF `%PDF-` (within the first KiB, as readers allow), PNG, JPEG, WebP (RIFF….WEBP), RTF `{\rtf`;
 * - ODF: a ZIP whose first entry is `mimetype`, stored, naming the document type;
 * - OOXML: a ZIP holding `[Content_Types].xml` and `ppt/`, `word/` or `xl/` parts;
 * - legacy Office: an OLE2 compound file holding a `PowerPoint Document`, `WordDocument` or
 *   `Workbook`/`Book` stream (names in UTF-16LE);
 * - SVG: text whose first element is `<svg`; plain text: UTF-8 without NUL bytes.
 *
 * `head` is the start of the file; `tail` its end (a ZIP's central directory lists every name),
 * or the whole file when it is small.
 */
export function sniffFormat(head: Buffer, tail: Buffer = head): DocumentFormat | null {
  if (head.length === 0) return null;
  if (head.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpg';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'webp';
  if (head.subarray(0, 5).toString('latin1') === '{\\rtf') return 'rtf';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return zipFormat(head, tail);
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return oleFormat(Buffer.concat([head, tail]));
  return textFormat(head);
}

function startsWith(b: Buffer, bytes: number[]): boolean {
  return b.length >= bytes.length && bytes.every((x, i) => b[i] === x);
}

const ODF: Record<string, DocumentFormat> = {
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.graphics': 'odg',
};

function zipFormat(head: Buffer, tail: Buffer): DocumentFormat | null {
  // ODF puts an uncompressed `mimetype` entry first: name at offset 30, content right after.
  const nameLength = head.readUInt16LE(26);
  const extraLength = head.readUInt16LE(28);
  if (head.subarray(30, 30 + nameLength).toString('latin1') === 'mimetype') {
    const start = 30 + nameLength + extraLength;
    const mime = head.subarray(start, start + 80).toString('latin1');
    for (const [type, format] of Object.entries(ODF)) if (mime.startsWith(type)) return format;
    return null;
  }
  const names = Buffer.concat([head, tail]).toString('latin1');
  if (!names.includes('[Content_Types].xml')) return null;
  if (names.includes('ppt/presentation.xml')) return 'pptx';
  if (names.includes('word/document.xml')) return 'docx';
  if (names.includes('xl/workbook.xml')) return 'xlsx';
  return null;
}

function oleFormat(bytes: Buffer): DocumentFormat | null {
  const has = (name: string) => bytes.includes(Buffer.from(name, 'utf16le'));
  if (has('PowerPoint Document')) return 'ppt';
  if (has('WordDocument')) return 'doc';
  if (has('Workbook') || has('Book')) return 'xls';
  return null;
}

function textFormat(head: Buffer): DocumentFormat | null {
  if (head.includes(0)) return null;
  let text: string;
  try {
    // A multi-byte character cut at the end of the sample is not an error: `stream` keeps it.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return null;
  }
  const start = text
    .replace(/^\ufeff/, '')
    .replace(/^\s*(<\?xml[^>]*\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*/i, '')
    .trimStart();
  if (/^<svg[\s>]/i.test(start)) return 'svg';
  if (start.startsWith('<')) return null;
  return 'txt';
}

/** How each format becomes a PDF. */
export function kindOf(format: DocumentFormat): 'pdf' | 'image' | 'office' {
  if (format === 'pdf') return 'pdf';
  if (format === 'png' || format === 'jpg' || format === 'webp' || format === 'svg') return 'image';
  return 'office';
}
