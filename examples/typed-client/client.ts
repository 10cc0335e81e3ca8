import type { TypedDocumentString } from './gql/graphql.js';

export class GraphQLRequestError extends Error {
  constructor(readonly errors: ReadonlyArray<{ message: string; extensions?: { code?: string } }>) {
    super(errors.map((error) => error.message).join('; '));
  }
}

/** A typed GraphQL client on fetch: results and variables are checked against the committed schema. */
export function createClient(url: string, headers: Record<string, string> = {}) {
  return {
    async request<Result, Variables>(document: TypedDocumentString<Result, Variables>, variables: Variables): Promise<Result> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: document.toString(), variables }),
      });
      const body = (await response.json()) as { data?: Result; errors?: GraphQLRequestError['errors'] };
      if (body.errors?.length || !body.data) throw new GraphQLRequestError(body.errors ?? [{ message: `HTTP ${response.status}` }]);
      return body.data;
    },
  };
}
