import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type IContextualizedStats, Report } from '@apollo/usage-reporting-protobuf';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readBody } from './testkit/http-body.js';
import { uniqueSuffix } from './testkit/seed-builder.js';
import { startTestServer } from './testkit/test-server.js';

/**
 * The real usage reporting plugin against a local stand-in for Apollo's ingress: reports are
 * gzipped protobuf `Report`s POSTed to <endpoint>/api/ingress/traces. Apollo sends what it holds
 * when the server stops, so each test closes its server before looking.
 */
interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  report: Report;
}

const query = 'query UsageReportedRestaurant($slug: String!) { restaurant(slug: $slug) { name } }';
const runs = 3;

describe('Apollo usage reporting', () => {
  const received: Received[] = [];
  let ingress: Server;
  let endpoint: string;

  beforeAll(async () => {
    ingress = createServer(async (request, response) => {
      received.push({ url: request.url ?? '', headers: request.headers, report: Report.decode(await readBody(request)) });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => ingress.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(ingress.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => ingress?.close(resolve));
  });

  it('reports each operation under its signature to the configured endpoint, without variables or headers', async () => {
    received.length = 0;
    const marker = `marker-${uniqueSuffix()}`;
    const server = await startTestServer({
      APOLLO_KEY: 'service:test:key',
      APOLLO_GRAPH_REF: 'servio@test',
      APOLLO_USAGE_REPORTING_ENDPOINT: `${endpoint}/`,
    });
    try {
      for (let i = 0; i < runs; i++) {
        const { body } = await server.graphql(query, { slug: marker }, { 'x-secret-header': marker });
        expect(body.data).toEqual({ restaurant: null });
      }
    } finally {
      await server.close();
    }

    expect(received.length).toBeGreaterThanOrEqual(1);
    expect(received.map((item) => item.url)).toEqual(received.map(() => '/api/ingress/traces'));
    expect(received[0]?.headers['x-api-key']).toBe('service:test:key');
    expect(received.map((item) => item.report.header?.graphRef)).toEqual(received.map(() => 'servio@test'));
    const perQuery = received.flatMap((item) => Object.entries(item.report.tracesPerQuery));
    const ours = perQuery.filter(([key]) => key.startsWith('# UsageReportedRestaurant\n'));
    expect(ours.length).toBeGreaterThanOrEqual(1);
    // Each run is either a trace or counted in the aggregated stats.
    const requests = ours.reduce(
      (sum, [, entry]) =>
        sum +
        (entry.trace?.length ?? 0) +
        ((entry.statsWithContext ?? []) as IContextualizedStats[]).reduce(
          (total, stats) => total + Number(stats.queryLatencyStats?.requestCount ?? 0),
          0,
        ),
      0,
    );
    expect(requests).toBeGreaterThanOrEqual(runs);
    // The variables' values, the request headers and the client address never leave the process.
    const everything = JSON.stringify(received.map((item) => item.report.toJSON()));
    expect(everything).not.toContain(marker);
    expect(everything).not.toContain(server.clientIp);
  });

  it('sends nothing without both APOLLO_KEY and APOLLO_GRAPH_REF in config, even when they are in process.env', async () => {
    received.length = 0;
    const original = globalThis.fetch;
    // Any report, even one from Apollo's own default plugin (which reads process.env), would go through fetch.
    const ingressCalls: string[] = [];
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.includes('/api/ingress/')) return original(input, init);
      ingressCalls.push(url);
      return new Response('{}', { status: 200 });
    });
    vi.stubEnv('APOLLO_KEY', 'service:test:key');
    vi.stubEnv('APOLLO_GRAPH_REF', 'servio@test');
    try {
      const server = await startTestServer({ APOLLO_KEY: 'service:test:key', APOLLO_USAGE_REPORTING_ENDPOINT: endpoint });
      try {
        for (let i = 0; i < runs; i++) await server.graphql(query, { slug: 'nowhere' });
      } finally {
        await server.close();
      }
    } finally {
      vi.unstubAllEnvs();
      spy.mockRestore();
    }

    expect(received).toEqual([]);
    expect(ingressCalls).toEqual([]);
  });
});
