/**
 * The post-deploy smoke test: a handful of requests any deployment must answer, read-only and without
 * credentials, so it is safe against production. Each check says what it expected when it fails.
 */
export interface SmokeResult {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

export interface SmokeOptions {
  /** A restaurant slug to read the public menu of (`--slug demo-bistro`); skipped when absent. */
  slug?: string;
  timeoutMs?: number;
  /** How long GET /health/ready may answer 503 before the check fails (default 15 s). */
  readyWithinMs?: number;
}

type Check = { name: string; run(base: string, options: SmokeOptions): Promise<string> };

const checks: Check[] = [
  {
    name: 'GET /health/live answers 200',
    async run(base, options) {
      const response = await get(`${base}/health/live`, options);
      expect(response.status === 200, `status ${response.status}`);
      return 'alive';
    },
  },
  {
    name: 'GET /health/ready answers 200 (database, migrations, cache)',
    async run(base, options) {
      // A pod that just started may answer 503 for a moment: poll until ready or the deadline.
      const deadline = Date.now() + (options.readyWithinMs ?? 15_000);
      for (;;) {
        const response = await get(`${base}/health/ready`, options);
        const body = (await response.json()) as { failing?: string[]; checks?: Record<string, { error?: string }> };
        if (response.status === 200) return 'ready';
        const why = (body.failing ?? []).map((name) => `${name}: ${body.checks?.[name]?.error ?? 'failing'}`).join('; ');
        expect(response.status === 503 && Date.now() < deadline, `status ${response.status}, ${why}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },
  },
  {
    name: 'POST /graphql runs a query and echoes x-request-id',
    async run(base, options) {
      const requestId = `smoke-${Date.now()}`;
      const response = await postGraphql(base, '{ __typename }', options, { 'x-request-id': requestId });
      const body = (await response.json()) as { data?: { __typename?: string } };
      expect(response.status === 200 && body.data?.__typename === 'Query', `status ${response.status}, body ${JSON.stringify(body)}`);
      expect(response.headers.get('x-request-id') === requestId, `x-request-id was ${response.headers.get('x-request-id')}`);
      return 'Query';
    },
  },
  {
    name: 'POST /graphql refuses an invalid query with a typed error',
    async run(base, options) {
      const response = await postGraphql(base, '{ noSuchField }', options);
      const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      const code = body.errors?.[0]?.extensions?.code;
      expect(code === 'GRAPHQL_VALIDATION_FAILED', `code ${code}, status ${response.status}`);
      return code;
    },
  },
  {
    name: 'security headers are set',
    async run(base, options) {
      const response = await get(`${base}/health/live`, options);
      for (const header of ['strict-transport-security', 'x-content-type-options', 'x-frame-options']) {
        expect(response.headers.has(header), `missing ${header}`);
      }
      return 'HSTS, nosniff, frame options';
    },
  },
  {
    name: 'public menu of --slug',
    async run(base, options) {
      if (!options.slug) return 'skipped (no --slug)';
      const response = await postGraphql(
        base,
        'query SmokeMenu($slug: String!) { restaurant(slug: $slug) { name menu { name items { name } } } }',
        options,
        {},
        { slug: options.slug },
      );
      const body = (await response.json()) as { data?: { restaurant?: { menu: Array<{ items: unknown[] }> } | null } };
      const items = body.data?.restaurant?.menu.reduce((sum, category) => sum + category.items.length, 0) ?? 0;
      expect(items > 0, `no menu items for "${options.slug}": ${JSON.stringify(body).slice(0, 300)}`);
      return `${items} items`;
    },
  },
];

/** Runs every check against `baseUrl` (e.g. https://api.example.com), never throwing. */
export async function runSmokeTests(baseUrl: string, options: SmokeOptions = {}): Promise<SmokeResult[]> {
  const base = baseUrl.replace(/\/+$/, '');
  const results: SmokeResult[] = [];
  for (const check of checks) {
    const started = performance.now();
    try {
      const detail = await check.run(base, options);
      results.push({ name: check.name, ok: true, detail, ms: performance.now() - started });
    } catch (error) {
      results.push({ name: check.name, ok: false, detail: (error as Error).message, ms: performance.now() - started });
    }
  }
  return results;
}

function expect(condition: boolean, failure: string): asserts condition {
  if (!condition) throw new Error(failure);
}

function get(url: string, options: SmokeOptions) {
  return fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
}

function postGraphql(base: string, query: string, options: SmokeOptions, headers: Record<string, string> = {}, variables = {}) {
  return fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
}
