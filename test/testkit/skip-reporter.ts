import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends every run with the tests it skipped and why (the note given to `ctx.skip`, see needs.ts), so a
 * run without PostgreSQL, Redis or a tool never looks more complete than it was.
 */
export default class SkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const byReason = new Map<string, string[]>();
    for (const module of testModules) {
      for (const test of module.children.allTests('skipped')) {
        const result = test.result();
        const reason = (result.state === 'skipped' && result.note) || 'no reason given (it.skip or it.todo)';
        byReason.set(reason, [...(byReason.get(reason) ?? []), `${module.relativeModuleId} › ${test.fullName}`]);
      }
    }
    if (byReason.size === 0) return;
    const total = [...byReason.values()].reduce((sum, tests) => sum + tests.length, 0);
    const lines = [`\nSkipped ${total} test${total === 1 ? '' : 's'}:`];
    for (const [reason, tests] of byReason) lines.push(`  ${reason}:`, ...tests.map((test) => `    - ${test}`));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
