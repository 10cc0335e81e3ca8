import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../errors.js';
import { sha256Hex } from './manifest.js';

interface GraphQLRequestBody {
  query?: unknown;
  extensions?: { persistedQuery?: { sha256Hash?: unknown } };
}

/**
 * Trusted documents: the operations of the partner manifest, runnable by id. Requests made with a
 * partner API key (or every request, with PERSISTED_QUERIES_ONLY) may run nothing else, so a
 * leaked key can only do what its partner's integration does. This runs before Apollo (which
 * cannot reject a request cleanly before parsing it), so refused documents are never parsed.
 */
export function registerTrustedDocuments(
  app: FastifyInstance,
  options: { manifest: ReadonlyMap<string, string>; enforceForAll: boolean },
): void {
  const { manifest } = options;
  app.addHook('preHandler', async (request, reply) => {
    // WebSocket upgrades carry no document; subscriptions are checked when they start.
    if (request.ws) return;
    const fromQueryString = request.method === 'GET';
    const payload = (fromQueryString ? parseGetRequest(request.query as Record<string, string>) : request.body) as unknown;
    const operations = (Array.isArray(payload) ? payload : [payload]).filter(
      (item): item is GraphQLRequestBody => typeof item === 'object' && item !== null,
    );

    for (const operation of operations) {
      const hash = operation.extensions?.persistedQuery?.sha256Hash;
      // A manifest id alone is enough, by POST or GET: fill in the document before Apollo's APQ cache lookup.
      if (operation.query === undefined && typeof hash === 'string' && manifest.has(hash)) {
        operation.query = manifest.get(hash);
        if (fromQueryString) addQueryToUrl(request.raw, operation.query as string);
      }
    }

    if (!options.enforceForAll && request.viewer?.kind !== 'apiKey') return;
    const trusted =
      operations.length > 0 &&
      operations.every((operation) => {
        const id = typeof operation.query === 'string' ? sha256Hex(operation.query) : operation.extensions?.persistedQuery?.sha256Hash;
        return typeof id === 'string' && manifest.has(id);
      });
    // Returning the reply ends the hook chain: nothing after it (the handler included) runs.
    if (!trusted) {
      return reply.code(400).send({
        errors: [
          {
            message: 'Only the operations of the persisted query manifest may run here. Send one by its id.',
            extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_ALLOWED, requestId: request.id },
          },
        ],
      });
    }
  });
}

/** Apollo reads a GET request's parameters from its URL, so the document goes there. */
function addQueryToUrl(raw: { url?: string }, document: string): void {
  const url = new URL(raw.url ?? '/', 'http://localhost');
  url.searchParams.set('query', document);
  raw.url = `${url.pathname}${url.search}`;
}

/** GET /graphql?query=…&extensions={…}: the same fields as a POST body. */
function parseGetRequest(query: Record<string, string>): GraphQLRequestBody {
  let extensions: GraphQLRequestBody['extensions'];
  try {
    extensions = query.extensions ? JSON.parse(query.extensions) : undefined;
  } catch {
    extensions = undefined;
  }
  return { query: query.query, extensions };
}
