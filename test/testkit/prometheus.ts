import { expect } from 'vitest';
import { parseExposition, sumOf } from '../../load-test/engine/prometheus-text.js';
import type { TestServer } from './test-server.js';

/** Every sample /metrics answers. */
export async function scrapeSamples(server: Pick<TestServer, 'url'>) {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

export async function scrape(server: Pick<TestServer, 'url'>) {
  const samples = await scrapeSamples(server);
  /** The sum of the samples of `name` whose labels include `labels` (undefined when none). */
  return (name: string, labels: Record<string, string> = {}) => sumOf(samples, name, labels);
}
