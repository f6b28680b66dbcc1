import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * SHA-256 sources of the inline scripts of the built pages: SvelteKit starts the app from one
 * inline script, which a strict policy allows by its hash (never 'unsafe-inline').
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    hashes.add(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}

/** The LiveKit URL browsers connect to, in both its WebSocket and HTTP forms (the client uses both). */
function mediaOrigins(publicUrl: string): string[] {
  const ws = new URL(publicUrl);
  const http = new URL(publicUrl);
  http.protocol = ws.protocol === 'wss:' ? 'https:' : 'http:';
  return [ws.origin.replace(/^http/, 'ws'), http.origin];
}

/**
 * Headers on every response: scripts from this origin only, media and sockets only to this
 * origin and the configured LiveKit, no framing unless an LMS origin is configured, no referrer
 * (classroom links carry their access code), camera, microphone and screen capture for this
 * origin only. HSTS is left to the TLS proxy in front.
 */
export function securityHeaders(o: {
  indexHtml: string;
  livekitPublicUrl: string;
  frameAncestors: string[];
}): RequestHandler[] {
  const framing = o.frameAncestors.length > 0 ? o.frameAncestors : ["'none'"];
  const policy = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        // pdf.js decodes some images with WebAssembly: compiling it is all 'wasm-unsafe-eval' allows.
        'script-src': ["'self'", "'wasm-unsafe-eval'", ...inlineScriptHashes(fs.readFileSync(o.indexHtml, 'utf8'))],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'media-src': ["'self'", 'blob:'],
        'worker-src': ["'self'", 'blob:'],
        'connect-src': ["'self'", ...mediaOrigins(o.livekitPublicUrl)],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': framing,
      },
    },
    strictTransportSecurity: false,
    // Superseded by frame-ancestors; an LMS embedding needs it off.
    xFrameOptions: o.frameAncestors.length > 0 ? false : { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const permissions: RequestHandler = (_req, res, next) => {
    res.setHeader(
      'Permissions-Policy',
      'camera=(self), microphone=(self), display-capture=(self), fullscreen=(self), autoplay=(self), ' +
        'geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), interest-cohort=()',
    );
    next();
  };
  return [policy, permissions];
}
