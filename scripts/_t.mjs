import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readFileSync } from 'node:fs';
const file = process.argv[2];
const data = new Uint8Array(readFileSync(file));
const doc = await getDocument({ data, isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
let op = 0, render = 0, enc = 0;
for (let i = 1; i <= 60; i++) {
  const page = await doc.getPage(i);
  let t = performance.now();
  const ol = await page.getOperatorList();
  op += performance.now() - t; t = performance.now();
  const vp = page.getViewport({ scale: 1 });
  const v = page.getViewport({ scale: 150 / vp.width });
  const { canvas, context } = doc.canvasFactory.create(Math.ceil(v.width), Math.ceil(v.height));
  await page.render({ canvas, canvasContext: context, viewport: v }).promise;
  render += performance.now() - t; t = performance.now();
  await canvas.encode(process.argv[3] ?? 'webp', 75);
  enc += performance.now() - t;
  page.cleanup();
}
console.log({ op, render, enc });
