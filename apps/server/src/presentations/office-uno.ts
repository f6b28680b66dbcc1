import { z } from 'zod';
import type { DocumentFormat } from '@estrade/protocol';

/**
 * What the server and the resident LibreOffice's helper (apps/server/bin/soffice-resident.py)
 * say to each other, one JSON object a line, kept apart so it can be tested without LibreOffice.
 *
 * Over UNO, unlike `soffice --convert-to pdf`, the caller names the PDF export filter, and each
 * LibreOffice module has its own: a presentation stored with Writer's filter is an error.
 */
export function pdfExportFilter(format: DocumentFormat): string {
  switch (format) {
    case 'odp':
    case 'ppt':
    case 'pptx':
      return 'impress_pdf_Export';
    case 'odg':
      return 'draw_pdf_Export';
    case 'ods':
    case 'xls':
    case 'xlsx':
      return 'calc_pdf_Export';
    case 'odt':
    case 'doc':
    case 'docx':
    case 'rtf':
    case 'txt':
      return 'writer_pdf_Export';
    default:
      throw new Error(`${format} is not an office format`);
  }
}

export interface UnoRequest {
  id: number;
  /** Named with the format's extension: plain text is only recognised by it. */
  input: string;
  output: string;
  filter: string;
}

export const UnoMessage = z.union([
  z.object({ ready: z.literal(true) }),
  /** The helper took the request up (it may first finish a warm-up step): its time limit starts. */
  z.object({ id: z.number().int(), started: z.literal(true) }),
  z.object({ id: z.number().int(), ok: z.literal(true) }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: z.string() }),
]);
export type UnoMessage = z.infer<typeof UnoMessage>;

/** A line the helper printed, or null for anything else (LibreOffice may write to stdout too). */
export function parseUnoMessage(line: string): UnoMessage | null {
  try {
    const parsed = UnoMessage.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * When a resident LibreOffice is replaced: after a crash or a timeout (its state is unknown) and
 * after `every` conversions (a long-running soffice grows and caches; a fresh profile each time
 * also forgets whatever a document left in it).
 */
export function needsRestart(
  outcome: 'converted' | 'failed' | 'timeout' | 'crashed',
  conversions: number,
  every: number,
): boolean {
  return outcome === 'timeout' || outcome === 'crashed' || conversions >= every;
}
