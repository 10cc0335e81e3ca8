import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../test/testkit/thrown.js';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs on the embedded defaults with an empty environment', () => {
    const config = loadConfig({});

    expect(config.env).toBe('development');
    expect(config.http.port).toBe(4000);
    expect(config.database).toEqual({ kind: 'embedded', dataDir: './.data/pglite' });
    expect(config.redis).toEqual({ kind: 'memory' });
    expect(config.migrateOnStart).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
  });

  it('limits rates as the seed says by default (every test server overrides these, so they are asserted here)', () => {
    const minute = (limit: number) => ({ limit, durationSeconds: 60 });

    expect(loadConfig({}).rateLimits).toEqual({
      auth: { limit: 5, durationSeconds: 900 },
      api: minute(60),
      heavy: minute(20),
      upload: minute(10),
      webhook: minute(100),
      anonymousHttp: { limit: 100, durationSeconds: 900 },
      // Development only: a frontend developer on loopback is never locked out of signing in.
      exemptLoopbackFromAuthTier: true,
    });
    expect(loadConfig({ NODE_ENV: 'test' }).rateLimits.exemptLoopbackFromAuthTier).toBe(false);
  });

  it('tunes the PostgreSQL pool as the seed says, each value overridable', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/servio', DB_POOL_MAX: '50' });

    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgresql://u@db:5432/servio',
      pool: { max: 50, min: 5, connectionTimeoutMs: 2_000, idleTimeoutMs: 30_000, maxUses: 7_500 },
    });
  });

  it('requires DATABASE_URL, REDIS_URL and JWT_SECRET in production, one line per problem', () => {
    const error = captureConfigError({ NODE_ENV: 'production' });

    expect(error.problems).toEqual([
      'DATABASE_URL: is required when NODE_ENV=production',
      'REDIS_URL: is required when NODE_ENV=production',
      'JWT_SECRET: is required when NODE_ENV=production',
    ]);
  });

  it('reports every bad value at once', () => {
    const error = captureConfigError({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', JWT_SECRET: 'short' });

    expect(error.problems.map((problem) => problem.split(':')[0])).toEqual(['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'JWT_SECRET']);
    expect(error.message.split('\n')).toHaveLength(5);
  });

  it('turns Sentry on only with a DSN, tracing a tenth of operations in production and all elsewhere', () => {
    const dsn = 'https://key@o1.ingest.sentry.io/2';
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://u@db/s',
      REDIS_URL: 'redis://r',
      JWT_SECRET: randomBytes(32).toString('base64'),
    };

    expect(loadConfig({}).sentry).toEqual({ kind: 'disabled' });
    expect(loadConfig({ SENTRY_DSN: dsn }).sentry).toEqual({ kind: 'sentry', dsn, environment: 'development', tracesSampleRate: 1 });
    expect(loadConfig({ ...production, SENTRY_DSN: dsn }).sentry).toMatchObject({ environment: 'production', tracesSampleRate: 0.1 });
    expect(loadConfig({ SENTRY_DSN: dsn, SENTRY_ENVIRONMENT: 'staging', SENTRY_TRACES_SAMPLE_RATE: '0.25' }).sentry).toMatchObject({
      environment: 'staging',
      tracesSampleRate: 0.25,
    });
    expect(captureConfigError({ SENTRY_DSN: 'not a url', SENTRY_TRACES_SAMPLE_RATE: '1.5' }).problems.map((p) => p.split(':')[0])).toEqual([
      'SENTRY_DSN',
      'SENTRY_TRACES_SAMPLE_RATE',
    ]);
  });
});

const captureConfigError = (env: Record<string, string>) => thrownBy(() => loadConfig(env), ConfigError);
