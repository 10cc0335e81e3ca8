import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * A frontend team's set-up: typed operations from the committed client schema (contract/), written
 * with graphql() in the client's own files. `npm run codegen` generates gql/ (never committed).
 */
const config: CodegenConfig = {
  schema: 'contract/schema.graphql',
  documents: ['examples/typed-client/**/*.ts', '!examples/typed-client/gql/**'],
  emitLegacyCommonJSImports: false,
  generates: {
    'examples/typed-client/gql/': {
      preset: 'client',
      // Plain strings with their types attached: a fetch() client needs no GraphQL runtime.
      config: { documentMode: 'string', useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', Decimal: 'string' } },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
