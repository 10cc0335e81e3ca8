import type { FastifyBaseLogger } from 'fastify';
import type { Loaders } from './loaders.js';

/** What every resolver receives. Built per request; never holds the raw HTTP request. */
export interface GraphQLContext {
  requestId: string;
  /** The request's logger: every line carries the request id. */
  log: FastifyBaseLogger;
  loaders: Loaders;
}
