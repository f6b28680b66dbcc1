import { createHash } from 'node:crypto';
import { inlineScriptHashes } from './security-headers';

describe('inline script hashes for the Content-Security-Policy', () => {
  it('hashes each inline script, and no script loaded by URL', () => {
    const body = '\n  import("/_app/start.js");\n';
    const html = `<head><script type="module" src="/_app/x.js"></script></head><body><script>${body}</script></body>`;
    const expected = `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
    expect(inlineScriptHashes(html)).toEqual([expected]);
  });
});
