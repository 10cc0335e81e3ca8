import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type SelectionSetNode } from 'graphql';
import type { Config } from '../config.js';
import { ForbiddenError, withHttpStatus } from '../errors.js';
import { sameSecret } from '../http/operator-routes.js';

/** The header the gateway sends its shared secret in (see README, "Federation"). */
export const gatewaySecretHeader = 'x-gateway-secret';

/** Root fields the operation selects, through fragments too. */
function rootFieldNames(selectionSet: SelectionSetNode, fragments: Map<string, SelectionSetNode>, seen = new Set<string>()): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldNames(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    const fragment = fragments.get(name);
    if (!fragment || seen.has(name)) return [];
    seen.add(name);
    return rootFieldNames(fragment, fragments, seen);
  });
}

/**
 * `{ _service { sdl } }` prints the whole schema, internal fields included: in production it answers
 * only the gateway (a shared secret in `x-gateway-secret`), else turning introspection off would hide
 * nothing. Refused with FORBIDDEN (HTTP 403).
 */
export function createGatewayOnlyPlugin(access: Config['gateway']): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      if (access.kind === 'open') return;
      const allowed = access.kind === 'secret' && sameSecret(request.http?.headers.get(gatewaySecretHeader) ?? undefined, access.secret);
      if (allowed) return;
      return {
        async didResolveOperation({ operation, document }) {
          const fragments = new Map(
            document.definitions.flatMap((definition) =>
              definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition.selectionSet] as const] : [],
            ),
          );
          if (operation && rootFieldNames(operation.selectionSet, fragments).includes('_service')) {
            throw withHttpStatus(new ForbiddenError('_service answers only the federation gateway.'), 403);
          }
        },
      };
    },
  };
}
