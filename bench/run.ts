/**
 * `npm run bench [-- --quick] [-- --database postgresql://…]`: Servio against the ceilings, side by side.
 * See README, "Benchmark". Writes bench/results/latest.json and latest.md and prints the table.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createAccessTokens } from '../src/auth/access-tokens.js';
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/infra/db.js';
import { applyPendingMigrations } from '../src/infra/migrations/migrator.js';
import { type BenchData, generateBenchData } from './bench-data.js';
import type { LoadResult, LoadSpec } from './load-worker.js';
import { cpuMs, redisCommands, rssMb, serverCounters } from './probes.js';
import { evaluate, type Measured, markdownTable, type Workload } from './report.js';
import { ask, forkBench, freePort, root, startRedis, startServer, waitFor } from './targets.js';

const quick = process.argv.includes('--quick');
const option = (name: string) => {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
};
/** `--only <text>`: only the workloads whose name contains it (a faster loop while working on one). */
const only = option('--only');
/** `--profile <dir>`: the server writes a V8 CPU profile there on exit (summarise it with bench/profile-summary.ts). */
const profileDir = option('--profile');
const adminUrl = option('--database')?.startsWith('postgres')
  ? (option('--database') as string)
  : 'postgresql://postgres@127.0.0.1:5432/postgres';
const rounds = quick ? 2 : 5;
const seconds = quick ? 3 : 10;
const poolSize = 10;
const databaseName = 'servio_bench';
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();

async function newestMtime(dir: string): Promise<number> {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  return Math.max(...entries.filter((entry) => entry.isFile()).map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs));
}

/** Compiles the server unless dist/ is newer than every source file. */
async function build() {
  const built = (() => {
    try {
      return statSync(join(root, 'dist/main.js')).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (built > (await newestMtime('src'))) return;
  console.log('bench: compiling the server (npm run build)…');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
}

async function prepareDatabase(): Promise<BenchData> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${databaseName}`);
  await admin.end();
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, DB_POOL_MIN: '0', DB_POOL_MAX: '4' });
  const db = await createDatabase(config.database);
  try {
    await applyPendingMigrations(db.adapterFactory);
    const data = await generateBenchData(db.prisma, { orders: 2_500, writers: 50 });
    // Statistics for the fresh rows now, as a live database has them, not when autovacuum gets to it mid-run.
    await db.prisma.$executeRaw`ANALYZE`;
    return data;
  } finally {
    await db.close();
  }
}

async function dropDatabase() {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
}

const menuQuery = '{ restaurant(slug: "bench-bistro") { name menu { name items { name price { amount currency } } } } }';
const partnerMenu = `query PartnerPublicMenu($slug: String!) {
  restaurant(slug: $slug) {
    id
    name
    currency
    menu {
      id
      name
      items {
        id
        name
        price {
          amount
          currency
        }
      }
    }
  }
}
`;
const ordersQuery =
  'query ManagerOrders($restaurantId: ID!, $first: Int!) { orders(restaurantId: $restaurantId, first: $first) { edges { node { id status total { amount currency } items { name quantity lineTotal { amount currency } menuItem { id name } } } } } }';

/** Where two JSON values first differ, for a readable failure. */
function firstDifference(left: unknown, right: unknown, path = '$'): string {
  if (typeof left !== 'object' || left === null || typeof right !== 'object' || right === null)
    return `${path}: ${JSON.stringify(left)} ≠ ${JSON.stringify(right)}`;
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    const [l, r] = [(left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]];
    if (!isDeepStrictEqual(l, r)) return firstDifference(l, r, `${path}.${key}`);
  }
  return `${path} (same keys, different values)`;
}

async function main() {
  const started = Date.now();
  await build();
  console.log('bench: generating data (2,500 orders, 50 writers)…');
  const data = await prepareDatabase();
  const redisServer = await startRedis();
  const redis = new Redis(redisServer.url);
  const secret = randomBytes(32).toString('hex');
  const metricsToken = randomBytes(24).toString('hex');
  const metricsHeaders = { authorization: `Bearer ${metricsToken}` };
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startServer(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [], {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: String(poolSize),
    REDIS_URL: redisServer.url,
    JWT_SECRET: secret,
    METRICS_TOKEN: metricsToken,
    LOG_LEVEL: 'warn',
    MIGRATE_ON_START: 'false',
    SEED_ON_EMPTY: 'false',
    RATE_LIMIT_AUTH: '1000000/60',
    RATE_LIMIT_API: '100000000/60',
    RATE_LIMIT_HEAVY: '100000000/60',
    RATE_LIMIT_ANONYMOUS_HTTP: '100000000/60',
  });
  const ceilingPort = await freePort();
  const tmp = mkdtempSync(join(tmpdir(), 'servio-bench-'));
  let ceiling: ReturnType<typeof forkBench> | undefined;
  let bareApollo: ReturnType<typeof forkBench> | undefined;
  const worker = forkBench('./load-worker.ts');
  try {
    await waitFor(`${base}/health/ready`, server.child, server.output);
    const rssAtStart = rssMb(server.child.pid as number);
    const tokens = createAccessTokens(secret, 3_600);
    const manager = `Bearer ${(await tokens.issue(data.managerId)).token}`;
    const writers = await Promise.all(data.writerIds.map(async (userId) => ({ userId, token: (await tokens.issue(userId)).token })));

    const post = async (body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        cache: response.headers.get('x-cache'),
        contentType: response.headers.get('content-type') ?? '',
        text: await response.text(),
      };
    };
    // The cached answers, as Servio sends them once warm (the second request is a hit).
    await post({ query: menuQuery });
    const menuPost = await post({ query: menuQuery });
    const hash = createHash('sha256').update(partnerMenu).digest('hex');
    const variables = JSON.stringify({ slug: data.readSlug });
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } });
    await post({ query: partnerMenu, variables: { slug: data.readSlug }, extensions: JSON.parse(extensions) });
    const getPath = `/graphql?operationName=PartnerPublicMenu&variables=${encodeURIComponent(variables)}&extensions=${encodeURIComponent(extensions)}`;
    const getHeaders = { 'apollo-require-preflight': 'true' };
    await fetch(`${base}${getPath}`, { headers: getHeaders });
    const menuGetResponse = await fetch(`${base}${getPath}`, { headers: getHeaders });
    const menuGet = await menuGetResponse.text();
    for (const [name, status, cache, text] of [
      ['menu POST', menuPost.status, menuPost.cache, menuPost.text],
      ['persisted GET', menuGetResponse.status, menuGetResponse.headers.get('x-cache'), menuGet],
    ] as const) {
      if (status !== 200 || cache !== 'HIT' || text.includes('"errors"'))
        throw new Error(`${name}: expected a cache hit, got ${status} ${cache}: ${text.slice(0, 300)}`);
    }
    writeFileSync(join(tmp, 'menu-post'), menuPost.text);
    writeFileSync(join(tmp, 'menu-get'), menuGet);

    ceiling = forkBench('./ceiling-server.ts', [
      JSON.stringify({
        port: ceilingPort,
        databaseUrl,
        poolSize,
        menuPostFile: join(tmp, 'menu-post'),
        menuGetFile: join(tmp, 'menu-get'),
        contentType: menuPost.contentType,
      }),
    ]);
    await new Promise((resolve) => ceiling?.once('message', resolve));
    const ceilingBase = `http://127.0.0.1:${ceilingPort}`;
    const bareApolloPort = await freePort();
    bareApollo = forkBench('./bare-apollo-server.ts', [JSON.stringify({ port: bareApolloPort, databaseUrl, poolSize })], {
      NODE_ENV: 'production',
    });
    await new Promise((resolve) => bareApollo?.once('message', resolve));
    const bareApolloBase = `http://127.0.0.1:${bareApolloPort}`;

    // The ceiling's and the bare-Apollo reference's nested reads must be the same data as Servio's (which adds extensions.cost).
    const ordersBodies: Record<number, { servio: string; ceiling: string; bareApollo: string }> = {};
    for (const first of [20, 100]) {
      const query = { query: ordersQuery, variables: { restaurantId: data.readRestaurantId, first } };
      const servio = await post(query, { authorization: manager });
      if (servio.status !== 200) throw new Error(`orders(first: ${first}): Servio answered ${servio.status}: ${servio.text.slice(0, 300)}`);
      const answerOf = async (name: string, url: string, body: unknown) => {
        const text = await (
          await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        ).text();
        const [ours, theirs] = [JSON.parse(servio.text).data, JSON.parse(text).data];
        if (!isDeepStrictEqual(ours, theirs))
          throw new Error(`orders(first: ${first}): Servio and ${name} disagree at ${firstDifference(ours, theirs)}`);
        return text;
      };
      ordersBodies[first] = {
        servio: servio.text,
        ceiling: await answerOf('the hand-written statement', `${ceilingBase}/orders`, { restaurantId: data.readRestaurantId, first }),
        bareApollo: await answerOf('bare Apollo', `${bareApolloBase}/graphql`, query),
      };
    }

    const json = { 'content-type': 'application/json' };
    const orders = (prefix: string, ceilingSide: boolean) => ({
      restaurantId: data.writeRestaurantId,
      itemIds: data.orderableItemIds,
      writers,
      keyPrefix: prefix,
      ceiling: ceilingSide,
    });
    const pair = (
      servio: Omit<LoadSpec, 'durationSeconds'>,
      hand: Omit<LoadSpec, 'durationSeconds'>,
      bareApollo?: Omit<LoadSpec, 'durationSeconds'>,
    ) => ({ servio, hand, bareApollo });
    // The ceilings get the same requests as Servio (Fastify parses the POST's JSON body too) and answer the same bytes.
    const menuPostSpec: Omit<LoadSpec, 'durationSeconds'> = {
      url: `${base}/graphql`,
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: menuQuery }),
      connections: 32,
      expect: { exact: menuPost.text },
    };
    const menuGetSpec: Omit<LoadSpec, 'durationSeconds'> = {
      url: `${base}${getPath}`,
      method: 'GET',
      headers: getHeaders,
      connections: 32,
      expect: { exact: menuGet },
    };
    const specs = {
      menuPost: pair(menuPostSpec, { ...menuPostSpec, url: `${ceilingBase}/menu` }),
      menuGet: pair(menuGetSpec, { ...menuGetSpec, url: `${ceilingBase}/menu${getPath.slice('/graphql'.length)}` }),
      ...Object.fromEntries(
        [20, 100].map((first) => [
          `orders${first}`,
          pair(
            {
              url: `${base}/graphql`,
              method: 'POST',
              headers: { ...json, authorization: manager },
              body: JSON.stringify({ query: ordersQuery, variables: { restaurantId: data.readRestaurantId, first } }),
              connections: 16,
              expect: { exact: ordersBodies[first]?.servio as string },
            },
            {
              url: `${ceilingBase}/orders`,
              method: 'POST',
              headers: json,
              body: JSON.stringify({ restaurantId: data.readRestaurantId, first }),
              connections: 16,
              expect: { exact: ordersBodies[first]?.ceiling as string },
            },
            {
              url: `${bareApolloBase}/graphql`,
              method: 'POST',
              headers: json,
              body: JSON.stringify({ query: ordersQuery, variables: { restaurantId: data.readRestaurantId, first } }),
              connections: 16,
              expect: { exact: ordersBodies[first]?.bareApollo as string },
            },
          ),
        ]),
      ),
    } as Record<string, ReturnType<typeof pair>>;

    const workloads: Workload[] = [
      { name: 'menu query, cache hit (POST)', ceilingName: 'bare Fastify, same bytes', servio: [], ceiling: [], minRatio: 0.5 },
      { name: 'persisted PartnerPublicMenu (GET), hit', ceilingName: 'bare Fastify, same bytes', servio: [], ceiling: [], minRatio: 0.5 },
      {
        name: 'manager orders(first: 20), nested',
        ceilingName: 'one json_agg statement',
        servio: [],
        ceiling: [],
        minRatio: 0.8,
        maxSql: 3,
      },
      {
        name: 'manager orders(first: 100), nested',
        ceilingName: 'one json_agg statement',
        servio: [],
        ceiling: [],
        minRatio: 0.8,
        maxSql: 3,
      },
      { name: 'createOrder, 50 writers', ceilingName: 'hand-written pg transaction', servio: [], ceiling: [], minRatio: 0.5, maxSql: 9 },
      { name: 'createOrder, 200 connections', ceilingName: 'hand-written pg transaction', servio: [], ceiling: [], maxP95Ms: 500 },
    ];
    let sequence = 0;
    const measure = async (
      spec: Omit<LoadSpec, 'durationSeconds'>,
      pid: number,
      counted: boolean,
      duration = seconds,
    ): Promise<Measured> => {
      const counters = () => (counted ? serverCounters(base, metricsHeaders) : Promise.resolve({ sql: 0, gcMs: 0 }));
      const [cpuBefore, serverBefore, redisBefore] = [cpuMs(pid), await counters(), counted ? await redisCommands(redis) : 0];
      const result = await ask<LoadResult>(worker, { ...spec, durationSeconds: duration });
      const cpu = cpuMs(pid) - cpuBefore;
      const requests = Math.max(result.requests, 1);
      if (!counted) return { ...result, cpuMsPerRequest: cpu / requests };
      const serverAfter = await counters();
      return {
        ...result,
        cpuMsPerRequest: cpu / requests,
        sqlPerRequest: (serverAfter.sql - serverBefore.sql) / requests,
        redisPerRequest: ((await redisCommands(redis)) - redisBefore) / requests,
        gcShare: cpu > 0 ? (serverAfter.gcMs - serverBefore.gcMs) / cpu : 0,
      };
    };
    const ordersSpec = (connections: number, ceilingSide: boolean): Omit<LoadSpec, 'durationSeconds'> => ({
      url: ceilingSide ? `${ceilingBase}/order` : `${base}/graphql`,
      method: 'POST',
      headers: json,
      connections,
      expect: { contains: '"createOrder":{"id":"' },
      orders: orders(`r${sequence++}-${ceilingSide ? 'hand' : 'servio'}`, ceilingSide),
    });

    // Beside each nested read, the same measure of bare Apollo: how close any Apollo + graphql-js server gets.
    const bareApolloRun = (key: string, nested: Workload) => {
      const workload: Workload = {
        name: `reference: bare Apollo over the statement, first: ${key.slice('orders'.length)}`,
        ceilingName: nested.ceilingName,
        servio: [],
        ceiling: nested.ceiling,
        reference: true,
      };
      return { workload, spec: () => specs[key]?.bareApollo as LoadSpec };
    };
    const runs: Array<{
      workload: Workload;
      servio: () => Omit<LoadSpec, 'durationSeconds'>;
      ceiling: () => Omit<LoadSpec, 'durationSeconds'>;
      bareApollo?: ReturnType<typeof bareApolloRun>;
    }> = [
      ...['menuPost', 'menuGet', 'orders20', 'orders100'].map((key, index) => ({
        workload: workloads[index] as Workload,
        servio: () => specs[key]?.servio as LoadSpec,
        ceiling: () => specs[key]?.hand as LoadSpec,
        bareApollo: specs[key]?.bareApollo ? bareApolloRun(key, workloads[index] as Workload) : undefined,
      })),
      { workload: workloads[4] as Workload, servio: () => ordersSpec(50, false), ceiling: () => ordersSpec(50, true) },
      // The ceiling here is the floor for the p95 target: the same 200 connections on the hand-written transaction.
      { workload: workloads[5] as Workload, servio: () => ordersSpec(200, false), ceiling: () => ordersSpec(200, true) },
    ].filter((run) => only === undefined || run.workload.name.includes(only));
    if (runs.length === 0) throw new Error(`--only ${only}: no workload's name contains it`);

    console.log(`bench: warming up, then ${rounds} interleaved rounds of ${seconds} s per target…`);
    for (const run of runs.slice(0, 5)) {
      await ask(worker, { ...run.servio(), durationSeconds: 1 });
      if (run.bareApollo) await ask(worker, { ...run.bareApollo.spec(), durationSeconds: 1 });
    }
    const serverPid = server.child.pid as number;
    const ceilingPid = ceiling.pid as number;
    const bareApolloPid = bareApollo.pid as number;
    for (let round = 0; round < rounds; round++) {
      for (const run of runs) {
        run.workload.servio.push(await measure(run.servio(), serverPid, true));
        run.workload.ceiling?.push(await measure(run.ceiling(), ceilingPid, false));
        if (run.bareApollo) run.bareApollo.workload.servio.push(await measure(run.bareApollo.spec(), bareApolloPid, false));
      }
      console.log(`bench: round ${round + 1}/${rounds} done`);
    }

    const evaluated = runs.map((run) => ({ own: evaluate(run.workload), reference: run.bareApollo && evaluate(run.bareApollo.workload) }));
    const evaluations = evaluated.flatMap(({ own, reference }) => (reference ? [own, reference] : [own]));
    // Servio beside the reference: the share of the stack's own limit it keeps with its auth, limits and metrics on.
    const againstBareApollo = Object.fromEntries(
      evaluated.flatMap(({ own, reference }) => (reference ? [[own.name, own.servio.rps / reference.servio.rps]] : [])),
    );
    const targets = evaluations.filter((evaluation) => !evaluation.reference);
    const result = {
      date: new Date().toISOString(),
      quick,
      rounds,
      secondsPerRun: seconds,
      poolSize,
      machine: { cpus: (await import('node:os')).cpus().length, loadAverage: (await import('node:os')).loadavg() },
      rssMb: { servioAtStart: rssAtStart, servio: rssMb(serverPid), ceiling: rssMb(ceilingPid) },
      evaluations,
      againstBareApollo,
      durationSeconds: Math.round((Date.now() - started) / 1000),
    };
    const table = markdownTable(evaluations);
    const shares = Object.entries(againstBareApollo).map(([name, share]) => `${name}: ${share.toFixed(2)}× bare Apollo`);
    const note = shares.length ? `\n\nServio against bare Apollo over the same statement: ${shares.join('; ')}.` : '';
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, 'bench/results/latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(
      join(root, 'bench/results/latest.md'),
      `# Servio benchmark (${result.date}${quick ? ', --quick' : ''})\n\n${rounds} interleaved rounds × ${seconds} s per target; medians. ` +
        `Load average at the end: ${result.machine.loadAverage.map((value) => value.toFixed(1)).join(', ')} on ${result.machine.cpus} cores. ` +
        `RSS: Servio ${result.rssMb.servioAtStart} MB when ready, ${result.rssMb.servio} MB after the run; ceilings ${result.rssMb.ceiling} MB.\n\n${table}${note}\n`,
    );
    // In the repository's own format, so a committed result passes `npm run check`.
    execFileSync('npx', ['biome', 'format', '--write', 'bench/results/latest.json', 'bench/results/latest.md'], {
      cwd: root,
      stdio: 'ignore',
    });
    console.log(
      `\n${table}${note}\n\nRSS: Servio ${result.rssMb.servioAtStart} MB when ready, ${result.rssMb.servio} MB after the run. ${targets.filter((e) => e.pass).length}/${targets.length} targets met. Results: bench/results/latest.{json,md} (${result.durationSeconds} s)`,
    );
    process.exitCode = 0;
  } finally {
    worker.disconnect();
    ceiling?.kill('SIGTERM');
    bareApollo?.kill('SIGTERM');
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    redis.disconnect();
    redisServer.stop();
    await dropDatabase();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
