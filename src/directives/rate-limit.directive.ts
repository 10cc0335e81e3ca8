import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { rateLimitDirective } from 'graphql-rate-limit-directive';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { rateLimitKeyOf } from '../auth/viewer.js';
import type { Config } from '../config.js';
import type { GraphQLContext } from '../context.js';
import { RateLimitedError } from '../errors.js';
import { RedisRateLimiterWithFallback } from '../infra/rate-limiter.js';
import { type Redis, redisKey } from '../infra/redis.js';
import { assertDirectivesDefined } from './directive-definitions.js';
import type { SchemaTransformer } from './index.js';

type Tiers = Config['rateLimits'];
type TierName = 'AUTH' | 'API' | 'HEAVY' | 'UPLOAD' | 'WEBHOOK';
type RateLimitArgs = { tier?: TierName; limit?: number; duration?: number };

const tierConfigKey: Record<TierName, Exclude<keyof Tiers, 'anonymousHttp' | 'exemptLoopbackFromAuthTier'>> = {
  AUTH: 'auth',
  API: 'api',
  HEAVY: 'heavy',
  UPLOAD: 'upload',
  WEBHOOK: 'webhook',
};

/**
 * `@rateLimit` through graphql-rate-limit-directive, with three changes to its defaults:
 * - `tier` takes limit and window from configuration, so the SDL names intent, not numbers;
 * - counters are per caller (user, API key, else IP) and per tier, not one bucket per field;
 * - the error is RATE_LIMITED with `retryAfter`, and counters live in Redis when there is one,
 *   so every server instance spends the same budget.
 * In development the AUTH tier does not count loopback callers (production keeps every tier).
 * Federation's `_service` and `_entities` are not counted: the gateway calls them for everyone.
 */
export function rateLimitDirectiveTransformer(deps: { tiers: Tiers; redis: Redis | null }): SchemaTransformer {
  const { rateLimitDirectiveTransformer: applyRateLimits } = rateLimitDirective<GraphQLContext>({
    keyGenerator: (directiveArgs, _source, _args, context, info) =>
      `${(directiveArgs as RateLimitArgs).tier ?? `${info.parentType.name}.${info.fieldName}`}:${rateLimitKeyOf(context.viewer, context.ip)}`,
    pointsCalculator: (directiveArgs, _source, _args, context, info) =>
      info.fieldName.startsWith('_') ||
      (deps.tiers.exemptLoopbackFromAuthTier && (directiveArgs as RateLimitArgs).tier === 'AUTH' && isLoopback(context.ip))
        ? 0
        : 1,
    onLimit: (response) => {
      throw new RateLimitedError(Math.max(1, Math.ceil(response.msBeforeNext / 1000)));
    },
    // With Redis, a per-process count takes over while Redis is down (see infra/rate-limiter.ts).
    limiterClass: deps.redis ? RedisRateLimiterWithFallback : RateLimiterMemory,
    // The library's option type omits store options; RateLimiterRedis takes its client here.
    limiterOptions: { keyPrefix: redisKey('ratelimit'), ...(deps.redis ? { storeClient: deps.redis } : {}) } as { keyPrefix: string },
  });
  return (schema) => {
    assertDirectivesDefined(schema, 'rateLimit');
    return applyRateLimits(resolveTiers(schema, deps.tiers));
  };
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

/** Writes each `tier`'s configured limit and window into the directive's arguments. */
function resolveTiers(schema: GraphQLSchema, tiers: Tiers): GraphQLSchema {
  const resolved = (node: Parameters<typeof getDirective>[1]) => {
    const args = getDirective(schema, node, 'rateLimit')?.[0] as RateLimitArgs | undefined;
    if (!args?.tier) return undefined;
    const tier = tiers[tierConfigKey[args.tier]];
    return { tier: args.tier, limit: args.limit ?? tier.limit, duration: args.duration ?? tier.durationSeconds };
  };
  const withDirective = <T extends { extensions?: object | null }>(config: T, args: RateLimitArgs): T => {
    const extensions = (config.extensions ?? {}) as { directives?: Record<string, unknown> };
    return { ...config, extensions: { ...extensions, directives: { ...extensions.directives, rateLimit: [args] } } };
  };
  return mapSchema(schema, {
    [MapperKind.OBJECT_TYPE]: (type) => {
      const args = resolved(type);
      return args ? new GraphQLObjectType(withDirective(type.toConfig(), args)) : type;
    },
    [MapperKind.OBJECT_FIELD]: (fieldConfig) => {
      const args = resolved(fieldConfig);
      return args ? withDirective(fieldConfig, args) : fieldConfig;
    },
  });
}
