#!/usr/bin/env node
// Weight: the gzip size of the JavaScript the classroom page (/m/[meetingId]) loads before it
// can run, from the built app: SvelteKit's entry (start, app), the root layout's node and the
// classroom route's node, with everything they import statically. Dynamic import() targets
// (pdf.js, LiveKit when loaded on demand) are left out: they arrive when needed.
// Reads the Vite manifest of `npm run build -w @estrade/web`; fails if the budget is exceeded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 250;
const ROUTE = 'src/routes/m/[meetingId]/+page.svelte';
const web = path.join(import.meta.dirname, '../apps/web');
const client = path.join(web, '.svelte-kit/output/client');
const generated = path.join(web, '.svelte-kit/generated/build/client-optimized');
const manifest = JSON.parse(fs.readFileSync(path.join(client, '.vite/manifest.json'), 'utf8'));

/** The manifest key of a generated node file, found by what it exports. */
function nodeKey(matches) {
  for (const file of fs.readdirSync(path.join(generated, 'nodes'))) {
    const source = fs.readFileSync(path.join(generated, 'nodes', file), 'utf8');
    if (matches(source)) {
      const key = Object.keys(manifest).find((k) => k.endsWith(`client-optimized/nodes/${file}`));
      if (key) return key;
    }
  }
  throw new Error('a route node is missing from the build: run npm run build -w @estrade/web');
}

const entries = Object.keys(manifest).filter(
  (k) => manifest[k].isEntry && /entry\.js$|client-optimized\/app\.js$/.test(k),
);
const roots = [...entries, nodeKey((s) => s.includes('src/routes/+layout.svelte')), nodeKey((s) => s.includes(ROUTE))];

// Static imports only, transitively.
const files = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const k of chunk.imports ?? []) visit(k);
};
roots.forEach(visit);

const sizes = [...files].map((file) => {
  const bytes = fs.readFileSync(path.join(client, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
sizes.sort((a, b) => b.gzip - a.gzip);
const kb = (n) => (n / 1024).toFixed(1);
const total = sizes.reduce((s, x) => s + x.gzip, 0);
for (const s of sizes.slice(0, 8)) console.log(`  ${kb(s.gzip).padStart(7)} KB gzip  ${s.file}`);
if (sizes.length > 8) console.log(`  … and ${sizes.length - 8} smaller files`);
console.log(
  `classroom initial JS: ${kb(total)} KB gzip (${kb(sizes.reduce((s, x) => s + x.raw, 0))} KB raw, ${sizes.length} files); budget ${BUDGET_KB} KB`,
);
if (total > BUDGET_KB * 1024) {
  console.log('over budget: turn the large static imports above into import() where they are first needed');
  process.exitCode = 1;
}
