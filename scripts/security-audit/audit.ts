/** One named check of `npm run security:audit`: a verdict and the evidence behind it. */
export type Verdict = 'pass' | 'warn' | 'fail' | 'not-run';

export interface CheckResult {
  name: string;
  verdict: Verdict;
  /** One line: what was found. */
  summary: string;
  /** The facts the verdict rests on (findings, versions, headers …), one per line. */
  evidence: string[];
}

export interface AuditContext {
  /** The repository root. */
  root: string;
  /** A running server to probe (`--url`); none → the server checks are not run. */
  url: URL | null;
  /** `--ca`: a PEM CA to trust besides the system's (a private PKI, a test's self-signed certificate). */
  ca?: string;
  /** `--offline`: nothing that needs the network (registry, remote servers) runs. */
  offline: boolean;
  /** The reviewed npm audit allow-list; scripts/security-audit/npm-audit-allowlist.json unless given. */
  npmAuditAllowList?: string;
  /** The environment whose configuration is judged (process.env, or `--env-file`). */
  env: Record<string, string | undefined>;
}

export interface Check {
  name: string;
  run(context: AuditContext): Promise<Omit<CheckResult, 'name'>>;
}

export const result = (verdict: Verdict, summary: string, evidence: string[] = []): Omit<CheckResult, 'name'> => ({
  verdict,
  summary,
  evidence,
});

/** The worst verdict of several sub-checks: fail > warn > pass; not-run only when nothing ran. */
export function worst(verdicts: Verdict[]): Verdict {
  for (const verdict of ['fail', 'warn', 'pass'] as const) if (verdicts.includes(verdict)) return verdict;
  return 'not-run';
}

/** Runs every check, one at a time; a check that throws is a failure with its message as evidence. */
export async function runChecks(checks: Check[], context: AuditContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    try {
      results.push({ name: check.name, ...(await check.run(context)) });
    } catch (error) {
      results.push({ name: check.name, verdict: 'fail', summary: 'the check itself failed', evidence: [String(error)] });
    }
  }
  return results;
}
