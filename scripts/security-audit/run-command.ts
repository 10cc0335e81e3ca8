import { execFile } from 'node:child_process';

export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (never throws on a non-zero exit: many tools use it to report findings). */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; input?: string; timeoutMs?: number },
): Promise<CommandOutput> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: error && !stderr ? error.message : stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
