import { z } from 'zod';
import { productionSafetyFindings } from './production-safety.js';

/** The only reader of process.env: everything else receives a frozen, typed Config. */
const booleanString = z.enum(['true', 'false']).transform((value) => value === 'true');
const positiveInt = z.coerce.number().int().positive();
/** "limit/seconds", e.g. "60/60" = 60 requests per minute. */
const rateLimitTier = z
  .string()
  .regex(/^\d+\/\d+$/, 'must be "<limit>/<seconds>", e.g. "60/60"')
  .transform((value) => {
    const [limit, seconds] = value.split('/').map(Number);
    return { limit: limit as number, durationSeconds: seconds as number };
  });
const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
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
    TRUST_PROXY: z.string().default('false'),
    CORS_ORIGINS: commaList.default([]),
    HTTP_BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
    HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
    REFRESH_TOKEN_TTL_DAYS: positiveInt.default(30),
    RATE_LIMIT_AUTH: rateLimitTier.default({ limit: 5, durationSeconds: 900 }),
    RATE_LIMIT_API: rateLimitTier.default({ limit: 60, durationSeconds: 60 }),
    RATE_LIMIT_HEAVY: rateLimitTier.default({ limit: 20, durationSeconds: 60 }),
    RATE_LIMIT_UPLOAD: rateLimitTier.default({ limit: 10, durationSeconds: 60 }),
    RATE_LIMIT_WEBHOOK: rateLimitTier.default({ limit: 100, durationSeconds: 60 }),
    RATE_LIMIT_ANONYMOUS_HTTP: rateLimitTier.default({ limit: 100, durationSeconds: 900 }),
    QUERY_MAX_DEPTH: positiveInt.default(10),
    // Sized so one page of 50 orders with their lines, menu items and categories (cost ~3,750) fits.
    // Admits the largest documented page: orders(first: 100) with their lines and menu items (≈ 10,000).
    QUERY_MAX_COST: positiveInt.default(20_000),
    QUERY_MAX_LIST_SIZE: positiveInt.default(100),
    QUERY_MAX_ALIASES: positiveInt.default(30),
    QUERY_MAX_ROOT_FIELDS: positiveInt.default(10),
    QUERY_MAX_DIRECTIVES: positiveInt.default(50),
    QUERY_MAX_TOKENS: positiveInt.default(5_000),
    QUERY_MAX_DOCUMENT_BYTES: positiveInt.default(32_768),
    PERSISTED_QUERIES_ONLY: booleanString.default(false),
    WS_MAX_CONNECTIONS_PER_USER: positiveInt.default(10),
    WS_MAX_CONNECTIONS_PER_IP: positiveInt.default(50),
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: positiveInt.default(25),
    WS_MAX_SUBSCRIPTIONS_PER_USER: positiveInt.default(100),
    WS_SUBSCRIBES_PER_MINUTE: positiveInt.default(120),
    EXPLORER_ENABLED: booleanString.optional(),
    SLOW_QUERY_MS: z.coerce.number().int().min(0).default(200),
    SLOW_RESOLVER_MS: z.coerce.number().int().min(0).default(100),
    STATSD_HOST: z.string().min(1).optional(),
    STATSD_PORT: z.coerce.number().int().min(1).max(65_535).default(8125),
    STATSD_PREFIX: z.string().default('servio.'),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    GATEWAY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    SENTRY_DSN: z.url({ protocol: /^https?$/ }).optional(),
    SENTRY_ENVIRONMENT: z.string().min(1).optional(),
    SENTRY_TRACES_SAMPLE_RATE: z.coerce.number().min(0).max(1).optional(),
    BACKUP_DIR: z.string().min(1).default('./.data/backups'),
    BACKUP_RETENTION_DAYS: positiveInt.default(30),
    BACKUP_RPO_HOURS: z.coerce.number().positive().optional(),
    BACKUP_S3_BUCKET: z.string().trim().min(1).optional(),
    BACKUP_S3_PREFIX: z.string().trim().optional(),
    BACKUP_S3_REGION: z.string().trim().min(1).default('us-east-1'),
    BACKUP_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    BACKUP_S3_FORCE_PATH_STYLE: booleanString.default(false),
    BACKUP_S3_SSE: z.enum(['AES256', 'aws:kms']).optional(),
    BACKUP_S3_KMS_KEY_ID: z.string().trim().min(1).optional(),
    BACKUP_S3_ACCESS_KEY_ID: z.string().trim().min(1).optional(),
    BACKUP_S3_SECRET_ACCESS_KEY: z.string().trim().min(1).optional(),
    APOLLO_KEY: z.string().trim().min(1).optional(),
    APOLLO_GRAPH_REF: z.string().trim().min(1).optional(),
    // The base URL; Apollo appends /api/ingress/traces.
    APOLLO_USAGE_REPORTING_ENDPOINT: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    ALERTS_INTERVAL_MS: positiveInt.default(60_000),
    ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
    ALERT_P95_MS: z.coerce.number().min(0).default(500),
    ALERT_ERROR_RATE: z.coerce.number().min(0).default(0.01),
    ALERT_POOL_SATURATION: z.coerce.number().min(0).max(1).default(0.9),
    ALERT_CACHE_HIT_RATE_MIN: z.coerce.number().min(0).max(1).default(0.7),
    ALERT_HEAP_RATIO: z.coerce.number().min(0).max(1).default(0.9),
    ALERT_SMS_TO: commaList.default([]),
    CIRCUIT_BREAKER_ERROR_PERCENT: z.coerce.number().min(1).max(100).default(50),
    CIRCUIT_BREAKER_VOLUME: positiveInt.default(5),
    CIRCUIT_BREAKER_RESET_MS: positiveInt.default(30_000),
    CIRCUIT_BREAKER_WINDOW_MS: positiveInt.default(60_000),
    OPENAI_API_KEY: z.string().trim().min(1).optional(),
    // The API root, e.g. https://api.openai.com/v1 (the client's default) or an OpenAI-compatible gateway.
    OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
    OPENAI_TIMEOUT_MS: positiveInt.default(20_000),
    OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    OPENAI_CONCURRENCY: positiveInt.default(10),
    OPENAI_REQUESTS_PER_MINUTE: positiveInt.default(100),
    TWILIO_ACCOUNT_SID: z.string().trim().min(1).optional(),
    TWILIO_AUTH_TOKEN: z.string().trim().min(1).optional(),
    TWILIO_FROM: z.string().trim().min(1).optional(),
    // The REST API root (https://api.twilio.com by default); for a regional edge or a test double.
    TWILIO_API_BASE_URL: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    TWILIO_TIMEOUT_MS: positiveInt.default(10_000),
    TWILIO_CONCURRENCY: positiveInt.default(5),
    TWILIO_REQUESTS_PER_MINUTE: positiveInt.default(50),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when NODE_ENV=production' });
    }
    // Unsafe values stop start-up here; the warnings go to the start-up log (config.productionWarnings).
    for (const finding of productionSafetyFindings(env)) {
      if (finding.severity === 'error') ctx.addIssue({ code: 'custom', path: [finding.variable], message: finding.message });
    }
  })
  .superRefine((env, ctx) => {
    // Explicit S3 keys come in pairs; a KMS key only means something with aws:kms.
    if (Boolean(env.BACKUP_S3_ACCESS_KEY_ID) !== Boolean(env.BACKUP_S3_SECRET_ACCESS_KEY))
      ctx.addIssue({
        code: 'custom',
        path: ['BACKUP_S3_SECRET_ACCESS_KEY'],
        message: 'set both BACKUP_S3_ACCESS_KEY_ID and BACKUP_S3_SECRET_ACCESS_KEY, or neither',
      });
    if (env.BACKUP_S3_KMS_KEY_ID && env.BACKUP_S3_SSE !== 'aws:kms')
      ctx.addIssue({ code: 'custom', path: ['BACKUP_S3_KMS_KEY_ID'], message: 'needs BACKUP_S3_SSE=aws:kms' });
  })
  .superRefine((env, ctx) => {
    // SMS needs all of Twilio's settings, or none of them.
    const twilio = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const;
    const wanted = env.ALERT_SMS_TO.length > 0 || twilio.some((key) => env[key]);
    for (const key of [...twilio, 'ALERT_SMS_TO'] as const) {
      if (wanted && (key === 'ALERT_SMS_TO' ? env.ALERT_SMS_TO.length === 0 : !env[key]))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message:
            'is required to send SMS alerts (set all of TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM and ALERT_SMS_TO, or none)',
        });
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
    // Production settings that are allowed but should be justified (src/production-safety.ts), one line each.
    productionWarnings: production
      ? productionSafetyFindings(env)
          .filter((finding) => finding.severity === 'warning')
          .map((finding) => `${finding.variable}: ${finding.message}`)
      : [],
    // No LOG_FORMAT: pretty at a development terminal, JSON everywhere else (decided in infra/logger.ts).
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? ('auto' as const) : ('json' as const)) },
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
    auth: { accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS, refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS },
    http: {
      host: env.HOST,
      port: env.PORT,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
      corsOrigins: env.CORS_ORIGINS,
      bodyLimitBytes: env.HTTP_BODY_LIMIT_BYTES,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
    },
    rateLimits: {
      auth: env.RATE_LIMIT_AUTH,
      api: env.RATE_LIMIT_API,
      heavy: env.RATE_LIMIT_HEAVY,
      upload: env.RATE_LIMIT_UPLOAD,
      webhook: env.RATE_LIMIT_WEBHOOK,
      anonymousHttp: env.RATE_LIMIT_ANONYMOUS_HTTP,
      // A frontend developer signing in again and again on their own machine is not an attack.
      exemptLoopbackFromAuthTier: env.NODE_ENV === 'development',
    },
    queryLimits: {
      maxDepth: env.QUERY_MAX_DEPTH,
      maxCost: env.QUERY_MAX_COST,
      maxListSize: env.QUERY_MAX_LIST_SIZE,
      maxAliases: env.QUERY_MAX_ALIASES,
      maxRootFields: env.QUERY_MAX_ROOT_FIELDS,
      maxDirectives: env.QUERY_MAX_DIRECTIVES,
      maxTokens: env.QUERY_MAX_TOKENS,
      maxDocumentBytes: env.QUERY_MAX_DOCUMENT_BYTES,
    },
    persistedQueriesOnly: env.PERSISTED_QUERIES_ONLY,
    // Per process: a user's sockets on one instance, subscriptions on one socket and in all of them.
    websocketLimits: {
      connectionsPerUser: env.WS_MAX_CONNECTIONS_PER_USER,
      connectionsPerIp: env.WS_MAX_CONNECTIONS_PER_IP,
      subscriptionsPerConnection: env.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      subscriptionsPerUser: env.WS_MAX_SUBSCRIPTIONS_PER_USER,
      subscribesPerMinute: env.WS_SUBSCRIBES_PER_MINUTE,
    },
    // The GraphiQL explorer on GET /graphql: on in development, elsewhere only when asked for.
    explorerEnabled: env.EXPLORER_ENABLED ?? env.NODE_ENV === 'development',
    // Sentry is on only with a DSN; a tenth of operations are traced in production, all elsewhere.
    sentry: env.SENTRY_DSN
      ? {
          kind: 'sentry' as const,
          dsn: env.SENTRY_DSN,
          environment: env.SENTRY_ENVIRONMENT ?? env.NODE_ENV,
          tracesSampleRate: env.SENTRY_TRACES_SAMPLE_RATE ?? (production ? 0.1 : 1),
        }
      : { kind: 'disabled' as const },
    // Apollo usage reporting is on only with both a key and a graph ref; no endpoint → Apollo's own.
    usageReporting:
      env.APOLLO_KEY && env.APOLLO_GRAPH_REF
        ? { kind: 'apollo' as const, key: env.APOLLO_KEY, graphRef: env.APOLLO_GRAPH_REF, endpointUrl: env.APOLLO_USAGE_REPORTING_ENDPOINT }
        : { kind: 'disabled' as const },
    // /metrics and /health/detailed: with a token, only for `Authorization: Bearer <token>` (Prometheus'
    // `authorization` scrape option); without one, open outside production and hidden (404) in it.
    operatorRoutes: env.METRICS_TOKEN
      ? { kind: 'token' as const, token: env.METRICS_TOKEN }
      : production
        ? { kind: 'hidden' as const }
        : { kind: 'open' as const },
    // Federation's `{ _service { sdl } }`: with a secret, only for the gateway sending it in
    // `x-gateway-secret`; without one, open outside production and refused in it.
    gateway: env.GATEWAY_SECRET
      ? { kind: 'secret' as const, secret: env.GATEWAY_SECRET }
      : production
        ? { kind: 'refused' as const }
        : { kind: 'open' as const },
    metrics: {
      slowQueryMs: env.SLOW_QUERY_MS,
      slowResolverMs: env.SLOW_RESOLVER_MS,
      // No STATSD_HOST: StatsD is a no-op; Prometheus (GET /metrics) is always on.
      statsd: env.STATSD_HOST
        ? { kind: 'udp' as const, host: env.STATSD_HOST, port: env.STATSD_PORT, prefix: env.STATSD_PREFIX }
        : { kind: 'off' as const, prefix: env.STATSD_PREFIX },
    },
    // Alerts are always evaluated and logged; a webhook (Slack-compatible JSON) only with a URL.
    alerts: {
      intervalMs: env.ALERTS_INTERVAL_MS,
      webhook: env.ALERT_WEBHOOK_URL ? { kind: 'webhook' as const, url: env.ALERT_WEBHOOK_URL } : { kind: 'off' as const },
      thresholds: {
        p95Ms: env.ALERT_P95_MS,
        errorRate: env.ALERT_ERROR_RATE,
        poolSaturation: env.ALERT_POOL_SATURATION,
        cacheHitRateMin: env.ALERT_CACHE_HIT_RATE_MIN,
        heapRatio: env.ALERT_HEAP_RATIO,
      },
      // SMS (Twilio) only with every Twilio setting and at least one number to text.
      sms:
        env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM && env.ALERT_SMS_TO.length > 0
          ? {
              kind: 'twilio' as const,
              accountSid: env.TWILIO_ACCOUNT_SID,
              authToken: env.TWILIO_AUTH_TOKEN,
              from: env.TWILIO_FROM,
              to: env.ALERT_SMS_TO,
              apiBaseUrl: env.TWILIO_API_BASE_URL,
              limits: { timeoutMs: env.TWILIO_TIMEOUT_MS, concurrency: env.TWILIO_CONCURRENCY, perMinute: env.TWILIO_REQUESTS_PER_MINUTE },
            }
          : { kind: 'off' as const },
    },
    backup: toBackupConfig(env),
    circuitBreaker: {
      errorThresholdPercent: env.CIRCUIT_BREAKER_ERROR_PERCENT,
      volumeThreshold: env.CIRCUIT_BREAKER_VOLUME,
      resetTimeoutMs: env.CIRCUIT_BREAKER_RESET_MS,
      windowMs: env.CIRCUIT_BREAKER_WINDOW_MS,
    },
    // The assistant is on only with an OpenAI key; without it, it answers SERVICE_UNAVAILABLE.
    assistant: env.OPENAI_API_KEY
      ? {
          kind: 'openai' as const,
          apiKey: env.OPENAI_API_KEY,
          baseUrl: env.OPENAI_BASE_URL,
          model: env.OPENAI_MODEL,
          maxRetries: env.OPENAI_MAX_RETRIES,
          limits: { timeoutMs: env.OPENAI_TIMEOUT_MS, concurrency: env.OPENAI_CONCURRENCY, perMinute: env.OPENAI_REQUESTS_PER_MINUTE },
        }
      : { kind: 'off' as const },
    // Production migrates as a release step (npm run db:migrate); elsewhere the server does it.
    migrateOnStart: env.MIGRATE_ON_START ?? !production,
    seedOnEmpty: env.SEED_ON_EMPTY ?? !production,
  };
}

/**
 * Backups (npm run db:backup / db:restore / db:test-restore) land in BACKUP_DIR and, with a bucket,
 * in S3 under one prefix per environment. BACKUP_RPO_HOURS turns on the API's backup-age alert.
 * Without explicit keys the AWS SDK's own chain (instance/pod role, AWS_* variables) applies.
 */
function toBackupConfig(env: z.infer<typeof envSchema>) {
  return {
    dir: env.BACKUP_DIR,
    retentionDays: env.BACKUP_RETENTION_DAYS,
    rpoHours: env.BACKUP_RPO_HOURS ?? null,
    s3: env.BACKUP_S3_BUCKET
      ? {
          kind: 's3' as const,
          bucket: env.BACKUP_S3_BUCKET,
          prefix: (env.BACKUP_S3_PREFIX ?? `servio/${env.NODE_ENV}`).replace(/^\/+|\/+$/g, ''),
          region: env.BACKUP_S3_REGION,
          endpoint: env.BACKUP_S3_ENDPOINT,
          forcePathStyle: env.BACKUP_S3_FORCE_PATH_STYLE,
          serverSideEncryption: env.BACKUP_S3_SSE,
          kmsKeyId: env.BACKUP_S3_KMS_KEY_ID,
          credentials:
            env.BACKUP_S3_ACCESS_KEY_ID && env.BACKUP_S3_SECRET_ACCESS_KEY
              ? { accessKeyId: env.BACKUP_S3_ACCESS_KEY_ID, secretAccessKey: env.BACKUP_S3_SECRET_ACCESS_KEY }
              : undefined,
        }
      : { kind: 'off' as const },
  };
}

/** TRUST_PROXY: "false", "true", or the proxies' addresses/CIDRs (Fastify's trustProxy). */
function parseTrustProxy(value: string): boolean | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  return value.split(',').map((item) => item.trim());
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
