import { liveClassroom } from '../testing/classroom-kit';

const PAGES = ['/', '/j/AAAAAAAAAAAAAAAAAAAAAA', '/m/00000000-0000-4000-8000-000000000001', '/bye/left'];

function expectSecurityHeaders(h: Headers, frameAncestors: string) {
  const csp = h.get('content-security-policy') ?? '';
  const directive = (name: string) =>
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `));
  expect(directive('script-src')).toMatch(/^script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')+$/);
  expect(csp).not.toContain("'unsafe-eval'");
  expect(directive('script-src')).not.toContain("'unsafe-inline'");
  expect(directive('object-src')).toBe("object-src 'none'");
  expect(directive('frame-ancestors')).toBe(`frame-ancestors ${frameAncestors}`);
  expect(directive('connect-src')).toMatch(/^connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ http:\/\/127\.0\.0\.1:\d+$/);
  expect(h.get('x-powered-by')).toBeNull();
  expect(h.get('referrer-policy')).toBe('no-referrer');
  expect(h.get('x-content-type-options')).toBe('nosniff');
  const permissions = h.get('permissions-policy') ?? '';
  for (const feature of ['camera', 'microphone', 'display-capture']) expect(permissions).toContain(`${feature}=(self)`);
  expect(permissions).toContain('geolocation=()');
}

describe('security headers on every page', () => {
  const { server } = liveClassroom();

  it.each(PAGES)(
    '%s: strict CSP, no framing, no referrer, camera and microphone for this origin only',
    async (page) => {
      const res = await fetch(`${server.url}${page}`);
      expect(res.status).toBe(200);
      expectSecurityHeaders(res.headers, "'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    },
  );

  it('sends them with the API too, and allows the inline script the page really holds', async () => {
    const api = await fetch(`${server.url}/api/health`);
    expect(api.headers.get('x-powered-by')).toBeNull();
    expect(api.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const page = await fetch(`${server.url}/`);
    const html = await page.text();
    const { createHash } = await import('node:crypto');
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
      (m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`,
    );
    expect(inline.length).toBeGreaterThan(0);
    for (const hash of inline) expect(page.headers.get('content-security-policy')).toContain(hash);
  });
});

describe('security headers with an LMS allowed to frame the classroom', () => {
  const { server } = liveClassroom({ FRAME_ANCESTORS: 'https://moodle.example.org https://lms.example.org' });

  it('names those origins in frame-ancestors and drops X-Frame-Options', async () => {
    const res = await fetch(`${server.url}/j/AAAAAAAAAAAAAAAAAAAAAA`);
    expectSecurityHeaders(res.headers, 'https://moodle.example.org https://lms.example.org');
    expect(res.headers.get('x-frame-options')).toBeNull();
  });
});
