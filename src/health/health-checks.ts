import type { Infra } from '../infra/infra.js';
import { pendingMigrations } from '../infra/migrations/migration-status.js';

export interface CheckResult {
  status: 'ok' | 'fail';
  latencyMs: number;
  error?: string;
}

const checkTimeoutMs = 2_000;

/** Runs one dependency check with a deadline, so a hung dependency reports instead of hanging. */
async function timed(check: () => Promise<void>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${checkTimeoutMs} ms`)), checkTimeoutMs);
      }),
    ]);
    return { status: 'ok', latencyMs: elapsed(started) };
  } catch (error) {
    return { status: 'fail', latencyMs: elapsed(started), error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/** What readiness depends on: the database answers, its migrations are applied, the cache answers. */
export async function runReadinessChecks(infra: Infra): Promise<Record<string, CheckResult>> {
  const checks: Record<string, () => Promise<void>> = {
    database: () => infra.db.ping(),
    migrations: async () => {
      const pending = await pendingMigrations(infra.db.prisma);
      if (pending.length > 0) throw new Error(`pending: ${pending.join(', ')}`);
    },
    cache: () => infra.cache.ping(),
  };
  if (infra.redis) {
    const redis = infra.redis;
    checks.redis = async () => {
      await redis.ping();
    };
  }
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await timed(check)] as const));
  return Object.fromEntries(entries);
}
