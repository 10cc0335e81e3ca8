import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL type → the model its resolvers receive as parent, from each module's own
 * `src/modules/<m>/mappers.json` (paths relative to src/generated/), so a module declares its models in its folder.
 */
function moduleMappers(): Record<string, string> {
  const modules = readdirSync('src/modules', { withFileTypes: true }).filter((entry) => entry.isDirectory());
  const files = modules.map((module) => `src/modules/${module.name}/mappers.json`).filter((file) => existsSync(file));
  return Object.assign({}, ...files.map((file) => JSON.parse(readFileSync(file, 'utf8'))));
}

/**
 * Resolver types from the SDL in schema/. Parents are the models the resolvers return (Prisma's, mostly),
 * so a resolver that forgets a field, or returns the wrong shape, fails `npm run check`.
 * The output is generated on install and before checks, never committed, so it cannot go stale.
 */
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  emitLegacyCommonJSImports: false,
  generates: {
    'src/generated/graphql.ts': {
      plugins: [{ add: { content: '// biome-ignore-all lint: generated file' } }, 'typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useTypeImports: true,
        useIndexSignature: false,
        contextType: '../context.js#GraphQLContext',
        mappers: moduleMappers(),
        scalars: { ID: 'string', DateTime: 'Date', Decimal: 'string' },
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      },
    },
  },
};

export default config;
