import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { thrownBy } from './testkit/thrown.js';

const root = new URL('..', import.meta.url);
const strongSecret = () => randomBytes(48).toString('base64');
const production = (env: Record<string, string> = {}) => ({
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://servio@db:5432/servio?sslmode=verify-full',
  REDIS_URL: 'rediss://cache:6380',
  JWT_SECRET: strongSecret(),
  ...env,
});
const problems = (env: Record<string, string>) => thrownBy(() => loadConfig(env), ConfigError).problems;

/** Every JWT_SECRET value written in a file the project publishes (compose, README, .env examples, test kit). */
function publishedJwtSecrets(): string[] {
  const files = [
    'docker-compose.yml',
    'README.md',
    'test/testkit/test-server.ts',
    ...readdirSync(root).filter((name) => name.startsWith('.env')),
  ];
  const values = files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(new URL(file, root), 'utf8');
    } catch {
      return [];
    }
    // `JWT_SECRET: value`, `JWT_SECRET=value`, `${JWT_SECRET:-value}`, `JWT_SECRET: 'value'`.
    return [...text.matchAll(/JWT_SECRET(?::-|[:=])\s*['"]?([A-Za-z0-9_+/=.-]{8,})/g)].map(([, value]) => value as string);
  });
  return [...new Set(values)].filter((value) => !value.startsWith('$'));
}

describe('production-safety rules through loadConfig', () => {
  it('starts production with strong, TLS-protected settings and nothing to review', () => {
    const config = loadConfig(production());

    expect(config.isProduction).toBe(true);
    expect(config.productionWarnings).toEqual([]);
  });

  it('refuses every JWT secret published in the repository', () => {
    const published = publishedJwtSecrets();
    // The test kit's secret at least: the scan really reads the files.
    expect(published).toContain('test-secret-that-is-long-enough-for-hs256-0123456789');

    for (const secret of published) {
      expect(problems(production({ JWT_SECRET: secret })), secret).toEqual([expect.stringMatching(/^JWT_SECRET: .*placeholder/)]);
    }
  });

  it('refuses placeholder-looking and non-random secrets, and accepts a generated one', () => {
    for (const secret of [
      'please-change-me-before-going-live-0123',
      'your-jwt-secret-goes-here-0123456789',
      'x'.repeat(48),
      'abababababababababababababababab',
    ]) {
      expect(problems(production({ JWT_SECRET: secret }))[0], secret).toMatch(/^JWT_SECRET: /);
    }
    expect(problems(production({ JWT_SECRET: 'abc'.repeat(11) }))).toEqual([
      'JWT_SECRET: has only 3 distinct characters, so it is not random; generate one with `openssl rand -base64 48`',
    ]);
    expect(loadConfig(production({ JWT_SECRET: randomBytes(16).toString('hex') })).isProduction).toBe(true);
  });

  it('refuses demo seeding in production with one line, and allows it elsewhere', () => {
    expect(problems(production({ SEED_ON_EMPTY: 'true' }))).toEqual([
      'SEED_ON_EMPTY: demo seeding creates a platform admin with a public password: never in production',
    ]);
    expect(loadConfig(production({ SEED_ON_EMPTY: 'false' })).seedOnEmpty).toBe(false);
    expect(loadConfig({ SEED_ON_EMPTY: 'true' }).seedOnEmpty).toBe(true);
  });

  it('refuses a wildcard or null CORS origin (credentials are allowed) and warns about plain-http origins', () => {
    expect(problems(production({ CORS_ORIGINS: 'https://app.example.com,*,null' }))).toEqual([
      'CORS_ORIGINS: "*" with credentials lets any page act as the signed-in user',
      'CORS_ORIGINS: "null" with credentials lets any page act as the signed-in user',
    ]);
    expect(loadConfig(production({ CORS_ORIGINS: 'http://app.internal' })).productionWarnings).toEqual([
      'CORS_ORIGINS: "http://app.internal" is not an https origin',
    ]);
  });

  it('warns, without refusing, about PostgreSQL without sslmode=require/verify-* and Redis without rediss://', () => {
    const config = loadConfig(
      production({ DATABASE_URL: 'postgresql://servio@db/servio?sslmode=prefer', REDIS_URL: 'redis://cache:6379' }),
    );

    expect(config.productionWarnings).toEqual([
      'DATABASE_URL: sslmode=prefer does not require TLS; use sslmode=verify-full unless the network is private',
      'REDIS_URL: redis:// is plain text; use rediss:// unless the network is private',
    ]);
    expect(loadConfig(production({ DATABASE_URL: 'postgresql://servio@db/servio?sslmode=require' })).productionWarnings).toEqual([]);
  });

  it('applies none of these rules outside production', () => {
    const config = loadConfig({
      JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
      CORS_ORIGINS: 'http://localhost:3000',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SEED_ON_EMPTY: 'true',
    });
    expect(config.productionWarnings).toEqual([]);
  });
});

/** The real entry point, as `npm start` runs it. */
function runMain(env: Record<string, string>) {
  const { DATABASE_URL: _db, REDIS_URL: _redis, SEED_ON_EMPTY: _seed, JWT_SECRET: _jwt, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: new URL('.', root),
    env: { ...inherited, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  return { child, output: () => output };
}

describe('production-safety rules at a real server start', () => {
  it('stops before connecting to anything, one line per unsafe setting and no stack trace', async () => {
    const { child, output } = runMain(
      production({
        DATABASE_URL: 'postgresql://servio@127.0.0.1:1/servio',
        JWT_SECRET: 'change-me-to-a-long-random-secret-of-32-chars',
        SEED_ON_EMPTY: 'true',
      }),
    );
    const [code] = await once(child, 'exit');

    expect(code).toBe(1);
    expect(output().trim().split('\n')).toEqual([
      'Invalid configuration:',
      '  - JWT_SECRET: is a published placeholder; generate one with `openssl rand -base64 48`',
      '  - SEED_ON_EMPTY: demo seeding creates a platform admin with a public password: never in production',
    ]);
  }, 120_000);

  const databaseUrl = inject('databaseUrl');
  const redisUrl = inject('redisUrl');
  it.skipIf(!databaseUrl || !redisUrl)(
    'starts with plain-text PostgreSQL and Redis but logs each as a setting to review',
    async () => {
      const port = await freePort();
      const { child, output } = runMain(
        production({
          DATABASE_URL: databaseUrl ?? '',
          REDIS_URL: redisUrl ?? '',
          HOST: '127.0.0.1',
          PORT: String(port),
          DB_POOL_MIN: '0',
          DB_POOL_MAX: '2',
        }),
      );
      try {
        const live = () =>
          fetch(`http://127.0.0.1:${port}/health/live`).then(
            (response) => response.status,
            () => 0,
          );
        await expect.poll(live, { timeout: 90_000, interval: 200 }).toBe(200);
        const warnings = output()
          .split('\n')
          .filter((line) => line.includes('production setting to review'))
          .map((line) => JSON.parse(line).warning);
        expect(warnings).toEqual([
          expect.stringMatching(/^DATABASE_URL: sslmode=\(unset\) does not require TLS/),
          'REDIS_URL: redis:// is plain text; use rediss:// unless the network is private',
        ]);
      } finally {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
    120_000,
  );
});

async function freePort(): Promise<number> {
  const server = createNetServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address ? address.port : 0;
}
