import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { freePort, waitFor } from './free-port.js';

export interface PrivateRedis {
  url: string;
  /** SIGKILL: connections drop at once, nothing is saved (an outage, not a shutdown). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty). */
  start(): Promise<void>;
  /** SIGSTOP: a hang, connections stay open and nothing answers; `resume` (SIGCONT) ends it. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** A redis-server of the test's own on a free port, never the shared one; `skipped` when it is not installed. */
export async function startPrivateRedis(): Promise<PrivateRedis | { skipped: string }> {
  if (spawnSync('redis-server', ['--version']).status !== 0) return { skipped: 'redis-server is not installed' };
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(`redis-server on ${port}`, async () => {
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined); // a refused connection is the answer "not yet"
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    });
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    running.kill('SIGKILL');
    await once(running, 'exit');
  };
  const signal = (name: NodeJS.Signals) => () => {
    if (child && child.exitCode === null) child.kill(name);
  };
  await start();
  return { url, kill, start, pause: signal('SIGSTOP'), resume: signal('SIGCONT'), stop: kill };
}
