import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { seedDemoDataIfEmpty } from '../src/demo/demo-seed.js';
import { createDatabase } from '../src/infra/db.js';
import { applyPendingMigrations } from '../src/infra/migrations/migrator.js';
import { type FakeOpenAi, startFakeOpenAi } from '../test/testkit/fake-openai.js';
import { generateLoadData, type LoadData } from './data/load-data.js';
import { runScenario } from './engine/run-scenario.js';
import { type ServerProcess, startServerProcess } from './engine/server-process.js';
import { managerQuestionsModel } from './flows/assistant.js';
import { isLoopbackUrl, serverRoot } from './loopback.js';
import { htmlReport, type LoadReport } from './report/html-report.js';
import { peakUsers, type ScenarioName, scenarios } from './scenarios.js';

export interface LoadOptions {
  scenarios: ScenarioName[];
  /** The bounded CI profile (seconds) instead of the full one. */
  short: boolean;
  /** A running server to target (its root or /graphql, loopback only); otherwise one is started. */
  url?: string;
  /** The environment the started server gets (and, with `url`, where DATABASE_URL is found). */
  env: Record<string, string | undefined>;
  /** Where results.json and report.html are written. */
  outDir: string;
  log?: (line: string) => void;
}

/** The fake OpenAI's key and port when a running server is pointed at it (it guards nothing real). */
export const fakeOpenAiForRunningServer = { apiKey: 'sk-load-test', port: 4010 };

/**
 * Per-address limits raised for a started server (sign-ins, anonymous requests, WebSocket
 * connections): every virtual user comes from 127.0.0.1, as if a whole city's guests and staff
 * shared one address. Per-user limits (RATE_LIMIT_API) are left as
 * configured; the assistant's HEAVY limit is raised because one demo manager asks for thirty.
 */
const startedServerDefaults = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_AUTH: '100000/60',
  RATE_LIMIT_ANONYMOUS_HTTP: '100000/60',
  RATE_LIMIT_HEAVY: '100000/60',
  WS_MAX_CONNECTIONS_PER_IP: '100000',
  OPENAI_REQUESTS_PER_MINUTE: '100000',
  MIGRATE_ON_START: 'true',
  SEED_ON_EMPTY: 'true',
};

const needsGeneratedUsers: ScenarioName[] = ['orders', 'subscriptions', 'soak'];

/** Migrates and seeds (when `prepare`), then generates enough restaurants and staff for the scenarios' peak. */
async function generate(env: Record<string, string | undefined>, users: number, prepare: boolean): Promise<LoadData> {
  const config = loadConfig(env);
  const database = await createDatabase(config.database);
  try {
    if (prepare) {
      await applyPendingMigrations(database.adapterFactory);
      await seedDemoDataIfEmpty(database.prisma);
    }
    return users > 0 ? await generateLoadData(database.prisma, users) : { restaurants: [], users: [] };
  } finally {
    await database.close();
  }
}

/** Runs the chosen scenarios one after another, writes results.json and report.html, and returns the report. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => {});
  const target = options.url === undefined ? undefined : serverRoot(options.url);
  if (target !== undefined && !isLoopbackUrl(target)) {
    throw new Error(`Refusing to load-test ${options.url}: only loopback addresses are allowed (e.g. http://127.0.0.1:4000/graphql).`);
  }
  const users = Math.max(
    0,
    ...options.scenarios
      .filter((name) => needsGeneratedUsers.includes(name))
      .map((name) => {
        const definition = scenarios[name];
        return peakUsers(options.short ? definition.shortStages : definition.stages);
      }),
  );
  const startedAt = new Date().toISOString();
  let openai: FakeOpenAi | undefined;
  let server: ServerProcess | undefined;
  let dataDir: string | undefined;
  try {
    if (options.scenarios.includes('assistant')) {
      openai = await startFakeOpenAi({ latencyMs: 300, ...(target ? fakeOpenAiForRunningServer : {}) });
      openai.script(managerQuestionsModel);
    }
    let data: LoadData;
    let url: string;
    if (target) {
      if (users > 0 && loadConfig(options.env).database.kind !== 'postgres') {
        throw new Error(
          "The order, subscription and soak scenarios generate restaurants and staff in the target server's database: " +
            'set DATABASE_URL to its PostgreSQL, or leave out --url so `npm run load` starts its own server.',
        );
      }
      data = await generate(options.env, users, false);
      url = target;
    } else {
      if (!options.env.DATABASE_URL) dataDir = await mkdtemp(join(tmpdir(), 'servio-load-'));
      const env = {
        ...startedServerDefaults,
        JWT_SECRET: randomBytes(32).toString('hex'),
        ...options.env,
        ...(dataDir ? { EMBEDDED_DATA_DIR: dataDir } : {}),
        ...(openai ? { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseUrl } : {}),
      };
      log(`preparing the database (${dataDir ? 'embedded, in a temporary directory' : 'DATABASE_URL'}) and ${users} load users`);
      data = await generate(env, users, true);
      server = await startServerProcess(env);
      url = server.url;
      log(`server started at ${url}`);
    }

    const results = [];
    for (const name of options.scenarios) {
      log(`running ${name}…`);
      const result = await runScenario(scenarios[name], {
        url,
        data,
        short: options.short,
        ...(server ? { heapAfterGc: server.heapAfterGc } : {}),
      });
      log(
        `${name}: ${result.passed ? 'PASS' : 'FAIL'} p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, errors ${(result.errorRate * 100).toFixed(2)} %`,
      );
      for (const advice of result.rateLimitAdvice) log(`  ${advice}`);
      if (result.failure) log(`  could not run: ${result.failure}`);
      results.push(result);
    }
    if (target && openai && openai.requests.length === 0) {
      log(`The fake model got no calls: start the server with OPENAI_BASE_URL=${openai.baseUrl} OPENAI_API_KEY=${openai.apiKey}.`);
    }

    const report: LoadReport = {
      startedAt,
      target: target ?? `a server started for the run (${options.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded database'})`,
      short: options.short,
      machine: `${availableParallelism()} cores, load average ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' / ')} at the end`,
      scenarios: results,
      passed: results.every((result) => result.passed),
    };
    await mkdir(options.outDir, { recursive: true });
    await writeFile(join(options.outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(options.outDir, 'report.html'), htmlReport(report));
    return report;
  } finally {
    await server?.stop();
    await openai?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}
