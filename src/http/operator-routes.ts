import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/** Compares secrets in constant time, so response timing does not reveal how much of a guess matched. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * An onRequest guard for routes meant for operators and scrapers (/metrics, /health/detailed):
 * they name operations, revenue, versions and memory, so in production they are never public.
 */
export function operatorOnly(access: Config['operatorRoutes']) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (access.kind === 'open') return;
    if (access.kind === 'hidden') {
      return reply.callNotFound();
    }
    const header = request.headers.authorization;
    if (!sameSecret(header?.startsWith('Bearer ') ? header.slice(7) : undefined, access.token)) {
      reply.header('www-authenticate', 'Bearer realm="operator"');
      throw Object.assign(new Error('This route needs the operator token (Authorization: Bearer <METRICS_TOKEN>).'), { statusCode: 401 });
    }
  };
}
