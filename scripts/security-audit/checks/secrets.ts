import { fileURLToPath } from 'node:url';
import { type Check, result, type Verdict, worst } from '../audit.js';
import { runCommand } from '../run-command.js';

/** The project's own secretlint, whichever tree is scanned (its .secretlintrc.yml is the tree's). */
const secretlint = fileURLToPath(new URL('../../../node_modules/.bin/secretlint', import.meta.url));

interface SecretlintFile {
  filePath: string;
  messages: Array<{ ruleId: string; message: string; loc: { start: { line: number } } }>;
}

/**
 * secretlint (rules and allow-list in .secretlintrc.yml) over the working tree (.gitignore respected)
 * and over every commit of the checked-out branch (`git log -p HEAD`). Findings are masked in the evidence.
 */
export const secretsCheck: Check = {
  name: 'secrets',
  async run({ root }) {
    const tree = await runCommand(secretlint, ['**/*', '--format', 'json'], { cwd: root });
    const history = await runCommand('git', ['log', '-p', 'HEAD', '--no-color', '--no-ext-diff'], { cwd: root });
    const scans = [{ label: 'tree', output: tree }];
    if (history.code === 0) {
      scans.push({
        label: 'git history',
        output: await runCommand(secretlint, ['--stdinFileName=git-history.diff', '--format', 'json'], {
          cwd: root,
          input: history.stdout,
        }),
      });
    }
    const evidence: string[] = [];
    const verdicts: Verdict[] = scans.map(({ label, output }): Verdict => {
      const files = parse(output.stdout);
      if (!files) {
        evidence.push(`${label}: secretlint failed (exit ${output.code}): ${output.stderr.trim().split('\n')[0]}`);
        return 'fail';
      }
      const findings = files.flatMap((file) =>
        file.messages.map((message) => `${label}: ${file.filePath.replace(`${root}/`, '')}:${message.loc.start.line} ${message.message}`),
      );
      evidence.push(`${label}: ${files.length} file(s) scanned, ${findings.length} finding(s)`, ...findings);
      return findings.length > 0 ? 'fail' : 'pass';
    });
    if (history.code !== 0) {
      evidence.push(`git history: not scanned (${history.stderr.trim().split('\n')[0]})`);
      verdicts.push('warn');
    }
    const verdict = worst(verdicts);
    return result(
      verdict,
      verdict === 'pass' ? 'no secrets outside the reviewed allow-list (.secretlintrc.yml)' : 'secrets found or not scanned',
      evidence,
    );
  },
};

function parse(stdout: string): SecretlintFile[] | null {
  try {
    const parsed = JSON.parse(stdout) as unknown;
    return Array.isArray(parsed) ? (parsed as SecretlintFile[]) : null;
  } catch {
    return null;
  }
}
