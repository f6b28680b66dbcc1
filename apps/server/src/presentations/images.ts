import { readFile, writeFile } from 'node:fs/promises';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import type { DocumentFormat } from '@estrade/protocol';
import { CommandError } from '../meetings/command-error';

/** Beyond this an image is a decompression bomb, not a slide. */
const MAX_PIXELS = 60_000_000;
const MAX_SIDE = 20_000;

/**
 * An image becomes a one-page PDF the size of the image (one pixel, one point). PNG and JPEG
 * are embedded as they are; WebP and SVG are drawn first (Skia, which fetches nothing an SVG
 * links to) and embedded as PNG.
 */
export async function imageToPdf(input: string, format: DocumentFormat, output: string): Promise<void> {
  const bytes = await readFile(input);
  const pdf = await PDFDocument.create();
  let image;
  try {
    if (format === 'png') image = await pdf.embedPng(bytes);
    else if (format === 'jpg') image = await pdf.embedJpg(bytes);
    else {
      const decoded = await loadImage(bytes);
      check(decoded.width, decoded.height);
      const canvas = createCanvas(Math.max(1, Math.round(decoded.width)), Math.max(1, Math.round(decoded.height)));
      canvas.getContext('2d').drawImage(decoded, 0, 0, canvas.width, canvas.height);
      image = await pdf.embedPng(await canvas.encode('png'));
    }
  } catch (err) {
    if (err instanceof CommandError) throw err;
    throw new CommandError('broken_document', 'This image cannot be read');
  }
  check(image.width, image.height);
  const page = pdf.addPage([image.width, image.height]);
  page.drawImage(image, { x: 0, y: 0, width: image.width, height: image.height });
  await writeFile(output, await pdf.save());
}

function check(width: number, height: number) {
  if (!(width > 0 && height > 0)) throw new CommandError('broken_document', 'This image has no size');
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw new CommandError('too_large', `Images are limited to ${MAX_PIXELS / 1e6} megapixels`);
  }
}
