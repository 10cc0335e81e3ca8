import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

/**
 * Asks each subgraph for its SDL (`_service { sdl }`) and composes the supergraph. `headers` go
 * with every request: Servio answers `_service` only to the gateway in production (shared secret).
 */
export async function composeSupergraph(subgraphs: readonly SubgraphEndpoint[], headers: Record<string, string> = {}): Promise<string> {
  const services = await Promise.all(
    subgraphs.map(async ({ name, url }) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      const body = (await response.json()) as { data?: { _service?: { sdl: string } }; errors?: Array<{ message: string }> };
      const sdl = body.data?._service?.sdl;
      if (!sdl) throw new Error(`Subgraph ${name} (${url}) gave no SDL: ${JSON.stringify(body.errors ?? response.status)}`);
      return { name, url, typeDefs: parse(sdl) };
    }),
  );
  const composed = composeServices(services);
  if (composed.errors) throw new Error(`The subgraphs do not compose:\n${composed.errors.map((error) => error.message).join('\n')}`);
  return composed.supergraphSdl;
}
