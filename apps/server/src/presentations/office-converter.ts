import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { DocumentFormat } from '@estrade/protocol';
import type { Config } from '../config/config';
import { CommandError } from '../meetings/command-error';
import { Turns } from '../limits/turns';
import { logger } from '../logging/logger';
import { convertCold, type ColdOptions } from './office-cold';
import { ResidentOffice, ResidentUnavailable } from './office-resident';

export interface ConverterOptions extends ColdOptions {
  concurrency: number;
  /** Conversions that may wait for a turn; one more is refused as `busy`. */
  queue: number;
  /** Resident LibreOffices (one per concurrent conversion), or null for a cold one each time. */
  resident: { helper: string; python: string; restartEvery: number; profileDir: string } | null;
}

/**
 * ODF and Office files to PDF through LibreOffice, a few at a time: a class uploading twenty
 * decks at once waits in a bounded queue instead of starving the server. Each turn goes to an
 * idle resident LibreOffice (warm, see office-resident.ts), or to a cold one when the resident
 * cannot start (python3-uno missing, say).
 */
export class OfficeConverter {
  private readonly turns: Turns;
  private readonly residents: ResidentOffice[];
  private readonly idle: ResidentOffice[];

  constructor(private readonly o: ConverterOptions) {
    this.turns = new Turns(
      o.concurrency,
      o.queue,
      () => new CommandError('busy', 'Too many documents are being converted: try again in a minute'),
    );
    const r = o.resident;
    this.residents = r
      ? Array.from({ length: o.concurrency }, () => new ResidentOffice({ ...o, ...r, timeoutMs: o.timeoutMs }))
      : [];
    this.idle = [...this.residents];
  }

  /** Starts the resident LibreOffices in the background: the server is ready before they are. */
  warmUp(): void {
    for (const r of this.residents) r.warmUp();
  }

  async close(): Promise<void> {
    await Promise.all(this.residents.map((r) => r.close()));
  }

  toPdf(input: string, format: DocumentFormat, output: string): Promise<void> {
    return this.turns.run(async () => {
      const resident = this.idle.pop();
      try {
        if (resident) {
          try {
            return await resident.convert(input, format, output);
          } catch (err) {
            // A failure may be the resident's (its LibreOffice killed from outside, answering from
            // a dead connection) rather than the document's: a cold LibreOffice has the last word.
            const failed = err instanceof CommandError && err.code === 'conversion_failed';
            if (!(err instanceof ResidentUnavailable) && !failed) throw err;
            if (failed) logger.warn({ format }, 'the resident LibreOffice failed: trying a cold one');
          }
        }
        await convertCold(this.o, input, format, output);
      } finally {
        if (resident) this.idle.push(resident);
      }
    });
  }
}

export const SANDBOX_SCRIPT = (repoRoot: string) => path.join(repoRoot, 'apps/server/bin/soffice-sandbox');
export const RESIDENT_HELPER = (repoRoot: string) => path.join(repoRoot, 'apps/server/bin/soffice-resident.py');

/** Scratch space for uploads and conversions, under the storage root, emptied at each start. */
export const scratchDir = (config: Config) => path.join(config.slides.storageDir, '.tmp');

/**
 * The converter for these settings, with its resident LibreOffices starting in the background.
 * The server calls it first thing (main.ts), before PostgreSQL and LiveKit start: soffice then
 * takes its two seconds meanwhile, and the first upload after a start finds it ready. Empties
 * the scratch space and the LibreOffice profiles a previous run left.
 */
export function startOfficeConverter(config: Config): OfficeConverter {
  const s = config.slides;
  const tmpDir = scratchDir(config);
  const profileDir = path.join(s.storageDir, '.office');
  for (const dir of [tmpDir, profileDir]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  const converter = new OfficeConverter({
    sandbox: SANDBOX_SCRIPT(config.repoRoot),
    soffice: s.soffice,
    timeoutMs: s.conversionMs,
    concurrency: s.conversionConcurrency,
    queue: s.conversionQueue,
    tmpDir,
    resident: s.resident
      ? { helper: RESIDENT_HELPER(config.repoRoot), python: s.python, restartEvery: s.restartEvery, profileDir }
      : null,
  });
  converter.warmUp();
  return converter;
}
