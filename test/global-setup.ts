import { randomBytes } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyPendingMigrations } from '../src/infra/migrations/migrator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A fresh, migrated database for this run, or null for per-file embedded PGlite. */
    databaseUrl: string | null;
    redisUrl: string | null;
    /** Every Redis key of this run starts with it; all are deleted at the end. */
    redisKeyPrefix: string;
  }
}

/**
 * With TEST_DATABASE_URL / TEST_REDIS_URL, the run gets its own database (created, migrated,
 * dropped) and its own Redis key prefix (scanned and deleted), so runs never see each other.
 */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const baseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL ?? null;
  const redisKeyPrefix = `servio-test:${runId}:`;
  let databaseUrl: string | null = null;
  const databaseName = `servio_test_${runId}`;

  if (baseUrl) {
    await withAdmin(baseUrl, (admin) => admin.query(`CREATE DATABASE "${databaseName}"`));
    const url = new URL(baseUrl);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    await applyPendingMigrations(new PrismaPg(pool));
    await pool.end();
  }
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('redisKeyPrefix', redisKeyPrefix);

  return async () => {
    if (baseUrl) {
      await withAdmin(baseUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`));
    }
    if (redisUrl) await deleteKeys(redisUrl, redisKeyPrefix);
  };
}

async function withAdmin(url: string, work: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

async function deleteKeys(url: string, prefix: string) {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
