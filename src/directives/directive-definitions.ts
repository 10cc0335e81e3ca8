import type { GraphQLSchema } from 'graphql';

/** Fails at start-up when a transformer's directive is missing from schema/directives.graphql. */
export function assertDirectivesDefined(schema: GraphQLSchema, ...names: string[]): void {
  for (const name of names) {
    if (!schema.getDirective(name)) throw new Error(`Directive @${name} is not defined in schema/directives.graphql.`);
  }
}
