/**
 * Mixed read workload (mixed-reads-workload.ts) against a running server (loopback only), reporting
 * the response-cache hit rate (from each response's x-cache header), throughput and latency.
 *   RATE_LIMIT_API=1000000/60 RATE_LIMIT_ANONYMOUS_HTTP=1000000/60 npm start   # demo data
 *   npm run load:mixed -- [url] [seconds] [connections]
 * Exits 1 when the hit rate is under 70 % (the target) or any request fails.
 * test/cache-hit-rate.test.ts runs the same workload, bounded, in CI.
 */
import { exitUnlessLoopback } from './loopback.js';
import { hitRateTarget, runMixedReads } from './mixed-reads-workload.js';

const [url = 'http://127.0.0.1:4000', seconds = '10', connections = '10'] = process.argv.slice(2);
exitUnlessLoopback(url);

const result = await runMixedReads(url, { durationSeconds: Number(seconds), connections: Number(connections) });
console.log(JSON.stringify(result, null, 2));
process.exit(result.hitRate >= hitRateTarget && result.failed + result.errors === 0 ? 0 : 1);
