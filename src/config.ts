import { z } from 'zod';

/** The only reader of process.env: everything else receives a frozen, typed Config. */
const booleanString = z.enum(['true', 'false']).transform((value) => value === 'true');
const positiveInt = z.coerce.number().int().positive();

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    DB_POOL_MAX: positiveInt.default(20),
    DB_POOL_MIN: z.coerce.number().int().min(0).default(5),
    DB_CONNECTION_TIMEOUT_MS: positiveInt.default(2_000),
    DB_IDLE_TIMEOUT_MS: positiveInt.default(30_000),
    DB_MAX_USES: positiveInt.default(7_500),
    EMBEDDED_DATA_DIR: z.string().min(1).default('./.data/pglite'),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    REDIS_KEY_PREFIX: z.string().default(''),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    MIGRATE_ON_START: booleanString.optional(),
    SEED_ON_EMPTY: booleanString.optional(),
    SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when NODE_ENV=production' });
    }
  });

export type Config = ReturnType<typeof toConfig>;

/** One problem per line, every problem at once, so a bad deployment is fixed in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Pure: tests pass their own env. Throws ConfigError listing every bad or missing value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return deepFreeze(toConfig(parsed.data));
}

function toConfig(env: z.infer<typeof envSchema>) {
  const production = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    isProduction: production,
    http: { host: env.HOST, port: env.PORT, shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS },
    log: { level: env.LOG_LEVEL },
    database: env.DATABASE_URL
      ? {
          kind: 'postgres' as const,
          url: env.DATABASE_URL,
          pool: {
            max: env.DB_POOL_MAX,
            min: Math.min(env.DB_POOL_MIN, env.DB_POOL_MAX),
            connectionTimeoutMs: env.DB_CONNECTION_TIMEOUT_MS,
            idleTimeoutMs: env.DB_IDLE_TIMEOUT_MS,
            maxUses: env.DB_MAX_USES,
          },
        }
      : { kind: 'embedded' as const, dataDir: env.EMBEDDED_DATA_DIR },
    redis: env.REDIS_URL ? { kind: 'redis' as const, url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX } : { kind: 'memory' as const },
    // Development gets a per-process secret, so tokens simply stop working after a restart.
    jwtSecret: env.JWT_SECRET ?? null,
    // Production migrates as a release step (npm run db:migrate); elsewhere the server does it.
    migrateOnStart: env.MIGRATE_ON_START ?? !production,
    seedOnEmpty: env.SEED_ON_EMPTY ?? !production,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
