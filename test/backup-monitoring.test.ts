import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAlerts } from '../src/alerts/alerts.js';
import { createBackupLocations } from '../src/backup/backup-location.js';
import { createBackupMonitor } from '../src/backup/backup-monitor.js';
import { createLocalLocation } from '../src/backup/local-location.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createMetrics } from '../src/infra/metrics.js';
import { writeFakeBackup } from './testkit/backup-fixtures.js';
import { startS3Server } from './testkit/s3-server.js';
import { startTestServer, type TestServer } from './testkit/test-server.js';

const hour = 3_600_000;

describe('the API watches the newest backup (BACKUP_RPO_HOURS)', () => {
  const dirs: string[] = [];
  const servers: TestServer[] = [];
  /** A server whose BACKUP_DIR holds one backup finished `ageHours` ago (none with null). */
  async function serverWithBackup(ageHours: number | null) {
    const dir = await mkdtemp(join(tmpdir(), 'servio-monitor-'));
    dirs.push(dir);
    if (ageHours !== null) {
      const manifest = await writeFakeBackup(dir, `aged-${ageHours}`, new Date(Date.now() - ageHours * hour), 4096, { durationMs: 2_500 });
      await createLocalLocation(dir).save(manifest, dir);
    }
    const server = await startTestServer({ BACKUP_DIR: dir, BACKUP_RPO_HOURS: '2' });
    servers.push(server);
    return server;
  }
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('exports the newest backup as gauges and fires backup_age past the RPO', async () => {
    const server = await serverWithBackup(3);
    const changes = await server.infra.alerts.evaluate();
    const alert = changes.find((change) => change.name === 'backup_age');
    expect(alert).toMatchObject({ status: 'firing', severity: 'critical', details: { value: '3 h', threshold: 'above 2 h' } });

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const finished = Number(/^servio_backup_last_success_timestamp_seconds (\S+)$/m.exec(metrics)?.[1]);
    expect(Math.abs(finished - (Date.now() - 3 * hour) / 1000)).toBeLessThan(60);
    expect(metrics).toMatch(/^servio_backup_last_size_bytes 4096$/m);
    expect(metrics).toMatch(/^servio_backup_last_duration_seconds 2.5$/m);
  });

  it('stays quiet while the newest backup is within the RPO', async () => {
    const server = await serverWithBackup(0.5);
    expect((await server.infra.alerts.evaluate()).map((change) => change.name)).not.toContain('backup_age');
    expect(server.infra.alerts.firing()).not.toContain('backup_age');
  });

  it('fires when there is no backup at all', async () => {
    const server = await serverWithBackup(null);
    const alert = (await server.infra.alerts.evaluate()).find((change) => change.name === 'backup_age');
    expect(alert?.details.value).toBe('infinite (no backup found)');
    // No backup reads as one finished at the epoch, so `time() - …` past the RPO alerts in Prometheus too.
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^servio_backup_last_success_timestamp_seconds 0$/m);
  });

  it('keeps the last known backup while the bucket cannot be listed, so backup_age does not fire', async () => {
    const s3 = await startS3Server();
    const dir = await mkdtemp(join(tmpdir(), 'servio-monitor-s3-'));
    dirs.push(dir);
    // The only backup is in the bucket: BACKUP_DIR is empty, as on a pod whose volume was replaced.
    const { backup } = loadConfig({ NODE_ENV: 'test', BACKUP_DIR: join(dir, 'local'), BACKUP_RPO_HOURS: '2', ...s3.env });
    const manifest = await writeFakeBackup(dir, 'in-bucket', new Date(Date.now() - 0.5 * hour));
    const [local, bucket] = await createBackupLocations(backup);
    await bucket?.save(manifest, dir);
    for (const location of [local, bucket]) location?.close();

    const server = await startTestServer();
    servers.push(server);
    /** A monitor re-reading at every evaluation, with alerts over it, as the runtime wires them. */
    const monitored = async () => {
      const metrics = createMetrics(server.infra.config.metrics, { logger: server.infra.logger, poolStats: () => null });
      const monitor = await createBackupMonitor(backup, { metrics, logger: server.infra.logger, refreshMs: 0 });
      const alerts = createAlerts(server.infra.config.alerts, { ...server.infra, backups: monitor });
      const lastSuccess = async () => /^servio_backup_last_success_timestamp_seconds (\S+)$/m.exec((await metrics.exposition()).body)?.[1];
      return { monitor, alerts, lastSuccess };
    };
    const watching = await monitored();
    expect((await watching.alerts.evaluate()).map((change) => change.name)).not.toContain('backup_age');
    expect(await watching.lastSuccess()).toBe(String(Date.parse(manifest.finishedAt) / 1000));

    await s3.close(); // every listing fails from here on (connection refused)
    expect((await watching.alerts.evaluate()).map((change) => change.name)).not.toContain('backup_age');
    expect(watching.alerts.firing()).not.toContain('backup_age');
    expect(await watching.monitor?.ageHours()).toBeCloseTo(0.5, 1);
    expect(await watching.lastSuccess()).toBe(String(Date.parse(manifest.finishedAt) / 1000));
    watching.monitor?.close();

    // A monitor that never read the bucket knows of no backup: it alerts, as with none anywhere.
    const starting = await monitored();
    const alert = (await starting.alerts.evaluate()).find((change) => change.name === 'backup_age');
    expect(alert?.details.value).toBe('infinite (no backup found)');
    starting.monitor?.close();
  });

  it('refuses half-configured S3 settings', () => {
    expect(() => loadConfig({ BACKUP_S3_BUCKET: 'b', BACKUP_S3_ACCESS_KEY_ID: 'id' })).toThrow(ConfigError);
    expect(() => loadConfig({ BACKUP_S3_BUCKET: 'b', BACKUP_S3_KMS_KEY_ID: 'k' })).toThrow(
      /BACKUP_S3_KMS_KEY_ID: needs BACKUP_S3_SSE=aws:kms/,
    );
    expect(loadConfig({ BACKUP_S3_BUCKET: 'b', NODE_ENV: 'test' }).backup.s3).toMatchObject({ kind: 's3', prefix: 'servio/test' });
  });
});
