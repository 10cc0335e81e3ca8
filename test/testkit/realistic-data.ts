import type { Db } from '../../src/infra/db.js';
import { uniqueSuffix } from './seed-builder.js';

/**
 * Fills the database around one restaurant so plans are the ones production gets: 100 other
 * restaurants and their staff, ~60,000 orders, 10,000 stock items, 20,000 tasks and time entries and
 * 60,000 audit rows, one twentieth of each in `restaurantId` (and its `userId`). Then ANALYZE.
 */
/** `scale` shrinks every table alike (the embedded WebAssembly database fills ~4× slower). */
export async function fillRealisticData(prisma: Db, target: { restaurantId: string; userId: string }, scale = 1) {
  const n = (rows: number) => Math.round(rows * scale);
  const p = `load-${uniqueSuffix()}`;
  const { restaurantId, userId } = target;
  await prisma.$executeRaw`INSERT INTO "Restaurant" ("id", "slug", "name", "updatedAt")
    SELECT ${p} || '-r' || g, ${p} || '-r' || g, 'Load ' || g, now() FROM generate_series(0, 99) g`;
  await prisma.$executeRaw`INSERT INTO "User" ("id", "email", "name", "passwordHash", "updatedAt")
    SELECT ${p} || '-u' || g, ${p} || '-u' || g || '@load.test', 'Load ' || g, 'x', now() FROM generate_series(0, 99) g`;
  // Every 20th row belongs to the target restaurant (and user); the rest spread over the others.
  await prisma.$executeRaw`INSERT INTO "Order" ("id", "restaurantId", "idempotencyKey", "subtotalAmount", "taxAmount", "totalAmount", "currency", "status", "createdAt", "updatedAt")
    SELECT ${p} || '-o' || g, CASE WHEN g % 20 = 0 THEN ${restaurantId} ELSE ${p} || '-r' || (g % 100) END, ${p} || '-k' || g, 1000, 100, 1100, 'EUR',
      (ARRAY['PENDING','CONFIRMED','PREPARING','READY','COMPLETED','CANCELLED'])[1 + g % 6]::"OrderStatus",
      now() - (g % 2160) * interval '1 hour', now()
    FROM generate_series(1, ${n(60000)}) g`;
  await prisma.$executeRaw`INSERT INTO "InventoryItem" ("id", "restaurantId", "name", "unit", "quantity", "reorderThreshold", "updatedAt")
    SELECT ${p} || '-i' || g, CASE WHEN g % 20 = 0 THEN ${restaurantId} ELSE ${p} || '-r' || (g % 100) END, 'Stock ' || g, 'kg',
      CASE WHEN g % 25 = 0 THEN 1 ELSE 50 END, 5, now()
    FROM generate_series(1, ${n(10000)}) g`;
  await prisma.$executeRaw`INSERT INTO "Task" ("id", "restaurantId", "title", "status", "assigneeId", "dueAt", "updatedAt")
    SELECT ${p} || '-t' || g, CASE WHEN g % 20 = 0 THEN ${restaurantId} ELSE ${p} || '-r' || (g % 100) END, 'Task ' || g,
      (ARRAY['OPEN','IN_PROGRESS','DONE'])[1 + g % 3]::"TaskStatus",
      CASE WHEN g % 20 = 0 THEN ${userId} ELSE ${p} || '-u' || (g % 100) END, now() + (g % 720) * interval '1 hour', now()
    FROM generate_series(1, ${n(20000)}) g`;
  await prisma.$executeRaw`INSERT INTO "TimeEntry" ("id", "restaurantId", "userId", "clockInAt", "clockOutAt", "updatedAt")
    SELECT ${p} || '-e' || g, CASE WHEN g % 20 = 0 THEN ${restaurantId} ELSE ${p} || '-r' || (g % 100) END,
      CASE WHEN g % 20 = 0 THEN ${userId} ELSE ${p} || '-u' || (g % 100) END,
      now() - (g % 2160) * interval '1 hour', now() - (g % 2160) * interval '1 hour' + interval '6 hours', now()
    FROM generate_series(1, ${n(20000)}) g`;
  await prisma.$executeRaw`INSERT INTO "AuditLog" ("id", "restaurantId", "action", "entityType", "entityId", "createdAt")
    SELECT ${p} || '-a' || g, CASE WHEN g % 20 = 0 THEN ${restaurantId} ELSE ${p} || '-r' || (g % 100) END, 'order.updated', 'Order',
      ${p} || '-o' || (g % 5000), now() - (g % 2160) * interval '1 hour'
    FROM generate_series(1, ${n(60000)}) g`;
  await prisma.$executeRaw`ANALYZE`;
}
