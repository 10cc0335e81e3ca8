import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditContext, CheckResult, Verdict } from './audit.js';

const marks: Record<Verdict, string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', 'not-run': '⏭️ not run' };

export interface AuditReport {
  generatedAt: string;
  url: string | null;
  offline: boolean;
  counts: Record<Verdict, number>;
  checks: CheckResult[];
}

export function buildReport(results: CheckResult[], context: AuditContext, now = new Date()): AuditReport {
  const counts: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, 'not-run': 0 };
  for (const check of results) counts[check.verdict]++;
  return { generatedAt: now.toISOString(), url: context.url?.href ?? null, offline: context.offline, counts, checks: results };
}

export function toMarkdown(report: AuditReport): string {
  const { counts } = report;
  const lines = [
    '# Servio security audit',
    '',
    `Generated ${report.generatedAt}${report.offline ? ', offline' : ''}; server: ${report.url ?? 'none (--url not given)'}.`,
    '',
    `**${counts.fail} fail, ${counts.warn} warn, ${counts.pass} pass, ${counts['not-run']} not run.**`,
    '',
    '| check | verdict | summary |',
    '| ----- | ------- | ------- |',
    ...report.checks.map((check) => `| ${check.name} | ${marks[check.verdict]} | ${check.summary.replaceAll('|', '\\|')} |`),
    '',
  ];
  for (const check of report.checks) {
    lines.push(`## ${check.name}: ${marks[check.verdict]}`, '', check.summary, '');
    if (check.evidence.length > 0) lines.push('```text', ...check.evidence, '```', '');
  }
  return lines.join('\n');
}

/** Writes reports/security-audit.{md,json}; returns their paths. */
export async function writeReport(report: AuditReport, directory: string): Promise<{ markdown: string; json: string }> {
  await mkdir(directory, { recursive: true });
  const paths = { markdown: join(directory, 'security-audit.md'), json: join(directory, 'security-audit.json') };
  await writeFile(paths.markdown, toMarkdown(report));
  await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  return paths;
}
