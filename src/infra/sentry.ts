import * as Sentry from '@sentry/node';
import type { Config } from '../config.js';
import { apiVersion } from '../version.js';
import type { Logger } from './logger.js';

/** Whether errors and traces go to Sentry; the GraphQL plugin is installed only when they do. */
export interface ErrorTracking {
  readonly enabled: boolean;
  /** Sends what is queued (waits at most `timeoutMs`); never closes the client, which is per process. */
  flush(timeoutMs?: number): Promise<void>;
}

const disabled: ErrorTracking = Object.freeze({ enabled: false, flush: async () => {} });

/**
 * Starts the Sentry SDK once per process; a no-op without SENTRY_DSN.
 *
 * The SDK keeps one global client, while a process may build several servers (tests start them
 * in-process). So the first call with a DSN initialises it and later calls reuse that client —
 * a different DSN in the same process is logged and ignored, never a second client. Test files
 * run in their own worker process, so only the files that set SENTRY_DSN ever have a client.
 *
 * GraphQL operations are traced by the Apollo plugin (sentry.plugin.ts); the SDK's default
 * integrations add the Fastify and Prisma spans inside them; nothing else is sent (isGraphQLTransaction). Libraries that need import hooks (pg, ioredis) would need
 * `--import @sentry/node/instrument` before anything is imported, so the ESM loader hooks are not
 * registered here: initialising late, they would only slow module loading.
 */
export function createErrorTracking(config: Config['sentry'], logger: Logger): ErrorTracking {
  if (config.kind === 'disabled') return disabled;
  const existing = Sentry.getClient();
  if (existing) {
    if (existing.getOptions().dsn !== config.dsn) {
      logger.warn({ component: 'sentry' }, 'Sentry already initialised in this process with another DSN; keeping the first');
    }
  } else {
    Sentry.init({
      dsn: config.dsn,
      environment: config.environment,
      release: `servio-api@${apiVersion}`,
      tracesSampleRate: config.tracesSampleRate,
      registerEsmLoaderHooks: false,
      integrations: [
        Sentry.httpIntegration({
          // Only GraphQL requests are traced: health probes and metrics scrapes would spend the sample.
          ignoreIncomingRequests: (urlPath) => !urlPath.startsWith('/graphql'),
          // Bodies hold variables: passwords on login, customer phone numbers on orders.
          maxIncomingRequestBodySize: 'none',
        }),
      ],
      beforeSend: withoutSecrets,
      beforeSendTransaction: (event) => (isGraphQLTransaction(event) ? withoutSecrets(event) : null),
      // No IP addresses, cookies or request bodies: the plugin attaches the ids it needs.
      sendDefaultPii: false,
    });
    logger.info({ component: 'sentry', environment: config.environment, tracesSampleRate: config.tracesSampleRate }, 'Sentry enabled');
  }
  return {
    enabled: true,
    async flush(timeoutMs = 2_000) {
      await Sentry.flush(timeoutMs);
    },
  };
}

/**
 * Only GraphQL requests are traced: /graphql is the only incoming request the HTTP integration keeps.
 * Prisma and Redis work outside a request (start-up, readiness pings, pub/sub) would otherwise be
 * transactions of their own and spend the quota.
 */
function isGraphQLTransaction(event: Sentry.Event): boolean {
  return event.contexts?.trace?.op === 'http.server';
}

/** Request headers an event may carry: none with credentials, cookies or the client's address. */
const sentHeaders = new Set(['host', 'user-agent', 'content-type', 'content-length', 'accept', 'x-request-id']);

/**
 * Span attributes never sent: the query string (a GET /graphql carries query and variables there),
 * the client's address, and request headers outside `sentHeaders`.
 */
const droppedAttribute =
  /^(http\.query|url\.query|http\.client_ip|client\.address|net\.peer\.ip)$|^http\.request\.header\.(?!(host|user_agent|content_type|content_length|accept|x_request_id)$)/;
/** Other URL attributes keep their path only. */
const urlAttribute = /^(url|http)(\.|$)/;

/** Strips what the SDK collects about the HTTP request down to what is safe to send. */
function withoutSecrets<E extends Sentry.Event>(event: E): E {
  const { request } = event;
  if (request) {
    delete request.data;
    delete request.cookies;
    delete request.query_string;
    if (request.url) request.url = request.url.split('?')[0];
    if (request.headers) {
      request.headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => sentHeaders.has(name.toLowerCase())));
    }
  }
  for (const data of [event.contexts?.trace?.data, ...(event.spans ?? []).map((span) => span.data)]) {
    if (!data) continue;
    const attributes = data as Record<string, unknown>;
    // Redis commands carry their keys and values (rate-limit keys hold client addresses, cached
    // responses hold customer data): only the command name, in the span's description, is kept.
    if (attributes['db.system.name'] === 'redis' || attributes['db.system'] === 'redis') {
      delete attributes['db.query.text'];
      delete attributes['db.statement'];
    }
    for (const [key, value] of Object.entries(attributes)) {
      if (droppedAttribute.test(key)) delete attributes[key];
      else if (urlAttribute.test(key) && typeof value === 'string') attributes[key] = value.split('?')[0];
    }
  }
  return event;
}
