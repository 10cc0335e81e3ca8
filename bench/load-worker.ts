/**
 * The load generator, in a process of its own (so its CPU never counts as the server's): it receives
 * one workload at a time from bench/run.ts over IPC, runs autocannon, checks every response body, and
 * answers with throughput, latency percentiles and error counts.
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
  /** `exact`: every body equals this; `contains`: every body contains it (and no `"errors"`). */
  expect: { exact: string } | { contains: string };
  /** createOrder bodies: a unique key per request, 1–3 lines, writers taken in turn. */
  orders?: {
    restaurantId: string;
    itemIds: string[];
    writers: Array<{ userId: string; token: string }>;
    keyPrefix: string;
    ceiling: boolean;
  };
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Non-2xx answers, wrong bodies, time-outs and socket errors. */
  errors: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

function orderBody(spec: NonNullable<LoadSpec['orders']>, sequence: number) {
  const writer = spec.writers[sequence % spec.writers.length] as { userId: string; token: string };
  const items = Array.from({ length: 1 + (sequence % 3) }, (_, line) => ({
    menuItemId: spec.itemIds[(sequence * 7 + line * 11) % spec.itemIds.length] as string,
    quantity: 1 + ((sequence + line) % 2),
  }));
  const input = { restaurantId: spec.restaurantId, idempotencyKey: `${spec.keyPrefix}-${sequence}`, items };
  if (spec.ceiling) return { headers: {}, body: JSON.stringify({ ...input, userId: writer.userId }) };
  return {
    headers: { authorization: `Bearer ${writer.token}` },
    body: JSON.stringify({
      query: 'mutation PlaceOrder($input: CreateOrderInput!) { createOrder(input: $input) { id status total { amount currency } } }',
      variables: { input },
    }),
  };
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  let bad = 0;
  let sequence = 0;
  const matches = (body: string) =>
    'exact' in spec.expect ? body === spec.expect.exact : body.includes(spec.expect.contains) && !body.includes('"errors"');
  let finish: (result: autocannon.Result) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: spec.url,
      connections: spec.connections,
      duration: spec.durationSeconds,
      timeout: 10,
      requests: [
        {
          method: spec.method,
          headers: spec.headers,
          ...(spec.body === undefined ? {} : { body: spec.body }),
          ...(spec.orders
            ? {
                setupRequest: (request: autocannon.Request) => {
                  const built = orderBody(spec.orders as NonNullable<LoadSpec['orders']>, sequence++);
                  return { ...request, headers: { ...spec.headers, ...built.headers }, body: built.body };
                },
              }
            : {}),
          onResponse: (status: number, body: string) => {
            if (status < 200 || status >= 300 || !matches(body)) bad++;
          },
        },
      ],
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const result = await done;
  latencies.sort((a, b) => a - b);
  const seconds = result.duration;
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: bad + result.errors + result.timeouts,
  };
}

process.on('message', (spec: LoadSpec) => {
  run(spec).then(
    (result) => process.send?.({ result }),
    (error: unknown) => process.send?.({ error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
