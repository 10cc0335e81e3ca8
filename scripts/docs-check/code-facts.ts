import { globSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { FastifyInstance } from 'fastify';
import { type GraphQLSchema, isEnumType } from 'graphql';
import { createAlertRules, createBackupAgeRule } from '../../src/alerts/alert-rules.js';
import { loadConfig } from '../../src/config.js';
import { ErrorCode } from '../../src/errors.js';
import type { Infra } from '../../src/infra/infra.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { routesOf } from './routes.js';

/**
 * The names the code defines, each read from the code itself (never from a hand-kept list), with
 * where it comes from so a failure can say which file to look at.
 */
export interface CodeFacts {
  envVars: Set<string>;
  /** Variables read outside the server (test setup, scripts): may be documented, need not be. */
  toolEnvVars: Set<string>;
  /** `ErrorCode` in src/errors.ts: every one must be documented. */
  errorCodes: Set<string>;
  /** Apollo Server's own codes (GRAPHQL_VALIDATION_FAILED …): may be documented, need not be. */
  frameworkErrorCodes: Set<string>;
  alertNames: Set<string>;
  metricNames: Set<string>;
  /** `GET /health/ready`, one per method (HEAD, added by Fastify for every GET, left out). */
  routes: Set<string>;
  npmScripts: Set<string>;
  schema: GraphQLSchema;
  /** Enum values of the schema (`PENDING`, `OWNER` …): upper-case words docs may name. */
  enumValues: Set<string>;
}

export const sources = {
  envVars: 'src/config.ts (loadConfig)',
  errorCodes: 'src/errors.ts (ErrorCode)',
  alertNames: 'src/alerts/ (createAlertRules, createBackupAgeRule and announced alerts)',
  metricNames: 'the metrics registry (src/infra/metrics.ts)',
  routes: "the server's routes (app.printRoutes())",
  npmScripts: 'package.json scripts',
} as const;

export function collectCodeFacts(root: string, server: { infra: Infra; app: FastifyInstance; schema: GraphQLSchema }): CodeFacts {
  return {
    envVars: envVarsReadByConfig(),
    toolEnvVars: toolEnvVars(root),
    errorCodes: new Set(Object.values(ErrorCode)),
    frameworkErrorCodes: new Set([...Object.values(ApolloServerErrorCode), 'BAD_REQUEST', 'UNSUPPORTED_MEDIA_TYPE', 'METHOD_NOT_ALLOWED']),
    alertNames: alertNames(root),
    metricNames: metricNames(server.infra),
    routes: routesOf(server.app),
    npmScripts: new Set(Object.keys((JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: object }).scripts)),
    schema: server.schema,
    enumValues: new Set(
      Object.values(server.schema.getTypeMap())
        .filter(isEnumType)
        .flatMap((type) => type.getValues().map((value) => value.name)),
    ),
  };
}

/** Every variable loadConfig reads: it is handed an env that records each key asked for. */
export function envVarsReadByConfig(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get(_target, key) {
      if (typeof key === 'string') read.add(key);
      return undefined;
    },
    has(_target, key) {
      if (typeof key === 'string') read.add(key);
      return false;
    },
  });
  loadConfig(env);
  return new Set([...read].filter((key) => /^[A-Z][A-Z0-9_]+$/.test(key)));
}

/** `process.env.X` in the test setup, scripts and load tests (config.ts is the server's only reader). */
function toolEnvVars(root: string): Set<string> {
  const names = new Set<string>();
  for (const file of globSync('{test,scripts,load-test,bench}/**/*.ts', { cwd: root })) {
    for (const [, name] of readFileSync(resolve(root, file), 'utf8').matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g))
      names.add(name as string);
  }
  return names;
}

/**
 * The rules evaluated on metrics (the backup-age rule exists only with BACKUP_RPO_HOURS, so it is made
 * here with any RPO), plus the alerts announced directly (`low_stock`), which only exist as
 * `announce({ name: '…' })` calls in src/alerts/.
 */
function alertNames(root: string): Set<string> {
  const rules = [...createAlertRules(loadConfig({}).alerts.thresholds), createBackupAgeRule(24)];
  const names = new Set(rules.map((rule) => rule.name));
  for (const file of globSync('src/alerts/**/*.ts', { cwd: root })) {
    const source = readFileSync(resolve(root, file), 'utf8');
    if (!source.includes('.announce(')) continue;
    for (const [, name] of source.matchAll(/\bname: '([a-z0-9_]+)'/g)) names.add(name as string);
  }
  return names;
}

/**
 * The running server's registry, plus a registry made with a PostgreSQL pool so the pool gauges (absent
 * on the embedded database) are included too.
 */
function metricNames(infra: Infra): Set<string> {
  const withPool = createMetrics(infra.config.metrics, {
    logger: infra.logger,
    poolStats: () => ({ max: 1, total: 1, idle: 1, waiting: 0 }),
  });
  const names = [...infra.metrics.registry.getMetricsAsArray(), ...withPool.registry.getMetricsAsArray()].map((metric) => metric.name);
  void withPool.close();
  return new Set(names);
}
