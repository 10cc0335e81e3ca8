import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { createCacheService } from '../../src/infra/cache-service.js';
import { createServer } from '../../src/server.js';
import { startPrivateRedis } from './private-redis.js';
import { uniqueSuffix } from './seed-builder.js';
import type { Json, TestServer } from './test-server.js';

export interface Instance {
  url: string;
  infra: TestServer['infra'];
  graphql(query: string, variables: Record<string, unknown>, headers?: Record<string, string>): Promise<Json>;
  close(): Promise<void>;
}

/** The run's Redis in CI, else a private redis-server: somewhere two instances can share. */
export async function sharedRedis(): Promise<{ url: string; keyPrefix: string; stop(): Promise<void> }> {
  const keyPrefix = `${inject('redisKeyPrefix') ?? ''}instances-${uniqueSuffix()}:`;
  const url = inject('redisUrl');
  if (url) return { url, keyPrefix, stop: async () => {} };
  const privateRedis = await startPrivateRedis();
  if ('skipped' in privateRedis) throw new Error(`two instances need a shared Redis: ${privateRedis.skipped}`);
  return { url: privateRedis.url, keyPrefix, stop: privateRedis.stop };
}

/**
 * One more server instance: its own Fastify, Apollo and Redis connection (so its own caches and
 * subscriptions), sharing `base`'s database and the given Redis, as replicas behind a load balancer do.
 */
export async function anotherInstance(base: TestServer, redis: { url: string; keyPrefix: string }): Promise<Instance> {
  const client = new Redis(redis.url, { keyPrefix: redis.keyPrefix, lazyConnect: true });
  await client.connect();
  const infra = { ...base.infra, redis: client, cacheService: createCacheService(client) };
  const app: FastifyInstance = await createServer(infra);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    infra,
    async graphql(query, variables, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': base.clientIp, ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as Json;
    },
    async close() {
      await app.close();
      client.disconnect();
    },
  };
}
