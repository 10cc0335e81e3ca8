/**
 * npm run image:check: the Docker image's runtime steps without a Docker engine. Installs the runtime
 * node_modules with docker/runtime-deps.sh in a clean temporary folder, fails when they reach
 * 200 MiB, then runs what the image runs from that folder (`npm run db:migrate` through tsx, and
 * `node dist/main.js` until /health/ready answers and the demo menu is served).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const limitMiB = 200;
// What the Dockerfile's last stage copies besides node_modules (dist/ is built first).
const imageFiles = ['package.json', 'dist', 'prisma', 'schema', 'operations', 'scripts', 'src'];

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  const entries = await readdir(path);
  const sizes = await Promise.all(entries.map((entry) => sizeOf(join(path, entry))));
  return sizes.reduce((sum, size) => sum + size, 0);
}

// The embedded default (in-memory PGlite, in-process stores): the image's code and dependencies, no services.
const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
const embedded = { ...inherited, NODE_ENV: 'development', EMBEDDED_DATA_DIR: 'memory://', LOG_FORMAT: 'json', LOG_LEVEL: 'warn' };

async function servesTheMenu(dir: string): Promise<void> {
  // Port 0: the server picks a free one and says which in its start line (logged at info).
  const env = { ...embedded, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0' };
  const server = spawn(process.execPath, ['dist/main.js'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  server.stdout.on('data', (chunk) => {
    output += chunk;
  });
  try {
    const deadline = Date.now() + 300_000; // migrations and the demo seed, on a busy CI machine
    let base: string | undefined;
    while (!base) {
      if (server.exitCode !== null) throw new Error(`node dist/main.js exited with ${server.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error('node dist/main.js was not ready within 5 minutes');
      base = /Servio API ready: (http:\/\/localhost:\d+)\/graphql/.exec(output)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (!(await fetch(`${base}/health/ready`)).ok) throw new Error('/health/ready is not 200');
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ restaurant(slug: "demo-bistro") { menu { items { id } } } }' }),
    });
    const body = (await response.json()) as { data?: { restaurant: { menu: Array<{ items: unknown[] }> } } };
    const items = body.data?.restaurant.menu.flatMap((category) => category.items).length ?? 0;
    if (items === 0) throw new Error(`the demo menu query failed: ${JSON.stringify(body)}`);
    console.log(`image:check: node dist/main.js served /health/ready and the demo menu (${items} items)`);
  } finally {
    server.kill('SIGTERM');
  }
}

const dir = await mkdtemp(join(tmpdir(), 'servio-image-'));
try {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  await cp('package-lock.json', join(dir, 'package-lock.json'));
  await cp('docker/runtime-deps.sh', join(dir, 'docker/runtime-deps.sh'));
  for (const file of imageFiles) await cp(file, join(dir, file), { recursive: true });

  execFileSync('sh', ['docker/runtime-deps.sh'], { cwd: dir, stdio: 'inherit' });
  const mib = (await sizeOf(join(dir, 'node_modules'))) / 2 ** 20;
  console.log(`image:check: runtime node_modules ${mib.toFixed(1)} MiB (limit ${limitMiB} MiB)`);
  if (mib >= limitMiB) throw new Error(`runtime node_modules is ${mib.toFixed(1)} MiB, over ${limitMiB} MiB`);

  const migrate = execFileSync('npm', ['run', '--silent', 'db:migrate'], {
    cwd: dir,
    env: embedded,
    encoding: 'utf8',
  });
  console.log(`image:check: npm run db:migrate → ${migrate.trim()}`);
  await servesTheMenu(dir);
  console.log('image:check: passed');
} finally {
  await rm(dir, { recursive: true, force: true });
}
