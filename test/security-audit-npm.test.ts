import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmAuditCheck } from '../scripts/security-audit/checks/npm-audit.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** npm's bulk-advisory endpoint, answering for packages of this lockfile; packuments are 404 (no fix known). */
const advisories: Record<string, Array<{ id: number; url: string; title: string; severity: string; vulnerable_versions: string }>> = {
  ws: [
    {
      id: 1,
      url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc',
      title: 'a high one in production',
      severity: 'high',
      vulnerable_versions: '<99.0.0',
    },
  ],
  pino: [
    {
      id: 2,
      url: 'https://github.com/advisories/GHSA-dddd-eeee-ffff',
      title: 'reviewed, not applicable',
      severity: 'critical',
      vulnerable_versions: '<99.0.0',
    },
  ],
  vitest: [
    {
      id: 3,
      url: 'https://github.com/advisories/GHSA-gggg-hhhh-jjjj',
      title: 'a moderate one in a dev tool',
      severity: 'moderate',
      vulnerable_versions: '<99.0.0',
    },
  ],
};

/** npm reads its settings from the environment: `url` as the registry, and a fresh cache, for `work`. */
async function withRegistry<T>(url: string, cache: string, work: () => Promise<T>): Promise<T> {
  const settings = { npm_config_registry: url, npm_config_fetch_retries: '0', npm_config_cache: cache };
  const saved = Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
  Object.assign(process.env, settings);
  try {
    return await work();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('security audit: npm audit through the real npm client', () => {
  let registry: Server;
  let registryUrl: string;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'servio-npm-audit-'));
    registry = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        if (!request.url?.startsWith('/-/npm/v1/security/advisories/bulk')) return response.writeHead(404).end('{}');
        const body = Buffer.concat(chunks);
        const asked = JSON.parse((request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString()) as Record<
          string,
          unknown
        >;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(Object.fromEntries(Object.entries(advisories).filter(([name]) => name in asked))));
      });
    });
    registry.listen(0, '127.0.0.1');
    await once(registry, 'listening');
    const address = registry.address();
    registryUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterAll(async () => {
    registry?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails on a high production advisory, warns below the threshold, honours the allow-list and reports expired entries', async () => {
    const allowList = join(dir, 'allow.json');
    await writeFile(
      allowList,
      JSON.stringify({
        entries: [
          { advisory: 'GHSA-dddd-eeee-ffff', package: 'pino', reason: 'the vulnerable transport is never loaded', expires: '2999-12-31' },
          { advisory: 'GHSA-gggg-hhhh-jjjj', package: 'vitest', reason: 'reviewed once, now past its date', expires: '2000-01-01' },
        ],
      }),
    );
    const outcome = await withRegistry(registryUrl, join(dir, 'cache-1'), () =>
      npmAuditCheck.run({ root, url: null, offline: false, env: {}, npmAuditAllowList: allowList }),
    );

    expect(outcome.verdict).toBe('fail');
    expect(outcome.evidence).toEqual([
      'expired allow-list entry (no longer applies): GHSA-gggg-hhhh-jjjj vitest (2000-01-01)',
      'production: 2 advisory(ies), failing at high or above',
      expect.stringMatching(
        /^production: (high GHSA-aaaa-bbbb-cccc ws: a high one in production|critical GHSA-dddd-eeee-ffff pino: reviewed, not applicable \(allow-listed\))$/,
      ),
      expect.stringMatching(
        /^production: (high GHSA-aaaa-bbbb-cccc ws: a high one in production|critical GHSA-dddd-eeee-ffff pino: reviewed, not applicable \(allow-listed\))$/,
      ),
      'development: 1 advisory(ies), failing at critical or above',
      'development: moderate GHSA-gggg-hhhh-jjjj vitest: a moderate one in a dev tool',
    ]);
  }, 120_000);

  it('says "not run" when the registry cannot be reached, never pass', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const address = closed.address();
    closed.close();
    await once(closed, 'close');
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;

    const outcome = await withRegistry(url, join(dir, 'cache-2'), () => npmAuditCheck.run({ root, url: null, offline: false, env: {} }));
    expect(outcome).toMatchObject({ verdict: 'not-run', summary: 'the registry did not answer the audit: vulnerabilities unknown' });
    expect(outcome.evidence[0]).toMatch(/ECONNREFUSED|request to .* failed|audit endpoint/i);
  }, 120_000);
});
