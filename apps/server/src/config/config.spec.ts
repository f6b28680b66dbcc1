import { ConfigError, parseConfig } from './config';

describe('configuration', () => {
  it('defaults to embedded PostgreSQL and LiveKit on port 3000 with data under data/', () => {
    const c = parseConfig({}, '/srv/estrade');
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe('/srv/estrade/data');
    expect(c.database).toEqual({ kind: 'embedded', port: 54329, dir: '/srv/estrade/data/postgres' });
    expect(c.livekit.kind).toBe('embedded');
  });

  it('finds poppler on PATH unless given its folder, relative to the checkout', () => {
    expect(parseConfig({}, '/srv/estrade').slides.popplerDir).toBeNull();
    expect(parseConfig({ POPPLER_DIR: 'tools/poppler/bin' }, '/srv/estrade').slides.popplerDir).toBe(
      '/srv/estrade/tools/poppler/bin',
    );
  });

  it('reads limits, the trusted proxies and the LMS origins allowed to frame the classroom', () => {
    const d = parseConfig({}, '/srv');
    expect(d.limits).toEqual({
      joins: { burst: 200, everyMs: 100 },
      rooms: { burst: 100, everyMs: 6000 },
      httpAddressScale: 1,
    });
    expect(d.trustProxy).toBe(false);
    expect(d.frameAncestors).toEqual([]);
    const c = parseConfig(
      {
        JOIN_BURST: '5',
        JOIN_RATE_PER_MINUTE: '60',
        TRUST_PROXY: 'loopback, uniquelocal',
        FRAME_ANCESTORS: 'https://moodle.example.org https://*.lms.example.org',
      },
      '/srv',
    );
    expect(c.limits.joins).toEqual({ burst: 5, everyMs: 1000 });
    expect(parseConfig({ HTTP_ADDRESS_SCALE: '0.5' }, '/srv').limits.httpAddressScale).toBe(0.5);
    expect(c.trustProxy).toEqual(['loopback', 'uniquelocal']);
    expect(parseConfig({ TRUST_PROXY: '1' }, '/srv').trustProxy).toBe(1);
    expect(c.frameAncestors).toEqual(['https://moodle.example.org', 'https://*.lms.example.org']);
    for (const env of [
      { TRUST_PROXY: 'everyone' },
      { FRAME_ANCESTORS: "'self'; script-src *" },
      { JOIN_BURST: '0' },
      { HTTP_ADDRESS_SCALE: '0' },
    ]) {
      expect(() => parseConfig(env, '/srv')).toThrow(ConfigError);
    }
  });

  it('uses external services when their variables are set', () => {
    const c = parseConfig(
      {
        DATABASE_URL: 'postgres://u:p@db:5432/estrade',
        LIVEKIT_URL: 'ws://livekit:7880',
        LIVEKIT_API_KEY: 'key',
        LIVEKIT_API_SECRET: 's'.repeat(32),
        PORT: '8080',
      },
      '/srv',
    );
    expect(c.database).toEqual({ kind: 'external', url: 'postgres://u:p@db:5432/estrade' });
    expect(c.livekit).toMatchObject({ kind: 'external', url: 'ws://livekit:7880', publicUrl: 'ws://livekit:7880' });
    expect(c.port).toBe(8080);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LIVEKIT_URL: 'ws://lk:7880' }, 'LIVEKIT_API_KEY'],
    [{ LIVEKIT_URL: 'ftp://lk', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's'.repeat(32) }, 'LIVEKIT_URL'],
  ])('refuses %p, naming %s', (env, variable) => {
    expect(() => parseConfig(env, '/srv')).toThrow(ConfigError);
    expect(() => parseConfig(env, '/srv')).toThrow(variable);
  });
});
