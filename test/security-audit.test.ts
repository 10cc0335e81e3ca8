import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditContext, Check } from '../scripts/security-audit/audit.js';
import { configCheck } from '../scripts/security-audit/checks/config.js';
import { corsCheck } from '../scripts/security-audit/checks/cors.js';
import { filePermissionsCheck } from '../scripts/security-audit/checks/file-permissions.js';
import { secretsCheck } from '../scripts/security-audit/checks/secrets.js';
import { securityHeadersCheck } from '../scripts/security-audit/checks/security-headers.js';
import { hostileInputCheck } from '../scripts/security-audit/checks/sql-injection.js';
import { tlsCheck } from '../scripts/security-audit/checks/tls.js';
import { startTestServer, type TestServer } from './testkit/test-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const context = (overrides: Partial<AuditContext> = {}): AuditContext => ({ root, url: null, offline: false, env: {}, ...overrides });
const run = (check: Check, overrides: Partial<AuditContext> = {}) => check.run(context(overrides));
const day = 86_400_000;

/** A self-signed certificate for 127.0.0.1, valid for `days`. */
async function certificate(days: number) {
  return generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - day),
    notAfterDate: new Date(Date.now() + days * day),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
}

/** TLS terminated in front of the real server, as a load balancer does: every request is passed through. */
async function httpsProxy(target: string, pems: { private: string; cert: string }, tls: { minVersion?: 'TLSv1'; ciphers?: string } = {}) {
  const server: Server = createHttpsServer({ key: pems.private, cert: pems.cert, ...tls }, (incoming, outgoing) => {
    const upstream = request(`${target}${incoming.url}`, { method: incoming.method, headers: incoming.headers }, (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(outgoing);
    });
    incoming.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return { server, url: new URL(`https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`) };
}

describe('security audit: server checks against the real server', () => {
  let server: TestServer;
  let open: TestServer;
  beforeAll(async () => {
    [server, open] = await Promise.all([
      startTestServer({ CORS_ORIGINS: 'https://app.servio.test' }),
      startTestServer({ CORS_ORIGINS: 'null' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.close(), open?.close()]);
  });

  it('CORS: a preflight from an unlisted origin or from null gets no allow-origin', async () => {
    const outcome = await run(corsCheck, { url: new URL(server.url) });
    expect(outcome.verdict).toBe('pass');
    expect(outcome.evidence).toEqual([
      expect.stringMatching(/^preflight from https:\/\/attacker.invalid: \d+, access-control-allow-origin: \(none\)/),
      expect.stringMatching(/^preflight from null: \d+, access-control-allow-origin: \(none\)/),
    ]);
  });

  it('CORS: fails a server that lists the null origin', async () => {
    const outcome = await run(corsCheck, { url: new URL(open.url) });
    expect(outcome.verdict).toBe('fail');
    expect(outcome.evidence[1]).toMatch(/^preflight from null: \d+, access-control-allow-origin: null, credentials: true/);
  });

  it('hostile input: every request is refused or answered cleanly, none leaks internals', async () => {
    const outcome = await run(hostileInputCheck, { url: new URL(server.url) });
    const failures = outcome.evidence.filter((line) => !line.startsWith('ok: '));
    expect(failures).toEqual([]);
    expect(outcome.verdict).toBe('pass');
    expect(outcome.evidence.length).toBeGreaterThanOrEqual(15);
  });

  it('hostile input: fails a server that answers 500 or leaks a SQL error', async () => {
    const broken = createHttpServer((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"message":"syntax error at or near \\"OR\\""}]}');
    });
    broken.listen(0, '127.0.0.1');
    await once(broken, 'listening');
    const address = broken.address();
    try {
      const outcome = await run(hostileInputCheck, {
        url: new URL(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`),
      });
      expect(outcome.verdict).toBe('fail');
      expect(outcome.evidence[0]).toMatch(/^FAIL: .* → 500 .*\(HTTP 500\)$/);
    } finally {
      broken.close();
    }
  });

  it('TLS + headers: a trusted chain, TLS 1.2+ only and every security header, with an expiry warning under 30 days', async () => {
    const pems = await certificate(10);
    const { server: proxy, url } = await httpsProxy(server.url, pems);
    try {
      const tls = await run(tlsCheck, { url, ca: pems.cert });
      expect(tls.verdict).toBe('warn');
      expect(tls.evidence).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^negotiated TLSv1\.[23]$/),
          'chain: trusted, host name matches',
          expect.stringMatching(/^certificate expires in (9|10) day\(s\)$/),
          expect.stringMatching(/^TLS 1.0\/1.1 refused/),
        ]),
      );
      const headers = await run(securityHeadersCheck, { url, ca: pems.cert });
      expect(headers.evidence.filter((line) => line.includes('(missing)'))).toEqual([]);
      expect(headers.verdict).toBe('pass');
    } finally {
      proxy.close();
    }
  });

  it('TLS: fails an untrusted (self-signed) chain and a server that still speaks TLS 1.0/1.1', async () => {
    const pems = await certificate(90);
    const { server: proxy, url } = await httpsProxy(server.url, pems, { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    try {
      const outcome = await run(tlsCheck, { url });
      expect(outcome.verdict).toBe('fail');
      expect(outcome.evidence).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^chain: not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)$/),
          expect.stringMatching(/^TLS 1.0\/1.1 (accepted|refused)/),
        ]),
      );
    } finally {
      proxy.close();
    }
  });
});

describe('security audit: repository checks', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'servio-audit-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('configuration: judges the environment with the server’s own production rules', async () => {
    const safe = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://s@db/s?sslmode=verify-full',
      REDIS_URL: 'rediss://r:6380',
      JWT_SECRET: randomBytes(32).toString('base64'),
    };
    expect(await run(configCheck, { env: safe })).toMatchObject({ verdict: 'pass' });
    expect(await run(configCheck, { env: { ...safe, REDIS_URL: 'redis://r:6379' } })).toMatchObject({
      verdict: 'warn',
      evidence: ['NODE_ENV=production', 'review: REDIS_URL: redis:// is plain text; use rediss:// unless the network is private'],
    });
    const unsafe = await run(configCheck, {
      env: { ...safe, JWT_SECRET: 'change-me-to-a-long-random-secret-of-32-chars', SEED_ON_EMPTY: 'true' },
    });
    expect(unsafe.verdict).toBe('fail');
    expect(unsafe.evidence).toEqual([
      'NODE_ENV=production',
      expect.stringMatching(/^refused: JWT_SECRET: is a published placeholder/),
      expect.stringMatching(/^refused: SEED_ON_EMPTY: demo seeding/),
    ]);
    expect(await run(configCheck, { env: {} })).toMatchObject({
      verdict: 'warn',
      summary: expect.stringMatching(/^NODE_ENV=development: not a production environment/),
    });
  });

  it('file permissions: fails a world-writable file, a readable .env and a .dockerignore that lets secrets in', async () => {
    const tree = join(dir, 'permissions');
    await rm(tree, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(tree));
    await writeFile(join(tree, '.env'), 'JWT_SECRET=whatever\n');
    await chmod(join(tree, '.env'), 0o644);
    await writeFile(join(tree, 'open.txt'), 'x');
    await chmod(join(tree, 'open.txt'), 0o666);
    await writeFile(join(tree, '.dockerignore'), 'node_modules\n.git\n');
    // Like PGlite's files (0666) in the embedded database's folder (0700): others cannot reach them.
    await import('node:fs/promises').then((fs) => fs.mkdir(join(tree, 'private'), { mode: 0o700 }));
    await writeFile(join(tree, 'private', 'PG_VERSION'), '17');
    await chmod(join(tree, 'private', 'PG_VERSION'), 0o666);

    const outcome = await run(filePermissionsCheck, { root: tree });
    expect(outcome.verdict).toBe('fail');
    expect(outcome.evidence.slice(1).sort()).toEqual([
      '.dockerignore does not exclude: .env, .env.*, .data, *.pem, *.key, reports',
      'readable by others: .env (644); chmod 600 it',
      'world-writable: open.txt (666)',
    ]);
    expect((await run(filePermissionsCheck)).verdict).toBe('pass');
  });

  it('secrets: finds a planted key in the tree and in the git history, and lets the demo password through', async () => {
    const repo = join(dir, 'secrets');
    await import('node:fs/promises').then((fs) => fs.mkdir(repo, { recursive: true }));
    await copyFile(join(root, '.secretlintrc.yml'), join(repo, '.secretlintrc.yml'));
    const git = (...args: string[]) => spawnDone('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.test', ...args], repo);
    await git('init', '-q');
    await writeFile(join(repo, 'demo.ts'), "export const demoPassword = 'servio-demo';\n");
    await git('add', '.');
    await git('commit', '-qm', 'demo');
    expect(await run(secretsCheck, { root: repo })).toMatchObject({ verdict: 'pass' });

    // Split so that this file itself is not a finding.
    await writeFile(join(repo, 'leak.ts'), 'const dbPassword = ' + "'Tr0ub4dor&3-leaked';\n");
    await git('add', '.');
    await git('commit', '-qm', 'leak');
    await rm(join(repo, 'leak.ts'));
    await git('commit', '-qam', 'remove the leak (still in history)');
    const history = await run(secretsCheck, { root: repo });
    expect(history.verdict).toBe('fail');
    // Added, then removed: both lines of the history carry it; the value itself is masked.
    expect(history.evidence.slice(1)).toEqual([
      'git history: 1 file(s) scanned, 2 finding(s)',
      expect.stringMatching(/^git history: git-history.diff:\d+ found matching \*+: \*+$/),
      expect.stringMatching(/^git history: git-history.diff:\d+ found matching \*+: \*+$/),
    ]);
    expect(history.evidence.join('\n')).not.toContain('Tr0ub4dor');
  }, 120_000);
});

describe('npm run security:audit -- --offline (what CI runs)', () => {
  it('writes the Markdown and JSON reports, marks the network checks not run, and exits 0 on this repository', async () => {
    const out = await mkdtemp(join(tmpdir(), 'servio-audit-report-'));
    try {
      const { code, output } = await spawnDone(
        process.execPath,
        ['--import', 'tsx', 'scripts/security-audit/main.ts', '--offline', '--out', out],
        root,
      );
      expect(output).toContain('# Servio security audit');
      const report = JSON.parse(await readFile(join(out, 'security-audit.json'), 'utf8'));
      const verdicts = Object.fromEntries(report.checks.map((check: { name: string; verdict: string }) => [check.name, check.verdict]));
      expect(verdicts).toEqual({
        configuration: expect.stringMatching(/^(pass|warn)$/),
        secrets: 'pass',
        'file permissions': 'pass',
        'SQL injection: source': 'pass',
        'npm audit': 'not-run',
        'outdated dependencies': 'not-run',
        TLS: 'not-run',
        'security headers': 'not-run',
        CORS: 'not-run',
        'SQL injection: hostile input': 'not-run',
      });
      expect(await readFile(join(out, 'security-audit.md'), 'utf8')).toMatch(
        /\| npm audit \| ⏭️ not run \| offline: the registry was not asked \|/,
      );
      expect(code).toBe(0);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 180_000);
});

function spawnDone(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
