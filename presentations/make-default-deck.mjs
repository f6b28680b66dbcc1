#!/usr/bin/env node
// Writes default.pdf, the deck every meeting starts with: a welcome page (the classroom draws
// the room's name in its middle band, in any script) and five blank pages for the whiteboard.
// Run it again after changing the design: `node presentations/make-default-deck.mjs`.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

const W = 960;
const H = 540;
const pdf = await PDFDocument.create();
pdf.setTitle('Estrade');
pdf.setCreator('Estrade');
pdf.setProducer('Estrade');
// Fixed dates: the same bytes every time, so the file's SHA-256 (its id) only changes with its design.
pdf.setCreationDate(new Date('2026-01-01T00:00:00Z'));
pdf.setModificationDate(new Date('2026-01-01T00:00:00Z'));
const font = await pdf.embedFont(StandardFonts.Helvetica);
const bold = await pdf.embedFont(StandardFonts.HelveticaBold);

const welcome = pdf.addPage([W, H]);
welcome.drawRectangle({ x: 0, y: 0, width: W, height: H, color: rgb(0.96, 0.97, 1) });
welcome.drawRectangle({ x: 0, y: H - 12, width: W, height: 12, color: rgb(0.18, 0.33, 0.75) });
welcome.drawText('Estrade', { x: 48, y: H - 70, size: 26, font: bold, color: rgb(0.18, 0.33, 0.75) });
const hello = 'Bienvenue  ·  Welcome';
welcome.drawText(hello, {
  x: (W - font.widthOfTextAtSize(hello, 30)) / 2,
  y: H * 0.62,
  size: 30,
  font,
  color: rgb(0.3, 0.32, 0.4),
});
// The band from 30 % to 55 % of the height is left empty for the room's name.
welcome.drawLine({
  start: { x: W * 0.3, y: H * 0.27 },
  end: { x: W * 0.7, y: H * 0.27 },
  thickness: 1.5,
  color: rgb(0.18, 0.33, 0.75),
});
const hint = 'Le cours va commencer  ·  The class will start soon';
welcome.drawText(hint, {
  x: (W - font.widthOfTextAtSize(hint, 16)) / 2,
  y: H * 0.18,
  size: 16,
  font,
  color: rgb(0.45, 0.47, 0.55),
});
for (let i = 0; i < 5; i++) pdf.addPage([W, H]);

const out = join(dirname(fileURLToPath(import.meta.url)), 'default.pdf');
writeFileSync(out, await pdf.save({ useObjectStreams: true }));
console.log(`wrote ${out}`);
