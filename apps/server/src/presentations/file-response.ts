import type { Response } from 'express';
import * as path from 'node:path';

/** Downloads are checked on each request: the presenter may withdraw the permission. */
export const NO_CACHE = 'private, no-cache';

/** A file's name without its extension, for names of downloads made from it. */
export const baseName = (name: string) => name.replace(/\.[^.]*$/, '') || 'presentation';

/** Headers of every presentation file: a fixed type, never sniffed, never run as a page. */
function fileHeaders(res: Response, type: string, cache: string, name: string, disposition: string) {
  res.setHeader('Content-Type', type);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Cache-Control', cache);
  res.setHeader(
    'Content-Disposition',
    `${disposition}; filename="${ascii(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
}

export function sendFile(res: Response, file: string, type: string, cache: string, name: string, disposition: string) {
  fileHeaders(res, type, cache, name, disposition);
  // Served by base name from its own folder: `send` then judges only that name (a storage root
  // under a dotted folder must still serve).
  res.sendFile(path.basename(file), { root: path.dirname(file) }, (err) => {
    if (err && !res.headersSent) {
      res.removeHeader('Content-Disposition');
      res.status(404).json({ code: 'not_found', message: 'Not available (yet)' });
    }
  });
}

/** A file made for this request (an annotated PDF), with the same headers as stored ones. */
export function sendBytes(
  res: Response,
  bytes: Uint8Array,
  type: string,
  cache: string,
  name: string,
  disposition: string,
) {
  fileHeaders(res, type, cache, name, disposition);
  res.setHeader('Content-Length', String(bytes.byteLength));
  res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

const ascii = (name: string) => name.replace(/[^\x20-\x7e]|["\\]/g, '_');
