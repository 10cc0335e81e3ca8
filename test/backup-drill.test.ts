import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLocalLocation } from '../src/backup/local-location.js';
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/infra/db.js';
import { databasesLike, migrateAndSeed } from './testkit/scratch-database.js';
import { aRestaurant } from './testkit/seed-builder.js';
import { startWebhookReceiver } from './testkit/webhook-receiver.js';

/** Runs an npm script's entry point the way `npm run` does (tsx), with exactly `env` as configuration. */
function runScript(script: string, args: string[], env: Record<string, string>) {
  const { DATABASE_URL: _db, REDIS_URL: _redis, EMBEDDED_DATA_DIR: _dir, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...inherited, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

const baseUrl = inject('databaseUrl');

/**
 * The jobs as operators run them: db:backup then db:test-restore against the run's database (CI)
 * or an embedded one, each reporting through the alert webhook.
 */
describe('db:backup and db:test-restore as jobs', () => {
  let root: string;
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'servio-drill-'));
    webhook = await startWebhookReceiver();
    const database: Record<string, string> = baseUrl ? { DATABASE_URL: baseUrl } : { EMBEDDED_DATA_DIR: join(root, 'pglite') };
    if (baseUrl) {
      // The run's database may hold no restaurant yet: one of this test's own gives the drill a menu to query.
      const db = await createDatabase(loadConfig({ NODE_ENV: 'test', DATABASE_URL: baseUrl, DB_POOL_MIN: '0', DB_POOL_MAX: '2' }).database);
      await aRestaurant(db.prisma).withCategory('Mains', 4, { unavailable: 1 }).build();
      await db.close();
    } else {
      await migrateAndSeed({ kind: 'embedded', dataDir: join(root, 'pglite') });
    }
    env = { ...database, BACKUP_DIR: join(root, 'backups'), ALERT_WEBHOOK_URL: webhook.url };
  }, 120_000);
  afterAll(async () => {
    await webhook.close();
    await rm(root, { recursive: true, force: true });
  });

  it('db:backup takes a backup and notifies the webhook', async () => {
    const result = await runScript('scripts/backup/backup.ts', ['--label', 'scheduled'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Backup servio-test-\S+: \d+\.\d\d MB in \d+\.\d s/m);
    const [manifest] = await createLocalLocation(env.BACKUP_DIR as string).manifests();
    expect(manifest?.label).toBe('scheduled');
    expect(webhook.received.at(-1)?.body).toMatchObject({
      text: expect.stringMatching(/^\[INFO\] Backup servio-test-/),
      attachments: [
        { title: 'Database backup', fields: expect.arrayContaining([{ title: 'alert', value: 'backup_succeeded', short: true }]) },
      ],
    });
  }, 60_000);

  it('db:test-restore restores the newest backup, queries the API on it, prints RTO and RPO', async () => {
    const result = await runScript('scripts/backup/test-restore.ts', [], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^ok {2}\d+ tables, \d+ rows as in the manifest; no orphaned foreign keys; _prisma_migrations = prisma\/migrations$/m,
    );
    expect(result.stdout).toMatch(/^ok {2}GET \/health\/ready → 200$/m);
    expect(result.stdout).toMatch(/^ok {2}restaurant\(slug: "[^"]+"\) → "[^"]+" with \d+ menu items, as in the rows$/m);
    const rto = Number(/^RTO (\d+\.\d) s /m.exec(result.stdout)?.[1]);
    const rpo = Number(/^RPO (\d+\.\d\d) h /m.exec(result.stdout)?.[1]);
    expect(rto).toBeGreaterThan(0);
    expect(rto).toBeLessThan(120);
    expect(rpo).toBeLessThan(0.1);
    const [manifest] = await createLocalLocation(env.BACKUP_DIR as string).manifests();
    expect(manifest?.verifiedAt).toBeDefined();
    expect(webhook.received.at(-1)?.body.text).toMatch(
      /^\[INFO\] Restore drill passed on servio-test-\S+: RTO \d+\.\d s, RPO \d+\.\d\d h$/,
    );
    if (baseUrl) expect(await databasesLike(baseUrl, `${new URL(baseUrl).pathname.slice(1).slice(0, 40)}_restore_`)).toEqual([]);
  }, 120_000);

  it('a failing backup exits 1 and raises a critical alert', async () => {
    const { DATABASE_URL: _postgres, ...backupEnv } = env;
    const result = await runScript('scripts/backup/backup.ts', [], { ...backupEnv, EMBEDDED_DATA_DIR: join(root, 'missing') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Database backup failed: no embedded database at ${join(root, 'missing')}`);
    expect(webhook.received.at(-1)?.body).toMatchObject({
      text: expect.stringMatching(/^\[CRITICAL\] Database backup failed: no embedded database/),
      attachments: [{ fields: expect.arrayContaining([{ title: 'code', value: 'NOT_FOUND', short: true }]) }],
    });
  }, 60_000);
});
