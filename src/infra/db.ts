import { chmod, mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Config } from '../config.js';
import { type Prisma, PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;

export interface QueryEvent {
  /** The statement's parameters as Prisma reports them (a JSON array); for EXPLAIN in tests, never logged. */
  params: string;
  query: string;
  durationMs: number;
}

export interface PoolStats {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

/** PostgreSQL or embedded PGlite behind one interface: nothing else knows which it is. */
export interface Database {
  readonly kind: 'postgres' | 'embedded';
  readonly prisma: Db;
  /** The driver adapter, for the schema engine (migrations) to use the same database. */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** Every SQL statement Prisma sends; used for slow-query logging and N+1 tests. */
  onQuery(listener: (event: QueryEvent) => void): () => void;
  ping(): Promise<void>;
  poolStats(): PoolStats | null;
  close(): Promise<void>;
}

export async function createDatabase(config: Config['database']): Promise<Database> {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.pool.max,
      min: config.pool.min,
      connectionTimeoutMillis: config.pool.connectionTimeoutMs,
      idleTimeoutMillis: config.pool.idleTimeoutMs,
      maxUses: config.pool.maxUses,
    });
    const adapterFactory = new PrismaPg(pool);
    return wrap('postgres', adapterFactory, {
      poolStats: () => ({ max: config.pool.max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: async () => {
        if (!pool.ended) await pool.end();
      },
    });
  }
  if (!config.dataDir.startsWith('memory://')) {
    // PGlite writes its files world-writable (0666): the folder is the owner's alone.
    await mkdir(config.dataDir, { recursive: true });
    await chmod(config.dataDir, 0o700);
  }
  const pglite = new PGlite(config.dataDir);
  await pglite.waitReady;
  return wrap('embedded', new PrismaPGlite(pglite), {
    poolStats: () => null,
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
  });
}

function wrap(
  kind: Database['kind'],
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  driver: { poolStats: () => PoolStats | null; close: () => Promise<void> },
): Database {
  const prisma = new PrismaClient({ adapter: adapterFactory, log: [{ emit: 'event', level: 'query' }] });
  const listeners = new Set<(event: QueryEvent) => void>();
  prisma.$on('query', (event) => {
    for (const listener of listeners) listener({ query: event.query, params: event.params, durationMs: event.duration });
  });
  return {
    kind,
    prisma: prisma as Db,
    adapterFactory,
    onQuery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    poolStats: driver.poolStats,
    async close() {
      await prisma.$disconnect();
      await driver.close();
    },
  };
}
