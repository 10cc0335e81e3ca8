import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.js';
import { configVariables } from './testkit/config-variables.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

interface Service {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
/** The services that run this image (the API and its one-shot steps). */
const ours = Object.entries(services).filter(([, service]) => service.build === '.');

describe('docker-compose.yml', () => {
  it('gives the API services only variables config.ts knows, and a configuration it accepts in production', () => {
    const known = configVariables();
    expect(ours.map(([name]) => name)).toEqual(expect.arrayContaining(['api', 'migrate', 'admin-bootstrap']));
    for (const [name, service] of ours) {
      const unknown = Object.keys(service.environment ?? {}).filter((variable) => !known.includes(variable));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    }
    const env = { ...services.api?.environment, JWT_SECRET: 'a-secret-from-the-operators-environment-0123456789' };
    const config = loadConfig(env);
    expect(config.isProduction).toBe(true);
    expect(config.metrics.statsd).toMatchObject({ kind: 'udp', host: 'statsd', port: 8125 });
  });

  it('refuses to start without JWT_SECRET instead of using a default', () => {
    expect(services.api?.environment?.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?.+\}$/);
    expect(read('docker-compose.yml')).not.toMatch(/JWT_SECRET:-/);
  });

  it('wires every sink it starts, and every host the API names is a service', () => {
    const api = services.api?.environment ?? {};
    expect(services[api.STATSD_HOST ?? '']?.image).toMatch(/statsd/);
    for (const url of [api.DATABASE_URL, api.REDIS_URL]) expect(Object.keys(services)).toContain(new URL(url ?? '').hostname);
    expect(Object.keys(services.api?.depends_on ?? {})).toEqual(expect.arrayContaining(['migrate', 'redis', 'statsd']));
  });

  it('runs its one-shot steps through npm scripts that exist, the first admin included', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
    const npmRuns = ours.flatMap(([, service]) => (service.command?.[0] === 'npm' ? [service.command.at(-1) as string] : []));
    expect(npmRuns).toEqual(expect.arrayContaining(['db:migrate', 'admin:bootstrap']));
    expect(npmRuns.filter((script) => !scripts.includes(script))).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('runs as a non-root user, with a HEALTHCHECK on /health/ready, production dependencies only', () => {
    expect(runtimeStage).toMatch(/^USER node$/m);
    expect(runtimeStage.indexOf('USER node')).toBeLessThan(runtimeStage.indexOf('CMD'));
    expect(runtimeStage).toMatch(/^HEALTHCHECK .*\n.*\/health\/ready/m);
    expect(runtimeStage).toMatch(/^COPY --from=runtime-deps \/app\/node_modules \.\/node_modules$/m);
    expect(dockerfile).toMatch(/^RUN sh docker\/runtime-deps\.sh$/m);
  });

  it('keeps secrets and local data out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.env', '.env.*', '.data', 'node_modules']));
  });
});
