import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../errors.js';

/**
 * While PostgreSQL is unreachable, an answer that carries the outage (formatError turns driver
 * errors into SERVICE_UNAVAILABLE, service "database") is HTTP 503 with `Retry-After`, so load
 * balancers, gateways and clients back off and retry instead of reporting a server bug.
 */
export function createDatabaseOutagePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const outage = response.body.singleResult.errors?.find(
            (error) => error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE && error.extensions.service === 'database',
          );
          if (!outage) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(outage.extensions?.retryAfter));
        },
      };
    },
  };
}
