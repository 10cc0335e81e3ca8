import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * Prisma's schema engine compiled to WebAssembly. The CLI's native engine is downloaded at run
 * time from a host this project cannot rely on; the wasm build ships inside an npm package and
 * writes the same `_prisma_migrations` table, so `prisma migrate deploy` stays interchangeable.
 */
type SchemaEngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

// The WebAssembly global is not in the Node typings this project compiles against (no DOM lib).
const { WebAssembly } = globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }> };
};

let loading: Promise<SchemaEngineModule> | undefined;

function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  loading ??= (async () => {
    const bindings: SchemaEngineModule = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bindingsPath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasm = await readFile(bindingsPath.replace(/\.js$/, '.wasm'));
    const { instance } = await WebAssembly.instantiate(wasm, { './schema_engine_bg.js': bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return bindings;
  })();
  return loading;
}

/** A schema engine working on the database behind `adapterFactory`. Free it with `engine.free()`. */
export async function createSchemaEngine(schema: string, adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<SchemaEngine> {
  const { SchemaEngine } = await loadSchemaEngineModule();
  const ignoreLog = () => {};
  return SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, ignoreLog, bindMigrationAwareSqlAdapterFactory(adapterFactory));
}

/**
 * An engine on a throw-away in-memory PGlite. Diffs that replay the migration history need a
 * shadow database; PGlite provides one in-process, so authoring migrations needs no server.
 */
export async function withScratchSchemaEngine<T>(schema: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const scratch = new PGlite();
  const engine = await createSchemaEngine(schema, new PrismaPGlite(scratch));
  try {
    return await work(engine);
  } finally {
    engine.free();
    await scratch.close();
  }
}
