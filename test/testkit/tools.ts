import { spawnSync } from 'node:child_process';

/** Runs a command-line tool with `input` on stdin; `null` when the tool is not installed. */
export function runTool(command: string, args: string[], input = ''): { status: number | null; output: string } | null {
  const result = spawnSync(command, args, { input, encoding: 'utf8', timeout: 30_000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return null;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
