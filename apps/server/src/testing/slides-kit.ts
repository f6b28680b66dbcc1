import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { FilesAccess, SOCKET } from '@estrade/protocol';
import type { TestClient } from './classroom-kit';

/**
 * The shared test documents: ESTRADE_CORPUS, else `../shared/corpus` beside the checkout, else
 * the workplace's copy (a fresh clone elsewhere still finds it). Missing, the tests fail.
 */
export const CORPUS = (() => {
  const candidates = [
    process.env.ESTRADE_CORPUS,
    path.resolve(__dirname, '../../../../../shared/corpus'),
    '/work/shared/corpus',
  ].filter((c): c is string => Boolean(c));
  const found = candidates.find((c) => existsSync(path.join(c, 'documents')));
  if (!found) throw new Error(`test documents not found (set ESTRADE_CORPUS); looked in ${candidates.join(', ')}`);
  return found;
})();
export const corpusFile = (name: string) => path.join(CORPUS, name);

/** The files token of a connected participant (what the web app puts in file URLs). */
export async function filesAccess(client: TestClient): Promise<FilesAccess> {
  let reply = await client.request(SOCKET.presentationAccess);
  // Tests ask for a token per request, faster than a page ever does: past the rate, wait as a
  // page would, and ask again.
  for (let attempt = 0; !reply.ok && reply.code === 'too_fast' && attempt < 10; attempt++) {
    await new Promise((r) => setTimeout(r, 250));
    reply = await client.request(SOCKET.presentationAccess);
  }
  if (!reply.ok) throw new Error(`no files access: ${reply.code}`);
  return FilesAccess.parse(reply.result);
}

export interface UploadResult {
  status: number;
  json: { presentationId?: string; fileId?: string; cached?: boolean; code?: string; message?: string };
  ms: number;
}

/** Uploads bytes as the web app does: PUT with the files token. */
export async function upload(client: TestClient, body: Buffer | ReadableStream, name: string): Promise<UploadResult> {
  const { access } = await filesAccess(client);
  const started = Date.now();
  const res = await fetch(`${client.server.url}/api/presentations?name=${encodeURIComponent(name)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${access}`, 'content-type': 'application/octet-stream' },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const json = (await res.json().catch(() => ({}))) as UploadResult['json'];
  return { status: res.status, json, ms: Date.now() - started };
}

export const uploadFile = (client: TestClient, file: string, name = path.basename(file)) =>
  upload(client, readFileSync(file), name);

/** GET a presentation file with this participant's token. */
export async function getFile(client: TestClient, fileId: string, rest: string, token?: string) {
  const access = token ?? (await filesAccess(client)).access;
  return fetch(`${client.server.url}/api/presentations/${fileId}/${rest}?access=${encodeURIComponent(access)}`);
}

/** Pages of a PDF as poppler's pdfinfo counts them: a second opinion on pdf.js. */
export function pdfinfoPages(pdf: Buffer | string): number {
  const out = execFileSync('pdfinfo', [typeof pdf === 'string' ? pdf : '-'], {
    input: typeof pdf === 'string' ? undefined : pdf,
    encoding: 'utf8',
  });
  const m = /^Pages:\s+(\d+)/m.exec(out);
  if (!m) throw new Error(`pdfinfo gave no page count:\n${out}`);
  return Number(m[1]);
}

/** The resolution (x ppi) of each image drawn on one page of a PDF, from poppler's pdfimages. */
export function pdfImageResolutions(pdf: Buffer, page: number): number[] {
  const out = execFileSync('pdfimages', ['-list', '-f', String(page), '-l', String(page), '-'], {
    input: pdf,
    encoding: 'utf8',
  });
  // Two header lines, then: page num type width height color comp bpc enc interp object ID x-ppi …
  return out
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[2] === 'image')
    .map((f) => Number(f[12]));
}

/** An ODT whose content links to a local file and a URL (a linked section and a linked image). */
export function linkingOdt(localFile: string, url: string): Buffer {
  const content = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2">
<office:body><office:text>
<text:p>Before the links</text:p>
<text:section text:name="Local"><text:section-source xlink:href="file://${localFile}" xlink:type="simple" text:filter-name="Text"/></text:section>
<text:section text:name="Remote"><text:section-source xlink:href="${url}/section.txt" xlink:type="simple" text:filter-name="Text"/></text:section>
<text:p><draw:frame svg:width="2cm" svg:height="2cm"><draw:image xlink:href="${url}/image.png" xlink:type="simple"/></draw:frame></text:p>
<text:p>After the links</text:p>
</office:text></office:body></office:document-content>`;
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`;
  // ODF wants `mimetype` first and stored (not compressed).
  return Buffer.from(
    zipSync({
      mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
      'content.xml': strToU8(content),
      'META-INF/manifest.xml': strToU8(manifest),
    }),
  );
}

/** A DOCX with INCLUDETEXT fields on a local file and a URL, and an image linked by URL. */
export function linkingDocx(localFile: string, url: string): Buffer {
  const types = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
  const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
  const docRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${url}/docx-image.png" TargetMode="External"/></Relationships>`;
  const doc = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>
<w:p><w:r><w:t>Before the links</w:t></w:r></w:p>
<w:p><w:fldSimple w:instr=' INCLUDETEXT "file://${localFile}" '><w:r><w:t>local placeholder</w:t></w:r></w:fldSimple></w:p>
<w:p><w:fldSimple w:instr=' INCLUDETEXT "${url}/include.txt" '><w:r><w:t>remote placeholder</w:t></w:r></w:fldSimple></w:p>
<w:p><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="p"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="p"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="rId5"/></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
<w:p><w:r><w:t>After the links</w:t></w:r></w:p>
</w:body></w:document>`;
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(types),
      '_rels/.rels': strToU8(rels),
      'word/document.xml': strToU8(doc),
      'word/_rels/document.xml.rels': strToU8(docRels),
    }),
  );
}
