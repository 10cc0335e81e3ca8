import { spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * Another process holding an embedded data folder the way a running server does: `lockDataDir` at
 * start, released when it exits. For the scripts that must refuse to touch the folder meanwhile.
 */
export async function holdDataDir(dataDir: string): Promise<{ pid: number; release(): Promise<void> }> {
  const script = [
    "import { lockDataDir } from './src/startup/data-dir-lock.ts';",
    `lockDataDir(${JSON.stringify(dataDir)});`,
    "process.on('SIGTERM', () => process.exit(0));",
    "process.stdout.write('locked');",
    'setInterval(() => undefined, 60_000);',
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit');
  const locked = await Promise.race([once(child.stdout, 'data').then(() => true), exited.then(() => false)]);
  if (!locked) throw new Error(`the lock holder exited before locking ${dataDir}: ${stderr}`);
  return {
    pid: child.pid as number,
    async release() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
