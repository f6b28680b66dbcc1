import 'reflect-metadata';
import * as path from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express from 'express';
import type { DataSource } from 'typeorm';
import { ConfigError, parseConfig, type Runtime } from './config/config';
import { AppModule } from './app.module';
import { openDatabase } from './database/data-source';
import { findRepoRoot } from './infra/repo-root';
import { findLivekitBinary, startEmbeddedLivekit, type RunningLivekit } from './infra/embedded-livekit';
import { startEmbeddedPostgres, type RunningPostgres } from './infra/embedded-postgres';
import { loadOrCreateSecrets } from './infra/secrets';
import { StartupError } from './infra/startup-error';
import { logger, PinoNestLogger } from './logging/logger';
import { HttpLimits } from './limits/http-limits';
import { startOfficeConverter } from './presentations/office-converter';
import { ApiErrorFilter } from './web/http-errors';
import { securityHeaders } from './web/security-headers';
import { serveWebApp } from './web/static-web';

/** Connections the kernel may hold before the server accepts them. */
const LISTEN_BACKLOG = 4096;

/** Child services this process started (LibreOffice, PostgreSQL, LiveKit), stopped in reverse order on exit. */
const children: { stop(): Promise<void> }[] = [];
const stopChildren = async () => {
  for (const c of children.splice(0).reverse()) await c.stop().catch(() => undefined);
};

async function main() {
  const repoRoot = findRepoRoot(__dirname);
  const config = parseConfig(process.env, repoRoot);
  logger.level = config.logLevel;
  const secrets = loadOrCreateSecrets(config.dataDir);
  let stopping = false;
  let app: NestExpressApplication | null = null;
  let dataSource: DataSource | null = null;
  // Registered first, so Ctrl-C during start-up also stops what was already started.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await app?.close().catch(() => undefined);
    await dataSource?.destroy().catch(() => undefined);
    await stopChildren();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // LibreOffice first: its two seconds of start-up overlap PostgreSQL's and LiveKit's.
  const office = startOfficeConverter(config);
  children.push({ stop: () => office.close() });

  let pg: RunningPostgres | null = null;
  if (config.database.kind === 'embedded') {
    pg = await startEmbeddedPostgres({
      dir: config.database.dir,
      port: config.database.port,
      binaries: config.database.binaries,
      password: secrets.postgresPassword,
    });
    children.push(pg);
    logger.info({ port: config.database.port }, 'embedded PostgreSQL started');
  }
  const databaseUrl = config.database.kind === 'external' ? config.database.url : pg!.url;

  let livekit: Runtime['livekit'];
  if (config.livekit.kind === 'embedded') {
    const lk: RunningLivekit = await startEmbeddedLivekit({
      binary: findLivekitBinary(repoRoot, config.livekit.binary),
      dataDir: config.dataDir,
      port: config.livekit.port,
      rtcPort: config.livekit.rtcPort,
      apiKey: secrets.livekitApiKey,
      apiSecret: secrets.livekitApiSecret,
      webhookUrl: `http://127.0.0.1:${config.port}/api/livekit/webhook`,
    });
    children.push(lk);
    livekit = {
      url: lk.url,
      publicUrl: config.livekit.publicUrl,
      apiKey: secrets.livekitApiKey,
      apiSecret: secrets.livekitApiSecret,
    };
    logger.info({ port: config.livekit.port }, 'embedded LiveKit started');
  } else {
    livekit = {
      url: config.livekit.url,
      publicUrl: config.livekit.publicUrl,
      apiKey: config.livekit.apiKey,
      apiSecret: config.livekit.apiSecret,
    };
  }

  dataSource = await openDatabase(databaseUrl).catch((err: Error) => {
    throw new StartupError(
      'PostgreSQL',
      `cannot open the database (${err.message})`,
      config.database.kind === 'external' ? 'Check DATABASE_URL and that the server is reachable' : 'See the log above',
    );
  });
  const runtime: Runtime = {
    config,
    databaseUrl,
    livekit,
    sessionSecret: config.sessionSecret ?? secrets.sessionSecret,
    office,
  };
  app = await NestFactory.create<NestExpressApplication>(AppModule.with(runtime, dataSource), {
    logger: new PinoNestLogger(),
    bodyParser: true,
  });
  const http = app.getHttpAdapter().getInstance();
  http.disable('x-powered-by');
  http.set('trust proxy', config.trustProxy);
  app.use(
    securityHeaders({
      indexHtml: path.join(config.webRoot, 'index.html'),
      livekitPublicUrl: livekit.publicUrl,
      frameAncestors: config.frameAncestors,
    }),
  );
  // LiveKit signs the raw body of its webhooks, sent as application/webhook+json.
  app.use('/api/livekit/webhook', express.text({ type: () => true, limit: '256kb' }));
  app.use(cookieParser());
  app.useGlobalFilters(new ApiErrorFilter());
  serveWebApp(http, config.webRoot, app.get(HttpLimits));
  // Modules start here (default deck, workers...): their failures keep their own message.
  await app.init();
  // A class coming back at once (a restart, a network blip) opens thousands of connections in a
  // moment: Node's default queue of 511 unaccepted connections overflowed at 3,000, and each
  // connection dropped there waits a second for the client's retry. Node passes the backlog on
  // (Nest's typings leave it out); the kernel caps it at net.core.somaxconn.
  const listen = app as unknown as { listen(port: number, host: string, backlog: number): Promise<unknown> };
  await listen.listen(config.port, config.host, LISTEN_BACKLOG).catch((err: Error) => {
    throw new StartupError(
      'HTTP server',
      `cannot listen on ${config.host}:${config.port} (${err.message})`,
      'Set PORT to a free port',
    );
  });
  logger.info({ url: `http://localhost:${config.port}` }, 'Estrade is serving the classroom');
}

main().catch(async (err: unknown) => {
  // One line a person can act on; the stack only when asked for (LOG_LEVEL=debug).
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`Estrade could not start: ${message.split('\n')[0]}\n`);
    logger.debug({ err }, 'start-up failure');
  }
  await stopChildren();
  process.exit(1);
});
