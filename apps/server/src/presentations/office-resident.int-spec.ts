import { execFileSync } from 'node:child_process';
import { liveClassroom, TestClient } from '../testing/classroom-kit';
import type { TestServer } from '../testing/test-server';
import { corpusFile, getFile, pdfImageResolutions, pdfinfoPages, uploadFile } from '../testing/slides-kit';

/**
 * The resident LibreOffice (office-resident.ts) against the real one: warm from the server's
 * start, still there after a crash, replaced every N conversions, and the cold one when it
 * cannot start.
 */

/** This server's LibreOffice processes (their profiles live under its data folder): pid → command line. */
function soffices(server: TestServer): Map<number, string> {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-a', '-f', 'soffice.bin'], { encoding: 'utf8' });
  } catch {
    // pgrep exits 1 when there is none.
  }
  const lines = out
    .trim()
    .split('\n')
    .filter((l) => l.includes(server.dataDir) && l.includes('soffice.bin'));
  return new Map(lines.map((l) => [Number(l.split(' ')[0]), l]));
}

/**
 * The pid of the resident LibreOffice once its `n`th start is ready (the first start with a new
 * profile restarts soffice.bin once, so a pid seen earlier may be gone).
 */
async function residentPid(server: TestServer, n: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (server.logs.split('resident LibreOffice ready').length - 1 < n) {
    if (Date.now() > deadline) throw new Error(`no resident LibreOffice ready (${n})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // It listens on a UNO pipe; a cold one does not.
  const found = [...soffices(server)].filter(([, line]) => line.includes('--accept=pipe'));
  expect(found).toHaveLength(1);
  return found[0][0];
}

async function convert(teacher: TestClient, name: string) {
  const res = await uploadFile(teacher, corpusFile(`documents/${name}`));
  expect(res).toMatchObject({ status: 201 });
  const pdf = await getFile(teacher, res.json.fileId!, 'document.pdf');
  const bytes = Buffer.from(await pdf.arrayBuffer());
  return { ms: res.ms, pages: pdfinfoPages(bytes), bytes };
}

describe('slides: the resident LibreOffice (real LibreOffice, python3-uno)', () => {
  const { server, classroom } = liveClassroom({ LOG_LEVEL: 'info', CONVERSION_RESTART_EVERY: '3' });
  let teacher: TestClient;

  beforeAll(async () => {
    ({ teacher } = await classroom.withTeacherAndStudent());
  });

  it('starts with the server, before any upload, and converts with it', async () => {
    const pid = await residentPid(server, 1);
    // Sandboxed as the cold conversions are: a network namespace of its own.
    expect(execFileSync('readlink', [`/proc/${pid}/ns/net`], { encoding: 'utf8' })).not.toBe(
      execFileSync('readlink', ['/proc/self/ns/net'], { encoding: 'utf8' }),
    );
    expect(await convert(teacher, 'having-images.odt')).toMatchObject({ pages: 1 });
    expect(server.logs).toContain('converted with the resident LibreOffice');
    expect(server.logs).not.toContain('cold');
  });

  it('converts presentations and documents with the page counts of a cold conversion, and is replaced every 3', async () => {
    const first = await residentPid(server, 1);
    expect(await convert(teacher, 'tbl-cell.pptx')).toMatchObject({ pages: 3 });
    expect(await convert(teacher, 'having-images.docx')).toMatchObject({ pages: 1 });
    // Third conversion of this LibreOffice (the .odt above was the first): replaced after it.
    const second = await residentPid(server, 2);
    expect(soffices(server).has(first)).toBe(false);
    const charts = await convert(teacher, 'cht-chart-type.odp');
    expect(charts).toMatchObject({ pages: 8 });
    // Its first slide's three 3-D charts are drawn as images: still at 300 dpi, with the profile's
    // anti-aliasing off (registrymodifications.xcu), only the 3 x 3 oversampling is gone.
    const resolutions = pdfImageResolutions(charts.bytes, 1);
    expect(resolutions).toHaveLength(3);
    for (const ppi of resolutions) expect(ppi).toBeGreaterThanOrEqual(295);
    expect(await convert(teacher, 'txt-font-props.pptx')).toMatchObject({ pages: 5 });
    expect(await residentPid(server, 2)).toBe(second);
  });

  it('still converts after its LibreOffice was killed from outside', async () => {
    const pid = await residentPid(server, 2);
    process.kill(pid, 'SIGKILL');
    expect(await convert(teacher, 'tbl-having-tables.docx')).toMatchObject({ pages: 1 });
    expect(await residentPid(server, 3)).not.toBe(pid);
    // Seen dead by its helper (exited), or by the conversion itself (then a cold one converts).
    expect(server.logs).toMatch(/the resident LibreOffice (exited|died during a conversion|failed: trying a cold one)/);
  });
});

describe('slides: without python3-uno, cold LibreOffice conversions (real LibreOffice)', () => {
  const { server, classroom } = liveClassroom({ LOG_LEVEL: 'info', CONVERSION_PYTHON: '/nonexistent/python3' });

  it('converts with a cold LibreOffice, and says why', async () => {
    const { teacher } = await classroom.withTeacherAndStudent();
    expect(await convert(teacher, 'having-images.docx')).toMatchObject({ pages: 1 });
    expect(server.logs).toContain('the resident LibreOffice could not start');
    expect(server.logs).toContain('converted with a cold LibreOffice');
  });
});
