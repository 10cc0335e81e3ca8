/**
 * The ceilings, in their own process: bare Fastify and hand-written SQL on `pg`, doing exactly the work
 * each Servio workload needs and nothing else. Started by bench/run.ts with its settings as JSON in argv.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import pg from 'pg';
import { ordersPageStatement } from './orders-statement.js';
import { serveForBench } from './targets.js';

interface Settings {
  port: number;
  databaseUrl: string;
  poolSize: number;
  /** Files holding the exact bytes Servio answered for the cached menu (POST) and the persisted menu (GET). */
  menuPostFile: string;
  menuGetFile: string;
  contentType: string;
}

const settings = JSON.parse(process.argv[2] as string) as Settings;
const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: settings.poolSize });
const menuPost = readFileSync(settings.menuPostFile);
const menuGet = readFileSync(settings.menuGetFile);
const app = Fastify({ logger: false });

app.post('/menu', (_request, reply) => reply.type(settings.contentType).send(menuPost));
app.get('/menu', (_request, reply) => reply.type(settings.contentType).send(menuGet));

app.post('/orders', async (request, reply) => {
  const { restaurantId, first } = request.body as { restaurantId: string; first: number };
  const { rows } = await pool.query<{ body: string }>(ordersPageStatement, [restaurantId, first]);
  return reply.type('application/json').send((rows[0] as { body: string }).body);
});

interface OrderRequest {
  restaurantId: string;
  idempotencyKey: string;
  userId: string;
  items: Array<{ menuItemId: string; quantity: number }>;
}

/** The rows createOrder writes (order, lines, audit, stock, adjustments), priced from one read. */
app.post('/order', async (request, reply) => {
  const input = request.body as OrderRequest;
  const { rows: menu } = await pool.query<{
    id: string;
    name: string;
    priceAmount: number;
    taxRateBps: number;
    ingredients: Array<{ id: string; quantity: string }>;
  }>(
    `SELECT m.id, m.name, m."priceAmount", r."taxRateBps",
       COALESCE((SELECT json_agg(json_build_object('id', g."inventoryItemId", 'quantity', g.quantity)) FROM "MenuItemIngredient" g WHERE g."menuItemId" = m.id), '[]') AS ingredients
     FROM "MenuItem" m JOIN "Restaurant" r ON r.id = m."restaurantId" WHERE m.id = ANY($1) AND r.id = $2`,
    [input.items.map((item) => item.menuItemId), input.restaurantId],
  );
  const byId = new Map(menu.map((item) => [item.id, item]));
  const lines = input.items.map((line) => ({ ...line, item: byId.get(line.menuItemId) as (typeof menu)[number] }));
  const subtotal = lines.reduce((sum, line) => sum + line.item.priceAmount * line.quantity, 0);
  const tax = Math.floor((subtotal * (menu[0]?.taxRateBps ?? 0) + 5_000) / 10_000);
  const usage = new Map<string, number>();
  for (const line of lines)
    for (const g of line.item.ingredients) usage.set(g.id, (usage.get(g.id) ?? 0) - Number(g.quantity) * line.quantity);
  const orderId = randomUUID();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ status: string }>(
      `INSERT INTO "Order" (id, "restaurantId", "idempotencyKey", "subtotalAmount", "taxAmount", "totalAmount", currency, "createdById", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, $6, 'EUR', $7, now()) ON CONFLICT DO NOTHING RETURNING status`,
      [orderId, input.restaurantId, input.idempotencyKey, subtotal, tax, subtotal + tax, input.userId],
    );
    await client.query(
      `INSERT INTO "OrderItem" (id, "orderId", position, "menuItemId", name, "unitPriceAmount", quantity, "lineTotalAmount")
       SELECT gen_random_uuid()::text, $1, p, m, n, u, q, u * q FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::int[]) AS t(p, m, n, u, q)`,
      [
        orderId,
        lines.map((_, i) => i),
        lines.map((l) => l.menuItemId),
        lines.map((l) => l.item.name),
        lines.map((l) => l.item.priceAmount),
        lines.map((l) => l.quantity),
      ],
    );
    await client.query(
      `INSERT INTO "AuditLog" (id, "restaurantId", "actorId", action, "entityType", "entityId", after) VALUES ($1, $2, $3, 'order.create', 'Order', $4, $5)`,
      [
        randomUUID(),
        input.restaurantId,
        input.userId,
        orderId,
        JSON.stringify({ status: 'PENDING', totalAmount: subtotal + tax, currency: 'EUR' }),
      ],
    );
    await client.query(
      `WITH locked AS (SELECT id FROM "InventoryItem" WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE),
       moved AS (
         UPDATE "InventoryItem" i SET quantity = i.quantity + d.delta, "updatedAt" = now()
         FROM unnest($1::text[], $2::numeric[]) AS d(id, delta), locked WHERE i.id = d.id AND locked.id = i.id RETURNING i.id, d.delta, i.quantity)
       INSERT INTO "InventoryAdjustment" (id, "restaurantId", "inventoryItemId", delta, "quantityAfter", reason, "orderId", "actorId")
       SELECT gen_random_uuid()::text, $3, id, delta, quantity, 'ORDER', $4, $5 FROM moved`,
      [[...usage.keys()], [...usage.values()].map(String), input.restaurantId, orderId, input.userId],
    );
    await client.query('COMMIT');
    return reply.type('application/json').send(
      JSON.stringify({
        data: { createOrder: { id: orderId, status: rows[0]?.status, total: { amount: subtotal + tax, currency: 'EUR' } } },
      }),
    );
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
});

await serveForBench(app, settings.port, () => pool.end());
