import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, parseEnv } from 'node:util';
import { type AuditContext, type Check, runChecks } from './audit.js';
import { configCheck } from './checks/config.js';
import { corsCheck } from './checks/cors.js';
import { filePermissionsCheck } from './checks/file-permissions.js';
import { npmAuditCheck } from './checks/npm-audit.js';
import { outdatedCheck } from './checks/outdated.js';
import { secretsCheck } from './checks/secrets.js';
import { securityHeadersCheck } from './checks/security-headers.js';
import { hostileInputCheck, rawSqlCheck } from './checks/sql-injection.js';
import { tlsCheck } from './checks/tls.js';
import { buildReport, toMarkdown, writeReport } from './report.js';

/** Every check, in report order: the repository first, then the registry, then the running server. */
export const checks: Check[] = [
  configCheck,
  secretsCheck,
  filePermissionsCheck,
  rawSqlCheck,
  npmAuditCheck,
  outdatedCheck,
  tlsCheck,
  securityHeadersCheck,
  corsCheck,
  hostileInputCheck,
];

const usage = `npm run security:audit -- [--offline] [--url https://api.example.com] [--ca ca.pem] [--env-file .env.production] [--out reports]
  --offline    run nothing that needs the network (npm audit/outdated and the server checks are "not run")
  --url        a running server: TLS (https only), security headers, CORS preflights, hostile input
  --ca         a PEM CA certificate to trust besides the system's
  --env-file   judge the configuration in this file instead of the current environment
  --out        where the report goes (default reports/)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      offline: { type: 'boolean', default: false },
      url: { type: 'string' },
      ca: { type: 'string' },
      'env-file': { type: 'string' },
      out: { type: 'string', default: 'reports' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const url = values.url ? new URL(values.url) : null;
  const context: AuditContext = {
    root,
    url: values.offline && url && !isLoopback(url) ? null : url,
    offline: values.offline,
    env: values['env-file'] ? parseEnv(await readFile(values['env-file'], 'utf8')) : { ...process.env },
    ...(values.ca ? { ca: await readFile(values.ca, 'utf8') } : {}),
  };
  const report = buildReport(await runChecks(checks, context), context);
  const paths = await writeReport(report, resolve(root, values.out));
  process.stdout.write(
    `${toMarkdown(report).split('\n## ')[0]}\nReport: ${paths.markdown} and ${join(values.out, 'security-audit.json')}\n`,
  );
  return report.counts.fail > 0 ? 1 : 0;
}

/** Offline still allows a server on this machine (a test's, a local one); anything else is the network. */
function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`security audit failed to run: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    process.exit(2);
  },
);
