import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { convertWithOptions } from 'libreoffice-convert';
import type { DocumentFormat } from '@estrade/protocol';
import { CommandError } from '../meetings/command-error';
import { logger } from '../logging/logger';

export interface ConverterOptions {
  /** Our wrapper around soffice: no network, its own PID namespace, a hardened throwaway profile. */
  sandbox: string;
  soffice: string;
  timeoutMs: number;
  concurrency: number;
  /** Conversions that may wait for a turn; one more is refused as `busy`. */
  queue: number;
  tmpDir: string;
}

/**
 * ODF and Office files to PDF through LibreOffice (libreoffice-convert), a few at a time: a class
 * uploading twenty decks at once waits in a bounded queue instead of starving the server, and a
 * conversion past its time is killed with everything it started.
 */
export class OfficeConverter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly o: ConverterOptions) {}

  async toPdf(input: string, format: DocumentFormat, output: string): Promise<void> {
    await this.turn();
    try {
      const pdf = await this.convert(await readFile(input), format);
      await writeFile(output, pdf);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private turn(): Promise<void> {
    if (this.running < this.o.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.o.queue) {
      return Promise.reject(new CommandError('busy', 'Too many documents are being converted: try again in a minute'));
    }
    return new Promise((resolve) => this.waiting.push(() => (this.running++, resolve())));
  }

  private convert(document: Buffer, format: DocumentFormat): Promise<Buffer> {
    const started = Date.now();
    const options = {
      sofficeBinaryPaths: [this.o.sandbox],
      // The extension tells LibreOffice which import filter to try first (plain text needs it).
      fileName: `source.${format}`,
      tmpOptions: { tmpdir: this.o.tmpDir },
      // Not in the package's types, passed to execFile: the timeout kills the sandbox, and with
      // it (PID namespace) every LibreOffice process.
      execOptions: {
        timeout: this.o.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 1024 * 1024,
        env: { ...process.env, SOFFICE_BINARY: this.o.soffice },
      },
      asyncOptions: { times: 2, interval: 100 },
    };
    return new Promise((resolve, reject) => {
      convertWithOptions(document, 'pdf', undefined, options, (err, pdf) => {
        if (!err) {
          logger.info({ format, ms: Date.now() - started }, 'converted with LibreOffice');
          return resolve(pdf);
        }
        const killed = (err as { killed?: boolean }).killed || (err as { signal?: string }).signal === 'SIGKILL';
        if (killed) {
          logger.warn({ format, ms: Date.now() - started }, 'LibreOffice conversion timed out: killed');
          return reject(
            new CommandError('conversion_timeout', `Converting took longer than ${this.o.timeoutMs / 1000} s`),
          );
        }
        logger.warn({ format, err: String(err.message).slice(0, 500) }, 'LibreOffice conversion failed');
        reject(new CommandError('conversion_failed', 'LibreOffice could not convert this document'));
      });
    });
  }
}

export const SANDBOX_SCRIPT = (repoRoot: string) => path.join(repoRoot, 'apps/server/bin/soffice-sandbox');
