import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testkit/test-server.js';
import { runTool } from './testkit/tools.js';

const openMetricsAccept = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

// The OpenMetrics reference parser (prometheus_client, Debian's python3-prometheus-client): strict about
// `# EOF`, counter suffixes and metadata, which promtool (Prometheus text only) does not read.
const parseOpenMetrics = `
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
families = list(text_string_to_metric_families(sys.stdin.read()))
print(len(families), "families")
`;

describe('GET /metrics exposition formats', () => {
  let server: TestServer;
  const scrape = async (accept?: string) => {
    const response = await fetch(`${server.url}/metrics`, accept ? { headers: { accept } } : {});
    expect(response.status).toBe(200);
    return { contentType: response.headers.get('content-type'), text: await response.text() };
  };
  beforeAll(async () => {
    server = await startTestServer();
    await server.graphql('{ noSuchField }'); // one counter sample with labels, and one histogram
  });
  afterAll(() => server?.close());

  it('serves Prometheus text by default, with no gauge ending in _total, and passes promtool check metrics', async (ctx) => {
    const { contentType, text } = await scrape();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).toMatch(/^# TYPE servio_graphql_errors_total counter$/m);
    expect(text.match(/^# TYPE \S+_total gauge$/gm)).toBeNull();
    expect(text).toMatch(/^servio_nodejs_active_handles\{type="\w+"\} \d+$/m);

    const promtool = runTool('promtool', ['check', 'metrics'], text);
    if (!promtool) return ctx.skip('promtool is not installed (Debian: apt-get install prometheus)');
    expect(promtool.output).toBe('');
    expect(promtool.status).toBe(0);
  });

  it('serves OpenMetrics 1.0 when the scraper prefers it, and the next plain scrape is unchanged', async (ctx) => {
    const before = await scrape();
    const { contentType, text } = await scrape(openMetricsAccept);
    expect(contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(text.endsWith('\n# EOF\n')).toBe(true);
    expect(text).toMatch(/^# TYPE servio_graphql_errors counter$/m);
    expect(text).toMatch(/^servio_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} 1$/m);
    // prom-client renames counters in place for OpenMetrics; the Prometheus text must not inherit that.
    const after = await scrape();
    expect(after.text).toMatch(/^# TYPE servio_graphql_errors_total counter$/m);
    expect(after.text.match(/^# TYPE .*$/gm)).toEqual(before.text.match(/^# TYPE .*$/gm));

    const parsed = runTool('/usr/bin/python3', ['-c', parseOpenMetrics], text);
    if (!parsed || /No module named 'prometheus_client'/.test(parsed.output)) {
      return ctx.skip('the OpenMetrics parser is not installed (Debian: apt-get install python3-prometheus-client)');
    }
    expect(parsed.output).toMatch(/^\d+ families\n$/);
    expect(parsed.status).toBe(0);
  });

  it('falls back to Prometheus text for an Accept it cannot serve', async () => {
    const { contentType } = await scrape('application/json');
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
