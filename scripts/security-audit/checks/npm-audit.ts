import { join } from 'node:path';
import { type Check, result, type Verdict, worst } from '../audit.js';
import { runCommand } from '../run-command.js';
import { readAllowList } from './allowlist.js';

const severities = ['info', 'low', 'moderate', 'high', 'critical'] as const;
type Severity = (typeof severities)[number];
/** At or above this severity an advisory fails the audit; below it, it warns. */
export const failAt: Record<'production' | 'development', Severity> = { production: 'high', development: 'critical' };

interface Advisory {
  id: string;
  package: string;
  severity: Severity;
  title: string;
}

/**
 * `npm audit` of the production dependencies and, separately, of the development-only ones, against the
 * reviewed allow-list (npm-audit-allowlist.json). No answer from the registry → "not run", never a pass.
 */
export const npmAuditCheck: Check = {
  name: 'npm audit',
  async run({ root, offline, npmAuditAllowList }) {
    if (offline) return result('not-run', 'offline: the registry was not asked');
    const production = await audit(root, ['--omit=dev']);
    const everything = await audit(root, []);
    if ('error' in production || 'error' in everything) {
      const error = 'error' in production ? production.error : (everything as { error: string }).error;
      return result('not-run', 'the registry did not answer the audit: vulnerabilities unknown', [error]);
    }
    const inProduction = new Set(production.map((advisory) => `${advisory.id} ${advisory.package}`));
    const development = everything.filter((advisory) => !inProduction.has(`${advisory.id} ${advisory.package}`));
    const { active, expired } = await readAllowList(
      npmAuditAllowList ?? join(root, 'scripts', 'security-audit', 'npm-audit-allowlist.json'),
    );
    const allowed = new Set(active.map((entry) => `${entry.advisory} ${entry.package}`));

    const evidence: string[] = expired.map(
      (entry) => `expired allow-list entry (no longer applies): ${entry.advisory} ${entry.package} (${entry.expires})`,
    );
    const verdicts: Verdict[] = expired.length > 0 ? ['warn'] : ['pass'];
    for (const [scope, advisories] of [
      ['production', production],
      ['development', development],
    ] as const) {
      evidence.push(`${scope}: ${advisories.length} advisory(ies), failing at ${failAt[scope]} or above`);
      for (const advisory of advisories) {
        const line = `${scope}: ${advisory.severity} ${advisory.id} ${advisory.package}: ${advisory.title}`;
        if (allowed.has(`${advisory.id} ${advisory.package}`)) {
          evidence.push(`${line} (allow-listed)`);
          continue;
        }
        evidence.push(line);
        verdicts.push(severities.indexOf(advisory.severity) >= severities.indexOf(failAt[scope]) ? 'fail' : 'warn');
      }
    }
    const verdict = worst(verdicts);
    const summary = {
      pass: 'no known vulnerability outside the allow-list',
      warn: 'advisories below the threshold, or expired allow-list entries',
      fail: 'advisories at or above the threshold',
      'not-run': '',
    }[verdict];
    return result(verdict, summary, evidence);
  },
};

async function audit(root: string, args: string[]): Promise<Advisory[] | { error: string }> {
  const output = await runCommand('npm', ['audit', '--json', ...args], { cwd: root, timeoutMs: 120_000 });
  let report: {
    vulnerabilities?: Record<string, { via: Array<string | { url?: string; title?: string; severity?: Severity; name?: string }> }>;
    message?: string;
    error?: { summary?: string };
  };
  try {
    report = JSON.parse(output.stdout);
  } catch {
    return { error: `npm audit exited ${output.code}: ${output.stderr.trim().split('\n')[0] ?? ''}` };
  }
  if (!report.vulnerabilities)
    return { error: report.message ?? report.error?.summary ?? `npm audit exited ${output.code} without a report` };
  const advisories = new Map<string, Advisory>();
  for (const vulnerability of Object.values(report.vulnerabilities)) {
    for (const via of vulnerability.via) {
      if (typeof via === 'string' || !via.url || !via.name) continue;
      const id = via.url.split('/').pop() ?? via.url;
      advisories.set(`${id} ${via.name}`, { id, package: via.name, severity: via.severity ?? 'info', title: via.title ?? '' });
    }
  }
  return [...advisories.values()];
}
