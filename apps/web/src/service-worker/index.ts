import { self } from '$app/service-worker';
import { assets, immutable } from '$app/manifest';
import { version } from '$app/env';

/**
 * Makes Estrade installable and says so when the network is down. It caches the app shell
 * (built scripts and styles, icons, the offline page) and nothing else: the API, the socket,
 * presentations and media always go to the network, since a stale answer there would be wrong.
 */
const CACHE = `estrade-shell-${version}`;
const OFFLINE = '/offline.html';
// The manifest's paths are relative to the app's root, which is where this worker is served.
const SHELL = [...immutable, ...assets]
  .map((f) => new URL(f.path, self.location.href).pathname)
  .filter((p) => p !== '/manifest.webmanifest');
const NEVER_CACHED = /^\/(api|socket\.io|bigbluebutton)\//;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || NEVER_CACHED.test(url.pathname)) return;

  // Pages always come from the network (index.html is never stale); without it, the offline page.
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE).then((r) => r ?? Response.error())));
    return;
  }
  // The shell's own files, from the cache when it has them.
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((cached) => cached ?? fetch(request)));
  }
});
