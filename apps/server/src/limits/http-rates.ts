import type { Rate } from '@estrade/protocol';

/**
 * How often each kind of HTTP request may come: per participant (the files token's, when the
 * route takes one) and per client address. A class behind one router is one address, so an
 * address gets many participants' worth; HTTP_ADDRESS_SCALE scales the address allowances.
 */
export const HTTP_RATES = {
  /**
   * A shown presentation's PDF, thumbnails and text. pdf.js reads a PDF in 256 KB ranges (200 for
   * 50 MB) and a presenter's strip loads thumbnails as it scrolls (500 pages at most): a whole
   * deck at once, then 50 a second. An address: a class of 30 opening a large deck together.
   */
  read: { participant: { burst: 600, everyMs: 20 }, address: { burst: 10_000, everyMs: 2 } },
  /** Downloads of files as they are (PDF, original, notes as text or HTML, an undrawn annotated PDF). */
  download: { participant: { burst: 20, everyMs: 1000 }, address: { burst: 300, everyMs: 50 } },
  /**
   * Files made for the request (annotated PDF, notes as PDF or as a presentation): seconds of
   * work each. A few at once, then one every 10 s; a class exporting at the end of the lesson.
   */
  export: { participant: { burst: 6, everyMs: 10_000 }, address: { burst: 60, everyMs: 1000 } },
  /** The HTTP side of uploads, as the command's own rate (RATES.files); the conversion queue bounds the work. */
  upload: { participant: { burst: 50, everyMs: 1000 }, address: { burst: 300, everyMs: 100 } },
  /** The web app's files: a cold page load is about a hundred, for each of a class at once. */
  web: { address: { burst: 3000, everyMs: 5 } },
  /** Health probes (load balancers, monitors): cheap, but not without end. */
  health: { address: { burst: 200, everyMs: 10 } },
  /** LiveKit's webhooks, before their signature is checked: a class joining sends hundreds at once. */
  webhook: { address: { burst: 3000, everyMs: 5 } },
  /** Any route that names no rate of its own. */
  api: { address: { burst: 600, everyMs: 10 } },
} as const satisfies Record<string, HttpRate>;

export interface HttpRate {
  participant?: Rate;
  address: Rate;
}

export type HttpRateKind = keyof typeof HTTP_RATES;
