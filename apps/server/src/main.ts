import 'reflect-metadata';
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
import { logger, PinoNestLogger } from './logging/logger';
import { ApiErrorFilter } from './web/http-errors';
import { serveWebApp } from './web/static-web';

/** Child services this process started (PostgreSQL, LiveKit), stopped in reverse order on exit. */
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

  let pg: RunningPostgres | null = null;
  if (config.database.kind === 'embedded') {
    pg = await startEmbeddedPostgres({ ...config.database, password: secrets.postgresPassword });
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

  dataSource = await openDatabase(databaseUrl);
  const runtime: Runtime = {
    config,
    databaseUrl,
    livekit,
    sessionSecret: config.sessionSecret ?? secrets.sessionSecret,
  };
  app = await NestFactory.create<NestExpressApplication>(AppModule.with(runtime, dataSource), {
    logger: new PinoNestLogger(),
    bodyParser: true,
  });
  // LiveKit signs the raw body of its webhooks, sent as application/webhook+json.
  app.use('/api/livekit/webhook', express.text({ type: () => true, limit: '256kb' }));
  app.use(cookieParser());
  app.useGlobalFilters(new ApiErrorFilter());
  serveWebApp(app.getHttpAdapter().getInstance(), config.webRoot);
  await app.listen(config.port, config.host);
  logger.info({ url: `http://localhost:${config.port}` }, 'Estrade is serving the classroom');
}

main().catch(async (err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    logger.fatal({ err }, 'Estrade failed to start');
  }
  await stopChildren();
  process.exit(1);
});
