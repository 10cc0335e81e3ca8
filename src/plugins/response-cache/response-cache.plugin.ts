import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import type { Keyv } from 'keyv';
import { LRUCache } from 'lru-cache';
import { rateLimitKeyOf } from '../../auth/viewer.js';
import type { GraphQLContext } from '../../context.js';
import type { Metrics } from '../../infra/metrics.js';
import { anyRestaurant, type CacheGenerations } from './cache-generations.js';
import { scopesHeaderName } from './fast-path.hook.js';
import { generationScopes } from './restaurant-references.js';

/**
 * Whole-response caching from the SDL's `@cacheControl` hints, in the shared cache (Redis when
 * configured). PUBLIC responses are shared by everyone; PRIVATE ones are kept per user or API
 * key. Keys fold in the generation counters of the restaurants the operation names, and every
 * mutation bumps the counters of the restaurants it changed (known from its audit rows), so a
 * write makes the cached reads about that restaurant stale at once, on every instance. Queries
 * carry `x-cache: HIT`, `MISS` (cacheable, now stored) or `BYPASS` (not cacheable), and Apollo's
 * `age` on hits; hits and misses are counted in `servio_cache_responses_total`.
 */
export function createResponseCachePlugins(deps: {
  keyv: Keyv;
  generations: CacheGenerations;
  metrics: Metrics;
}): Array<ApolloServerPlugin<GraphQLContext>> {
  const cache = new KeyvAdapter<string>(deps.keyv as unknown as ConstructorParameters<typeof KeyvAdapter<string>>[0]);
  // Documents whose answer could not be cached (a manager's orders): for a minute their runs neither
  // read nor write the cache (three Redis round trips) and skip the per-field cache hints (Apollo's
  // cheap path for a policy already uncacheable). Skipping only ever costs a hit; after the minute the
  // document runs the full path again and is judged anew (its variables may make it cacheable).
  const uncacheable = new LRUCache<string, true>({ max: 1_000, ttl: 60_000 });
  const documentKey = (request: { queryHash?: string; operationName?: string | null }) =>
    `${request.queryHash}:${request.operationName ?? ''}`;
  const skipping = new WeakSet<GraphQLContext>();
  // A restaurant's slug never changes (no mutation takes one: test/response-cache.test.ts), so a write's
  // invalidation reads it once per restaurant, not once per request.
  const slugs = new LRUCache<string, string>({ max: 10_000 });
  const responseCache = responseCachePlugin<GraphQLContext>({
    cache,
    sessionId: async ({ contextValue }) => (contextValue.viewer.kind === 'anonymous' ? null : rateLimitKeyOf(contextValue.viewer, '')),
    extraCacheKeyData: async (requestContext) => {
      const { operation, request, contextValue } = requestContext;
      if (!operation || skipping.has(contextValue)) return null;
      const scopes = generationScopes(operation, request.variables ?? {});
      const generations = await deps.generations.read(scopes);
      return scopes.map((scope, index) => `${scope}@${generations[index]}`).join(',');
    },
    shouldReadFromCache: async ({ contextValue }) => !skipping.has(contextValue),
    shouldWriteToCache: async ({ contextValue }) => !skipping.has(contextValue),
  });

  const invalidation: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          if (requestContext.operation?.operation !== 'query' || !uncacheable.has(documentKey(requestContext))) return;
          skipping.add(requestContext.contextValue);
          requestContext.overallCachePolicy.restrict({ maxAge: 0 });
        },
        async willSendResponse(requestContext) {
          const { contextValue, operation, metrics, response, overallCachePolicy, request } = requestContext;
          if (operation?.operation === 'query') {
            const result = metrics.responseCacheHit ? 'hit' : overallCachePolicy.policyIfCacheable() ? 'miss' : 'bypass';
            if (result === 'bypass' && !skipping.has(contextValue)) uncacheable.set(documentKey(requestContext), true);
            response.http.headers.set('x-cache', result.toUpperCase());
            if (result !== 'bypass') deps.metrics.increment('cache.responses', 1, { result });
            // For the in-process tier (fast-path.hook.ts), which stores anonymous public answers.
            if (result !== 'bypass' && contextValue.viewer.kind === 'anonymous')
              response.http.headers.set(scopesHeaderName, generationScopes(operation, request.variables ?? {}).join(','));
          }
          const writes = contextValue.scope.writes;
          if (!writes || writes.size === 0) return;
          const scopes = new Set([anyRestaurant]);
          for (const restaurantId of writes) {
            if (restaurantId === null) continue;
            scopes.add(restaurantId);
            let slug = slugs.get(restaurantId);
            if (slug === undefined) {
              slug = (await contextValue.loaders.restaurantById.load(restaurantId))?.slug;
              if (slug !== undefined) slugs.set(restaurantId, slug);
            }
            if (slug !== undefined) scopes.add(`slug:${slug}`);
          }
          await deps.generations.bump([...scopes]);
          writes.clear();
        },
      };
    },
  };
  // Apollo's cache hints, except for the documents skipped above: their answers are uncacheable already, and
  // Apollo's hint hook runs for every field of every answer (about 2,000 on a page of 100 orders). Resolvers
  // that hint read the hint API with `maybeCacheControlFromInfo`, which is absent then (and over WebSockets).
  const cacheControl = ApolloServerPluginCacheControl();
  const hints: ApolloServerPlugin<GraphQLContext> = {
    ...cacheControl,
    async requestDidStart(requestContext) {
      const listener = await cacheControl.requestDidStart?.(requestContext);
      if (!listener) return listener;
      const { executionDidStart } = listener;
      return {
        ...listener,
        executionDidStart: async (context) => (skipping.has(context.contextValue) ? undefined : executionDidStart?.(context)),
      };
    },
  };
  return [responseCache, invalidation, hints];
}
