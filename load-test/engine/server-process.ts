import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const gcProbe = fileURLToPath(new URL('./gc-probe.ts', import.meta.url));

export interface ServerProcess {
  url: string;
  /** A full GC in the server, then its heap and RSS in bytes. */
  heapAfterGc(): Promise<{ heapUsed: number; rss: number } | undefined>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * `src/main.ts` in a process of its own (so the load generator does not share its event loop),
 * on 127.0.0.1 and a free port, with the GC probe preloaded. Resolves once /health/ready answers 200.
 */
export async function startServerProcess(env: Record<string, string | undefined>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--import', gcProbe, 'src/main.ts'], {
    cwd: repoRoot,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  while (!(await isReady(url))) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}) before it was ready:\n${stderr}`);
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error(`The server was not ready within 180 s:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    async heapAfterGc() {
      if (!child.connected) return undefined;
      child.send('gc');
      const [reply] = (await Promise.race([once(child, 'message'), new Promise((resolve) => setTimeout(() => resolve([]), 5_000))])) as [
        { heapUsed: number; rss: number } | undefined,
      ];
      return reply;
    },
    stop: () => stop(child),
  };
}

async function isReady(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health/ready`)).status === 200;
  } catch {
    return false;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
