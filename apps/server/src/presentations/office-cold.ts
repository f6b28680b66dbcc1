import { readFile, writeFile } from 'node:fs/promises';
import { convertWithOptions } from 'libreoffice-convert';
import type { DocumentFormat } from '@estrade/protocol';
import { CommandError } from '../meetings/command-error';
import { logger } from '../logging/logger';

export interface ColdOptions {
  /** Our wrapper around soffice: no network, its own PID namespace, a hardened throwaway profile. */
  sandbox: string;
  soffice: string;
  timeoutMs: number;
  tmpDir: string;
}

/**
 * One LibreOffice started for one conversion (libreoffice-convert), then gone: seconds slower
 * than the resident LibreOffice, but it needs nothing more than soffice, so it is the fallback
 * when the resident one cannot start. Past its time the sandbox is killed, and with it (PID
 * namespace) every LibreOffice process.
 */
export async function convertCold(o: ColdOptions, input: string, format: DocumentFormat, output: string) {
  await writeFile(output, await coldPdf(o, await readFile(input), format));
}

function coldPdf(o: ColdOptions, document: Buffer, format: DocumentFormat): Promise<Buffer> {
  const started = Date.now();
  const options = {
    sofficeBinaryPaths: [o.sandbox],
    // The extension tells LibreOffice which import filter to try first (plain text needs it).
    fileName: `source.${format}`,
    tmpOptions: { tmpdir: o.tmpDir },
    // Not in the package's types, passed to execFile: the timeout kills the sandbox.
    execOptions: {
      timeout: o.timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: 1024 * 1024,
      env: { ...process.env, SOFFICE_BINARY: o.soffice },
    },
    asyncOptions: { times: 2, interval: 100 },
  };
  return new Promise((resolve, reject) => {
    convertWithOptions(document, 'pdf', undefined, options, (err, pdf) => {
      if (!err) {
        logger.info({ format, ms: Date.now() - started }, 'converted with a cold LibreOffice');
        return resolve(pdf);
      }
      const killed = (err as { killed?: boolean }).killed || (err as { signal?: string }).signal === 'SIGKILL';
      if (killed) {
        logger.warn({ format, ms: Date.now() - started }, 'LibreOffice conversion timed out: killed');
        return reject(timeoutError(o.timeoutMs));
      }
      logger.warn({ format, err: String(err.message).slice(0, 500) }, 'LibreOffice conversion failed');
      reject(failedError());
    });
  });
}

export const timeoutError = (ms: number) =>
  new CommandError('conversion_timeout', `Converting took longer than ${ms / 1000} s`);
export const failedError = () => new CommandError('conversion_failed', 'LibreOffice could not convert this document');
