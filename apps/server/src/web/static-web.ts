import * as fs from 'node:fs';
import * as path from 'node:path';
import express, { type Express } from 'express';
import { TooFast, type HttpLimits } from '../limits/http-limits';
import { addressOf } from './client-address';

/**
 * Serves the built single-page app. Hashed assets are cached for a year; any other GET outside
 * /api and /socket.io gets index.html so deep links (/j/<code>, /m/<id>) load the app.
 */
export function serveWebApp(app: Express, webRoot: string, limits: HttpLimits) {
  const index = path.join(webRoot, 'index.html');
  if (!fs.existsSync(index)) throw new Error(`Web app not built: ${index} is missing (run npm run build)`);
  const appPath = /^\/(?!api\/|socket\.io\/|bigbluebutton\/).*/;
  // Cheap files, but a flood from one address is still bounded (generously: a class loads the app at once).
  app.use((req, res, next) => {
    if (!appPath.test(req.path)) return next();
    try {
      limits.take('web', addressOf(req), null);
      next();
    } catch (err) {
      if (!(err instanceof TooFast)) throw err;
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
      res.status(429).json({ code: err.code, message: err.message });
    }
  });
  app.use('/_app/immutable', express.static(path.join(webRoot, '_app/immutable'), { immutable: true, maxAge: '365d' }));
  // API and socket requests never look for a file on disk on their way. Not app.use(appPath, …):
  // a mount path is cut off req.url, and this one matches all of it, so no file was ever found.
  const files = express.static(webRoot, { index: false, maxAge: 0 });
  app.use((req, res, next) => (appPath.test(req.path) ? files(req, res, next) : next()));
  app.get(appPath, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
