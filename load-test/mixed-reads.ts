/**
 * Mixed read workload against a running server (loopback only), reporting the response-cache hit
 * rate (from each response's x-cache header), throughput and latency.
 *   RATE_LIMIT_API=1000000/60 RATE_LIMIT_ANONYMOUS_HTTP=1000000/60 npm start   # demo data
 *   npm run load:mixed -- [url] [seconds] [connections]
 * Exits 1 when the hit rate is under 70 % (the target) or any request fails.
 */
import autocannon from 'autocannon';

const [url = 'http://127.0.0.1:4000', seconds = '10', connections = '10'] = process.argv.slice(2);
if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(url)) {
  console.error(`Refusing to load-test ${url}: only loopback addresses are allowed.`);
  process.exit(1);
}

async function graphql(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, { accessToken: string; id: string }> };
}

const login = async (email: string) =>
  (await graphql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: email, p: 'servio-demo' }))
    .data?.login?.accessToken;
const [manager, staff] = [await login('manager@demo-bistro.test'), await login('staff@harbor-grill.test')];
if (!manager || !staff) throw new Error('Sign-in failed: is the demo data seeded (npm start on an empty database)?');
const bistro = (await graphql('{ restaurant(slug: "demo-bistro") { id } }')).data?.restaurant?.id;

// What a dashboard and a guest app read all day: menus, the signed-in user, stock, analytics.
const reads = [
  { query: '{ restaurant(slug: "demo-bistro") { name menu { name items { name price { amount currency } } } } }', token: staff },
  { query: '{ restaurant(slug: "harbor-grill") { name menu { name items { name price { amount currency } } } } }', token: staff },
  { query: '{ me { email memberships { role restaurant { name } } } }', token: manager },
  { query: `{ lowStock(restaurantId: "${bistro}") { name quantity } }`, token: manager },
  {
    query: `{ salesAnalytics(restaurantId: "${bistro}", from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z") { averageOrderValue { amount } } }`,
    token: manager,
  },
];

const outcome = { HIT: 0, MISS: 0, other: 0 };
const result = await autocannon({
  url: `${url}/graphql`,
  connections: Number(connections),
  duration: Math.min(Number(seconds), 120),
  requests: reads.map(({ query, token }) => ({
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    onResponse: (status: number, _body: string, _context: object, headers: Record<string, string | string[] | undefined> | undefined) => {
      const state = headers?.['x-cache'];
      if (status === 200 && (state === 'HIT' || state === 'MISS')) outcome[state]++;
      else outcome.other++;
    },
  })),
});

const hitRate = outcome.HIT / Math.max(1, outcome.HIT + outcome.MISS);
console.log(
  JSON.stringify(
    {
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      hitRate: Math.round(hitRate * 1000) / 1000,
      hits: outcome.HIT,
      misses: outcome.MISS,
      failedOrUnknown: outcome.other + result.non2xx + result.errors,
      latencyMs: { overallP50: result.latency.p50, overallP99: result.latency.p99 },
    },
    null,
    2,
  ),
);
process.exit(hitRate >= 0.7 && outcome.other + result.non2xx + result.errors === 0 ? 0 : 1);
