import * as fs from 'node:fs';
import * as path from 'node:path';
import express, { type Express } from 'express';

/**
 * Serves the built single-page app. Hashed assets are cached for a year; any other GET outside
 * /api and /socket.io gets index.html so deep links (/j/<code>, /m/<id>) load the app.
 */
export function serveWebApp(app: Express, webRoot: string) {
  const index = path.join(webRoot, 'index.html');
  if (!fs.existsSync(index)) throw new Error(`Web app not built: ${index} is missing (run npm run build)`);
  const appPath = /^\/(?!api\/|socket\.io\/|bigbluebutton\/).*/;
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
