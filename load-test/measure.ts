import autocannon from 'autocannon';

export interface Measured {
  result: autocannon.Result;
  /** Every response's latency in milliseconds, sorted ascending. */
  latenciesMs: number[];
  /**
   * How long each request still waiting when the run ended had been waiting, in milliseconds
   * (autocannon drops them: they are in neither its latencies nor its errors).
   */
  unfinishedMs: number[];
}

/**
 * Runs autocannon and keeps every response's latency: its own histogram reports p50/p90/p97.5/p99
 * but no p95, which is what the targets are written in. Also times the requests left in flight at
 * the end, so a server that stops answering cannot look fast by answering only a few.
 */
export function measure(options: autocannon.Options): Promise<Measured> {
  const latenciesMs: number[] = [];
  // Per connection, when its outstanding request was sent (one at a time: no pipelining).
  const sentAt = new Map<autocannon.Client, number>();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        ...options,
        pipelining: 1,
        setupClient(client) {
          options.setupClient?.(client);
          // 'request' (emitted before each write) is missing from autocannon's typings of `on`.
          client.addListener('request', () => sentAt.set(client, performance.now()));
          client.addListener('response', () => sentAt.delete(client));
        },
      },
      (error: unknown, result) => {
        if (error) return reject(error);
        const now = performance.now();
        const unfinishedMs = [...sentAt.values()].map((at) => now - at);
        resolve({ result, latenciesMs: latenciesMs.sort((a, b) => a - b), unfinishedMs });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latenciesMs.push(responseTime));
  });
}

/** The nearest-rank percentile (0–100) of ascending samples, rounded to 0.1 ms; 0 when there are none. */
export function percentile(sortedMs: number[], rank: number): number {
  if (sortedMs.length === 0) return 0;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((rank / 100) * sortedMs.length) - 1));
  return Math.round((sortedMs[index] as number) * 10) / 10;
}
