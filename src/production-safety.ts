/**
 * Production-safety rules: the one place that judges whether settings are safe to run in production.
 * `loadConfig` refuses to start on an `error` (NODE_ENV=production) and hands `warning`s to the start-up
 * log; `npm run security:audit` reports both. Errors are what is never right in production; warnings are
 * what a private network can legitimately justify (TLS terminated by a sidecar, a VPC-only Redis).
 */
export interface SafetyFinding {
  variable: string;
  severity: 'error' | 'warning';
  message: string;
}

/** The settings the rules judge, as `config.ts` parsed them. */
export interface ProductionSettings {
  JWT_SECRET?: string | undefined;
  SEED_ON_EMPTY?: boolean | undefined;
  CORS_ORIGINS: string[];
  DATABASE_URL?: string | undefined;
  REDIS_URL?: string | undefined;
}

/**
 * Secrets that were ever published: in docker-compose.yml, the README, `.env` examples and the test kit.
 * `test/production-safety.test.ts` finds every JWT_SECRET value in those files and checks it is refused.
 */
export const publishedSecrets: ReadonlySet<string> = new Set([
  'change-me-to-a-long-random-secret-of-32-chars',
  'test-secret-that-is-long-enough-for-hs256-0123456789',
]);

/** Words that mark a value as a stand-in rather than a generated secret. */
const placeholderWords = /change[-_ ]?me|replace[-_ ]?me|placeholder|your[-_ ]?(jwt[-_ ]?)?secret|example/i;
/** Fewer distinct characters than this in 32+ is not random (even 32 hex digits have ~14). */
const minDistinctCharacters = 8;
/** `sslmode` values that encrypt (libpq: `prefer`/`allow` silently fall back to plain text). */
const encryptingSslModes = new Set(['require', 'verify-ca', 'verify-full']);

export function productionSafetyFindings(settings: ProductionSettings): SafetyFinding[] {
  return [...jwtSecret(settings.JWT_SECRET), ...seeding(settings.SEED_ON_EMPTY), ...cors(settings.CORS_ORIGINS), ...tls(settings)];
}

function jwtSecret(secret: string | undefined): SafetyFinding[] {
  if (!secret) return [];
  const error = (message: string): SafetyFinding[] => [{ variable: 'JWT_SECRET', severity: 'error', message }];
  if (publishedSecrets.has(secret)) return error('is a published placeholder; generate one with `openssl rand -base64 48`');
  if (placeholderWords.test(secret)) return error('looks like a placeholder; generate one with `openssl rand -base64 48`');
  if (new Set(secret).size < minDistinctCharacters)
    return error(
      `has only ${new Set(secret).size} distinct characters, so it is not random; generate one with \`openssl rand -base64 48\``,
    );
  return [];
}

function seeding(seedOnEmpty: boolean | undefined): SafetyFinding[] {
  return seedOnEmpty
    ? [
        {
          variable: 'SEED_ON_EMPTY',
          severity: 'error',
          message: 'demo seeding creates a platform admin with a public password: never in production',
        },
      ]
    : [];
}

/** Credentials are always allowed cross-origin, so a wildcard or `null` origin would hand them to any page. */
function cors(origins: string[]): SafetyFinding[] {
  return origins.flatMap((origin): SafetyFinding[] => {
    if (origin === '*' || origin === 'null')
      return [
        { variable: 'CORS_ORIGINS', severity: 'error', message: `"${origin}" with credentials lets any page act as the signed-in user` },
      ];
    if (!origin.startsWith('https://'))
      return [{ variable: 'CORS_ORIGINS', severity: 'warning', message: `"${origin}" is not an https origin` }];
    return [];
  });
}

function tls(settings: ProductionSettings): SafetyFinding[] {
  const findings: SafetyFinding[] = [];
  if (settings.DATABASE_URL) {
    const sslmode = new URL(settings.DATABASE_URL).searchParams.get('sslmode');
    if (!sslmode || !encryptingSslModes.has(sslmode))
      findings.push({
        variable: 'DATABASE_URL',
        severity: 'warning',
        message: `sslmode=${sslmode ?? '(unset)'} does not require TLS; use sslmode=verify-full unless the network is private`,
      });
  }
  if (settings.REDIS_URL?.startsWith('redis://'))
    findings.push({
      variable: 'REDIS_URL',
      severity: 'warning',
      message: 'redis:// is plain text; use rediss:// unless the network is private',
    });
  return findings;
}
