import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { composeSupergraph, type SubgraphEndpoint } from './supergraph.js';

/** Client headers every subgraph needs: who is calling, and the request id for the logs. */
const forwardedHeaders = ['authorization', 'x-api-key', 'x-request-id'];

/**
 * Hive Gateway in front of the subgraphs: composes the supergraph from their SDL, forwards the
 * caller's credentials, adds `subgraphHeaders` (the shared secret Servio expects from its gateway)
 * to every subgraph request, and masks errors a subgraph did not mean to show.
 */
export async function startGateway(options: {
  port: number;
  host?: string;
  subgraphs: SubgraphEndpoint[];
  subgraphHeaders?: Record<string, string>;
}) {
  const subgraphHeaders = options.subgraphHeaders ?? {};
  const supergraph = await composeSupergraph(options.subgraphs, subgraphHeaders);
  const gateway = createGatewayRuntime({
    supergraph,
    logging: 'error',
    graphiql: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        ...Object.fromEntries(forwardedHeaders.map((name) => [name, request.headers.get(name)])),
        ...subgraphHeaders,
      }),
    },
    maskedErrors: {
      errorMessage: 'Unexpected error.',
      // A subgraph's typed errors (a code other than INTERNAL_SERVER_ERROR) reach the client; anything else is masked.
      maskError: (error, message) => {
        // Duck-typed: subgraph errors may come from another copy of graphql-js.
        const original = error as Partial<GraphQLError>;
        const code = original.extensions?.code;
        if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return error as Error;
        return new GraphQLError(message, { path: original.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      },
    },
  });
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '0.0.0.0', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    supergraph,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await gateway.dispose();
    },
  };
}
