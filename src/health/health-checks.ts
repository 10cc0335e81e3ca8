import type { Infra } from '../infra/infra.js';
import { pendingMigrations } from '../infra/migrations/migration-status.js';

export interface CheckResult {
  status: 'ok' | 'fail';
  latencyMs: number;
  /** What failed, in our words: never a driver's message, which can name hosts and users. */
  error?: string;
}

/**
 * Readiness needs the database and its migrations. Redis (and the cache store on it) is an
 * optimisation: while it fails the instance serves without it, so it is reported, never a reason
 * to leave the load balancer's rotation (that would take every instance out at once).
 */
export const requiredChecks = new Set(['database', 'migrations']);

const checkTimeoutMs = 2_000;

/** A check's own words for what is wrong; anything else is reported as "unavailable". */
class CheckFailure extends Error {}

/** Runs one dependency check with a deadline, so a hung dependency reports instead of hanging. */
async function timed(check: () => Promise<void>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new CheckFailure(`no answer within ${checkTimeoutMs} ms`)), checkTimeoutMs);
      }),
    ]);
    return { status: 'ok', latencyMs: elapsed(started) };
  } catch (error) {
    return { status: 'fail', latencyMs: elapsed(started), error: error instanceof CheckFailure ? error.message : 'unavailable' };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/** Every dependency's check: the database, its migrations, the cache store and Redis. */
export async function runReadinessChecks(infra: Infra): Promise<Record<string, CheckResult>> {
  const checks: Record<string, () => Promise<void>> = {
    database: () => infra.db.ping(),
    migrations: async () => {
      const pending = await pendingMigrations(infra.db.prisma);
      if (pending.length > 0) throw new CheckFailure(`pending: ${pending.join(', ')}`);
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

/** `ok`, `degraded` (an optional dependency fails: still ready) or `fail` (not ready). */
export function readiness(checks: Record<string, CheckResult>): { status: 'ok' | 'degraded' | 'fail'; failing: string[] } {
  const failing = Object.keys(checks).filter((name) => checks[name]?.status !== 'ok');
  const status = failing.some((name) => requiredChecks.has(name)) ? 'fail' : failing.length > 0 ? 'degraded' : 'ok';
  return { status, failing };
}
