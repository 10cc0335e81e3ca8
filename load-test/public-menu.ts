/**
 * Load test of the public menu query against a running server (loopback only):
 *   npm start   # in another terminal
 *   npm run load:menu -- [url] [seconds] [connections]
 * Bounded in time; prints latency percentiles, throughput and the error count.
 */
import autocannon from 'autocannon';
import { exitUnlessLoopback } from './loopback.js';

const [url = 'http://127.0.0.1:4000', seconds = '10', connections = '20'] = process.argv.slice(2);
exitUnlessLoopback(url);

const result = await autocannon({
  url: `${url}/graphql`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    query: '{ restaurant(slug: "demo-bistro") { id name menu { id name items { id name price { amount currency } available } } } }',
  }),
  duration: Math.min(Number(seconds), 120),
  connections: Number(connections),
});

console.log(
  JSON.stringify(
    {
      requestsPerSecond: result.requests.average,
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    },
    null,
    2,
  ),
);
process.exit(result.non2xx + result.errors > 0 ? 1 : 0);
