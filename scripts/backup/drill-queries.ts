import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/infra/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { createServer } from '../../src/server.js';
import { BackupError } from './backup-error.js';
import type { Query } from './database-facts.js';
import type { DatabaseRef } from './restore-target.js';

const menuQuery = 'query Drill($slug: String!) { restaurant(slug: $slug) { name menu { name items { name } } } }';

/** A restaurant of the restored rows and how many items its public menu should list. */
export interface MenuSample {
  slug: string;
  name: string;
  availableItems: number;
}

export async function sampleMenu(query: Query): Promise<MenuSample | null> {
  const [restaurant] = await query('SELECT id, slug, name FROM "Restaurant" ORDER BY "createdAt", id LIMIT 1');
  if (!restaurant) return null;
  const [available] = await query(
    `SELECT count(*)::int AS n FROM "MenuItem" WHERE "restaurantId" = '${String(restaurant.id)}' AND available`,
  );
  return { slug: String(restaurant.slug), name: String(restaurant.name), availableItems: Number(available?.n) };
}

/**
 * Starts the real API on the restored copy (loopback, a free port, in-process stores, no
 * migrations or seeding) and checks that it answers with the restored data: /health/ready, then a
 * restaurant's public menu, compared with the rows. Returns what it checked.
 */
export async function checkApiOnRestoredCopy(database: DatabaseRef, sample: MenuSample | null): Promise<string[]> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    JWT_SECRET: randomBytes(32).toString('hex'),
    MIGRATE_ON_START: 'false',
    SEED_ON_EMPTY: 'false',
    ...(database.kind === 'postgres'
      ? { DATABASE_URL: database.url, DB_POOL_MIN: '0', DB_POOL_MAX: '2' }
      : { EMBEDDED_DATA_DIR: database.dataDir }),
  });
  const runtime = await createRuntime(config, createLogger(config));
  const app = await createServer(runtime);
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    await untilReady(url);
    const checks = ['GET /health/ready → 200'];

    if (!sample) return [...checks, 'no restaurant in the backup: menu query skipped'];
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: menuQuery, variables: { slug: sample.slug } }),
    });
    const body = (await response.json()) as { data?: { restaurant: { name: string; menu: Array<{ items: unknown[] }> } | null } };
    const answered = body.data?.restaurant;
    const items = answered?.menu.reduce((sum, category) => sum + category.items.length, 0);
    if (answered?.name !== sample.name || items !== sample.availableItems)
      throw new BackupError(
        'DRILL_FAILED',
        `the API answered ${JSON.stringify(body).slice(0, 300)} for "${sample.slug}", expected "${sample.name}" with ${sample.availableItems} items`,
      );
    return [...checks, `restaurant(slug: "${sample.slug}") → "${answered.name}" with ${items} menu items, as in the rows`];
  } finally {
    await app.close();
    await runtime.close();
  }
}

/** Polls /health/ready until it answers 200 (a cold start warms its pool first), for at most a minute. */
async function untilReady(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/health/ready`);
    if (response.ok) return;
    last = `HTTP ${response.status} ${(await response.text()).slice(0, 300)}`;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new BackupError('DRILL_FAILED', `the API on the restored copy did not become ready within ${timeoutMs / 1000} s (${last})`);
}
