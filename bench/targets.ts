import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address ? address.port : 0;
}

/** Waits until `url` answers 200, or throws after `timeoutMs` (with what the process printed). */
export async function waitFor(url: string, child: ChildProcess, output: string[], timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode}):\n${output.join('')}`);
    const response = await fetch(url).catch((error: unknown) => String(error));
    if (typeof response !== 'string' && response.ok) return;
    last = typeof response === 'string' ? response : `${response.status} ${await response.text()}`;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last}):\n${output.join('')}`);
}

/** A private redis-server (no persistence), so its command counts are the server's alone. */
export async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 50; attempt++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = createServer();
      socket.once('error', () => resolve(true));
      socket.listen(port, '127.0.0.1', () => socket.close(() => resolve(false)));
    });
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

/** The compiled server (`dist/main.js`) in production mode. */
export function startServer(nodeOptions: string[], env: Record<string, string>): { child: ChildProcess; output: string[] } {
  const output: string[] = [];
  const child = spawn(process.execPath, [...nodeOptions, 'dist/main.js'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { child, output };
}

/** A TypeScript module of bench/ in a child process with an IPC channel. */
export function forkBench(module: string, args: string[] = [], env: Record<string, string> = {}): ChildProcess {
  return fork(fileURLToPath(new URL(module, import.meta.url)), args, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Sends one message and waits for the answer. */
export async function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  const answer = once(child, 'message');
  child.send(message as object);
  const [reply] = (await answer) as [{ result?: T; error?: string }];
  if (reply.error) throw new Error(reply.error);
  return reply.result as T;
}

/**
 * In a bench server forked by `forkBench`: listens, tells the parent it is ready, and on SIGTERM closes the
 * HTTP server, then what it used (`closeAfter`), and exits.
 */
export async function serveForBench(app: FastifyInstance, port: number, closeAfter: () => Promise<unknown>): Promise<void> {
  await app.listen({ host: '127.0.0.1', port });
  process.send?.({ ready: true });
  process.on('SIGTERM', () => {
    void app
      .close()
      .then(closeAfter)
      .then(() => process.exit(0));
  });
}
