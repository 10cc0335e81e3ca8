import { inject, type TestContext } from 'vitest';

const requirements = {
  redis: { provided: () => inject('redisUrl') !== null, reason: 'needs TEST_REDIS_URL (Redis shared by several server instances)' },
  postgres: { provided: () => inject('databaseUrl') !== null, reason: 'needs TEST_DATABASE_URL (a real PostgreSQL server)' },
  embedded: { provided: () => inject('databaseUrl') === null, reason: 'runs only on the embedded database (no TEST_DATABASE_URL)' },
} as const;

/**
 * Skips the running test, with the reason printed at the end of the run (test/testkit/skip-reporter.ts),
 * when this run lacks what it needs. Never skip silently: a skipped test must say why.
 */
export function needs(ctx: TestContext, ...what: Array<keyof typeof requirements>): void {
  for (const name of what) {
    const requirement = requirements[name];
    if (!requirement.provided()) ctx.skip(requirement.reason);
  }
}
