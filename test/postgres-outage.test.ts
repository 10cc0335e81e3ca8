import { afterAll, describe, expect, it } from 'vitest';
import { applyPendingMigrations } from '../src/infra/migrations/migrator.js';
import { waitFor } from './testkit/free-port.js';
import { startPrivatePostgres } from './testkit/private-postgres.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { errorCode, type Json, readJson, startTestServer } from './testkit/test-server.js';

const postgres = await startPrivatePostgres();
if ('skipped' in postgres) console.warn(`postgres-outage.test.ts skipped: ${postgres.skipped}`);
afterAll(() => ('skipped' in postgres ? undefined : postgres.destroy()));

const menuQuery = 'query($slug: String!) { restaurant(slug: $slug) { id menu { items { id } } } }';
const myRestaurants = '{ me { id memberships { restaurant { id } } } }';

describe.skipIf('skipped' in postgres)('a PostgreSQL outage', () => {
  if ('skipped' in postgres) return;

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After and no host or driver text, then recovers at once', async () => {
    const server = await startTestServer({ DATABASE_URL: postgres.url, DB_POOL_MIN: '0', DB_POOL_MAX: '3' });
    try {
      await applyPendingMigrations(server.infra.db.adapterFactory);
      const prisma = server.infra.db.prisma;
      const built = await aRestaurant(prisma).withCategory('Mains', 1).build();
      const user = await aUser(prisma).memberOf(built.restaurant.id, 'STAFF').build();
      const headers = await server.loginAs(user.email);
      const slug = built.restaurant.slug;
      expect((await server.graphql(menuQuery, { slug })).body.data).toBeTruthy();

      postgres.kill();

      const started = performance.now();
      // Not cached (the id varies), anonymous: the failure is in a resolver.
      const anonymous = await server.graphql(menuQuery, { slug: `${slug}-${Math.random()}` });
      // Signed in: the failure is in authentication, before GraphQL runs.
      const signedIn = await server.graphql<Json>(myRestaurants, {}, headers);
      const elapsedMs = performance.now() - started;
      for (const answer of [anonymous, signedIn]) {
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toBe('5');
        expect(errorCode(answer.body)).toBe('SERVICE_UNAVAILABLE');
        expect(answer.body.errors?.[0]?.extensions).toMatchObject({ service: 'database', retryAfter: 5 });
        const text = JSON.stringify(answer.body);
        expect(text).not.toMatch(/127\.0\.0\.1|postgres|prisma|ECONNREFUSED|Can't reach/i);
      }
      expect(elapsedMs).toBeLessThan(5_000);

      const ready = await fetch(`${server.url}/health/ready`);
      const readiness = await readJson(ready);
      expect(ready.status).toBe(503);
      expect(readiness.failing).toContain('database');
      expect(JSON.stringify(readiness)).not.toMatch(/127\.0\.0\.1|postgres|prisma|ECONNREFUSED/i);

      postgres.start();
      // Recovers without a restart: the next requests succeed.
      const recovered = await waitFor(
        'the API to answer again',
        async () => {
          const answer = await server.graphql<Json>(myRestaurants, {}, headers);
          return answer.status === 200 ? answer : undefined;
        },
        30_000,
      );
      expect(recovered.body.data.me.id).toBe(user.id);
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 120_000);
});
