import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { renderApiReference } from '../src/docs/api-reference.js';
import { createSchema } from '../src/schema.js';

describe('docs/API.md', () => {
  it('is what npm run docs generates from the current schema', async () => {
    const generated = renderApiReference(createSchema({ rateLimits: loadConfig({}).rateLimits, redis: null }));
    const committed = await readFile(new URL('../docs/API.md', import.meta.url), 'utf8');

    expect(committed).toBe(generated);
    for (const operation of ['createOrder', 'updateOrderStatus', 'orders', 'login', 'orderUpdated']) {
      expect(committed).toContain(`### \`${operation}`);
    }
    expect(committed).toContain('```graphql\nmutation CreateOrder($input: CreateOrderInput!) {');
  });
});
