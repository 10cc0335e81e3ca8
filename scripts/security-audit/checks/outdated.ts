import { type Check, result } from '../audit.js';
import { runCommand } from '../run-command.js';

const major = (version: string | undefined) => Number.parseInt(version?.replace(/^[^\d]*/, '') ?? '', 10);

/** `npm outdated`, summarised as major versions behind: a warning to plan upgrades, never a failure. */
export const outdatedCheck: Check = {
  name: 'outdated dependencies',
  async run({ root, offline }) {
    if (offline) return result('not-run', 'offline: the registry was not asked');
    const output = await runCommand('npm', ['outdated', '--json'], { cwd: root, timeoutMs: 120_000 });
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(output.stdout || '{}');
    } catch {
      return result('not-run', 'npm outdated gave no report', [output.stderr.trim().split('\n')[0] ?? '']);
    }
    if ('error' in parsed) return result('not-run', 'the registry did not answer npm outdated', [JSON.stringify(parsed.error)]);
    const report = parsed as Record<string, { current?: string; wanted?: string; latest?: string }>;
    const behind = Object.entries(report)
      .map(([name, info]) => ({ name, info, majors: major(info.latest) - major(info.current ?? info.wanted) }))
      .filter((entry) => entry.majors > 0)
      .sort((a, b) => b.majors - a.majors);
    const evidence = behind.map(
      ({ name, info, majors }) => `${name}: ${info.current ?? 'missing'} → ${info.latest} (${majors} major behind)`,
    );
    evidence.push(`${Object.keys(report).length} package(s) have a newer version`);
    return behind.length > 0
      ? result('warn', `${behind.length} package(s) one or more major versions behind`, evidence)
      : result('pass', 'no dependency is a major version behind', evidence);
  },
};
