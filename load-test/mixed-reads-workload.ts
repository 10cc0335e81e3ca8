import { demoRestaurantId, signInAsDemoUser } from './demo-client.js';
import { isLoopbackUrl } from './loopback.js';
import { measure, percentile } from './measure.js';

/** The response-cache hit rate the mixed read workload must beat. */
export const hitRateTarget = 0.7;

/** How long or how much: a duration (capped at 120 s), or a fixed number of requests (which wins). */
export interface MixedReadsOptions {
  connections: number;
  durationSeconds?: number;
  amount?: number;
}

export interface MixedReadsResult {
  requests: number;
  requestsPerSecond: number;
  /** HIT / (HIT + MISS), over the answers the cache could serve. */
  hitRate: number;
  hits: number;
  misses: number;
  /** Answers that were not a cacheable success: a non-200 status, GraphQL errors, or no HIT/MISS. */
  failed: number;
  /** Requests that got no answer at all (connection errors, timeouts). */
  errors: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

type Headers = Record<string, string | string[] | undefined> | undefined;

/**
 * What a dashboard and a guest app read all day on the demo data (menus, the signed-in user, stock,
 * analytics), each with the token of the demo user who reads it.
 */
export function mixedReads(
  { manager, staff }: { manager: string; staff: string },
  bistro: string,
): Array<{ query: string; token: string }> {
  return [
    { query: '{ restaurant(slug: "demo-bistro") { name menu { name items { name price { amount currency } } } } }', token: staff },
    { query: '{ restaurant(slug: "harbor-grill") { name menu { name items { name price { amount currency } } } } }', token: staff },
    { query: '{ me { email memberships { role restaurant { name } } } }', token: manager },
    { query: `{ lowStock(restaurantId: "${bistro}") { name quantity } }`, token: manager },
    {
      query: `{ salesAnalytics(restaurantId: "${bistro}", from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z") { averageOrderValue { amount } } }`,
      token: manager,
    },
  ];
}

/**
 * What a dashboard and a guest app read all day, against a server holding the demo data: menus, the
 * signed-in user, stock, analytics. Every answer's `x-cache` header (HIT, MISS or BYPASS) is counted.
 * Only loopback servers (`url` is the root, e.g. http://127.0.0.1:4000).
 */
export async function runMixedReads(url: string, options: MixedReadsOptions): Promise<MixedReadsResult> {
  if (!isLoopbackUrl(url)) throw new Error(`Refusing to load-test ${url}: only loopback addresses are allowed.`);
  const [manager, staff] = await Promise.all([
    signInAsDemoUser(url, 'manager@demo-bistro.test'),
    signInAsDemoUser(url, 'staff@harbor-grill.test'),
  ]);
  const bistro = await demoRestaurantId(url, 'demo-bistro');

  const reads = mixedReads({ manager, staff }, bistro);

  const outcome = { HIT: 0, MISS: 0, failed: 0 };
  const { result, latenciesMs } = await measure({
    url: `${url}/graphql`,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: Math.min(options.durationSeconds ?? 10, 120) }),
    requests: reads.map(({ query, token }) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
      onResponse: (status: number, body: string, _context: object, headers: Headers) => {
        const state = headers?.['x-cache'];
        // '"errors":[' cannot occur inside a JSON string value (its quotes are escaped), only as the key.
        if (status === 200 && !body.includes('"errors":[') && (state === 'HIT' || state === 'MISS')) outcome[state]++;
        else outcome.failed++;
      },
    })),
  });

  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    hitRate: Math.round((outcome.HIT / Math.max(1, outcome.HIT + outcome.MISS)) * 1000) / 1000,
    hits: outcome.HIT,
    misses: outcome.MISS,
    failed: outcome.failed,
    errors: result.errors,
    latencyMs: {
      p50: percentile(latenciesMs, 50),
      p95: percentile(latenciesMs, 95),
      p99: percentile(latenciesMs, 99),
      max: percentile(latenciesMs, 100),
    },
  };
}
